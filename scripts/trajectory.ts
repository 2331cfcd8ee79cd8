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
import { defineCommand, runCommand } from './cli/command.js';

export const command = defineCommand({
  name: 'trajectory',
  synopsis: 'npm run trajectory -- --optimizer NAME --input FILE [--submission DIR]',
  summary:
    'Prints the parameters after each step as JSON: {"optimizer", "source", "steps": [{name: values}], "fault"?}.',
  flags: {
    optimizer: {
      type: 'string',
      choices: OPTIMIZER_NAMES,
      required: true,
      value: 'NAME',
      description: `the optimizer: ${OPTIMIZER_NAMES.join(', ')}`,
    },
    input: {
      type: 'string',
      path: 'file',
      required: true,
      value: 'FILE',
      description: "a JSON file: a fixture case's `input` (its `optimizer` field may be left out)",
    },
    submission: {
      type: 'string',
      path: 'directory',
      value: 'DIR',
      description: 'a submission directory (default: the reference solution)',
    },
    backend: {
      type: 'string',
      default: 'cpu',
      description: 'auto, node-gpu, node, wasm or cpu; cpu is bitwise repeatable',
    },
  },
  run: async ({ flags }) => trajectory(flags.optimizer, flags.input, flags.backend, flags.submission),
});

async function trajectory(
  name: string,
  inputPath: string,
  backend: string,
  submission: string | undefined,
): Promise<void> {
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
  await selectBackend(backend);
  let classes: OptimizerClasses = reference;
  let source = 'reference';
  if (submission !== undefined) {
    source = resolve(submission);
    classes = (await import(pathToFileURL(join(source, 'index.ts')).href)) as OptimizerClasses;
  }
  const trajectory = runOptimizerCase(classes, input);
  process.stdout.write(
    `${JSON.stringify({ optimizer: name, source, steps: trajectory.steps, ...(trajectory.fault ? { fault: trajectory.fault } : {}) })}\n`,
  );
}

runCommand(command);
