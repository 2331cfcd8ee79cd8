/**
 * `npm run trajectory -- --optimizer NAME --input FILE [--submission DIR]`: prints, as JSON, the
 * parameters after each step of an optimizer for the input file's initial values, gradients and
 * hyperparameters — with the reference, or with a submission's optimizer. The input format is a
 * fixture case's `input` (see the README), so a case can be copied out of fixtures/ as it is.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { CaseInput } from '../contract/fixture-schema.js';
import { OPTIMIZER_NAMES, type OptimizerClasses } from '../contract/index.js';
import { validateOrThrow } from '../contract/validate.js';
import { selectBackend } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import * as reference from '../reference/index.js';
import { runOptimizerCase } from '../runner/optimizer-case.js';
import { parseFlags, usage, type FlagSpec } from './cli/args.js';
import { runMain } from './cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  optimizer: {
    type: 'string',
    choices: OPTIMIZER_NAMES,
    description: `the optimizer: ${OPTIMIZER_NAMES.join(', ')}`,
  },
  input: {
    type: 'string',
    description: "a JSON file: a fixture case's `input` (its `optimizer` field may be left out)",
  },
  submission: { type: 'string', description: 'a submission directory (default: the reference solution)' },
  backend: {
    type: 'string',
    description: 'auto, node-gpu, node, wasm or cpu (default: cpu, bitwise repeatable)',
  },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run trajectory -- --optimizer NAME --input FILE [--submission DIR]',
  'Prints the parameters after each step as JSON: {"optimizer", "source", "steps": [{name: values}], "fault"?}.',
  FLAGS,
);

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  if (positional.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Unexpected argument ${positional.join(' ')}; this command takes only options`,
    );
  const name = flags['optimizer'];
  const inputPath = flags['input'];
  if (typeof name !== 'string')
    throw new HarnessError('OPTNN_BAD_OPTION', 'The option --optimizer is required');
  if (typeof inputPath !== 'string')
    throw new HarnessError('OPTNN_BAD_OPTION', 'The option --input is required');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(inputPath), 'utf8'));
  } catch (error) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Cannot read the input file ${resolve(inputPath)}: ${(error as Error).message}`,
    );
  }
  const input = validateOrThrow(
    CaseInput,
    { ...(raw as object), optimizer: name },
    `the input file ${resolve(inputPath)}`,
  );
  tf.env().set('PROD', true);
  await selectBackend(typeof flags['backend'] === 'string' ? flags['backend'] : 'cpu');
  let classes: OptimizerClasses = reference;
  let source = 'reference';
  if (typeof flags['submission'] === 'string') {
    source = resolve(flags['submission']);
    classes = (await import(pathToFileURL(join(source, 'index.ts')).href)) as OptimizerClasses;
  }
  const trajectory = runOptimizerCase(classes, input);
  process.stdout.write(
    `${JSON.stringify({ optimizer: name, source, steps: trajectory.steps, ...(trajectory.fault ? { fault: trajectory.fault } : {}) })}\n`,
  );
}

runMain(main, USAGE);
