/**
 * `npm run fixtures`: the public optimizer fixtures, made from the reference solution on the cpu
 * backend (bitwise repeatable), into fixtures/public/. A TA makes hidden ones with a secret seed:
 * `npm run fixtures -- --hidden --seed N --out DIR` (never commit them to a student repository).
 * `--check` compares with what is on disk and exits 1 on any difference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FixtureFile, type OptimizerCase } from '../contract/fixture-schema.js';
import { OPTIMIZER_FILES, OPTIMIZER_NAMES } from '../contract/index.js';
import { validateOrThrow } from '../contract/validate.js';
import { selectBackend } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { loadEmbeddedMnist, normalizeInPlace } from '../course/data/mnist.js';
import * as reference from '../reference/index.js';
import { TrainingExpectations, TRAINING_EXPECTATIONS } from '../graders/fixtures.js';
import { MistakeFixture, mistakeFixturePath, mistakeRunsFromCode } from '../graders/known-mistakes.js';
import { PROJECT_ROOT } from '../runner/build.js';
import { encode } from '../runner/encode.js';
import { InProcessExecutor } from '../runner/executor.js';
import { runOptimizerCase } from '../runner/optimizer-case.js';
import { defineCommand, runCommand } from './cli/command.js';
import { casesFor, f32, PUBLIC_SEED } from '../services/authoring/fixture-cases.js';
import { formatFixture, writeTextAtomic } from '../services/write-json.js';

export const command = defineCommand({
  name: 'fixtures',
  synopsis: 'npm run fixtures -- [options]',
  summary: 'Makes the optimizer fixtures from the reference solution.',
  flags: {
    hidden: { type: 'boolean', description: 'make hidden fixtures (needs --seed and --out)' },
    seed: {
      type: 'integer',
      min: 1,
      description: `the seed (public fixtures: ${PUBLIC_SEED}; hidden: your secret)`,
    },
    out: { type: 'string', value: 'DIR', description: 'output directory (default fixtures/public)' },
    check: {
      type: 'boolean',
      description: 'compare with the files on disk instead of writing; exit 1 on a difference',
    },
  },
  run: async ({ flags }) => {
    const { hidden } = flags;
    const missing = [flags.seed === undefined ? '--seed' : '', flags.out === undefined ? '--out' : ''];
    if (hidden && missing.some((m) => m !== '')) {
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Hidden fixtures need both --seed (your secret) and --out (a directory outside the student repository): expected both with --hidden, got no ${missing.filter((m) => m !== '').join(' and no ')}`,
      );
    }
    const seed = flags.seed ?? PUBLIC_SEED;
    if (hidden && seed === PUBLIC_SEED)
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Expected --seed for hidden fixtures to differ from the public seed ${PUBLIC_SEED}, got \`${seed}\` (number)`,
      );
    await makeFixtures(hidden, seed, resolve(flags.out ?? 'fixtures/public'), flags.check);
  },
});

/** Writes each file, or with `check` compares it with the one on disk and notes the difference. */
function fixtureSink(check: boolean): { put: (path: string, text: string) => void; differences: string[] } {
  const differences: string[] = [];
  const put = (path: string, text: string): void => {
    if (!check) writeTextAtomic(path, text);
    else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) differences.push(path);
  };
  return { put, differences };
}

/** A trajectory's steps with every value rounded to float32, as the fixtures store them. */
const f32Steps = (steps: readonly Record<string, number[]>[]): Record<string, number[]>[] =>
  steps.map((step) => Object.fromEntries(Object.entries(step).map(([k, v]) => [k, v.map(f32)])));

async function makeFixtures(hidden: boolean, seed: number, out: string, check: boolean): Promise<void> {
  tf.env().set('PROD', true);
  const backend = await selectBackend('cpu');
  const data = normalizeInPlace(loadEmbeddedMnist());
  const sink = fixtureSink(check);
  for (const name of OPTIMIZER_NAMES) {
    const file = optimizerFixture(name, data, seed, hidden, backend.name);
    const path = join(out, `${OPTIMIZER_FILES[name]}.json`);
    // Known mistakes' trajectories on the public cases, so fingerprints need no buggy code in a student repository.
    if (!hidden)
      sink.put(mistakeFixturePath(out, name), await mistakeFixture(name, file.cases, path, backend.name));
    sink.put(path, formatFixture(file));
  }
  // The reference's own observations for the step and loop checks.
  if (!hidden) sink.put(join(out, TRAINING_EXPECTATIONS), await trainingExpectations(backend.name));
  if (!check) {
    console.log(
      `wrote ${OPTIMIZER_NAMES.length} ${hidden ? 'hidden' : 'public'} fixture files to ${out} (seed ${seed})`,
    );
  } else if (sink.differences.length > 0) {
    console.error(
      `These fixtures differ from what \`npm run fixtures\` makes:\n  ${sink.differences.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`fixtures in ${out} are what the reference makes (${OPTIMIZER_NAMES.length} files)`);
  }
}

/** One optimizer's cases with the reference's trajectories, validated. */
function optimizerFixture(
  name: (typeof OPTIMIZER_NAMES)[number],
  data: ReturnType<typeof loadEmbeddedMnist>,
  seed: number,
  hidden: boolean,
  backend: string,
): FixtureFile {
  const cases: OptimizerCase[] = casesFor(name, data, seed, hidden).map((spec) => {
    const trajectory = runOptimizerCase(reference, spec.input);
    if (trajectory.fault)
      throw new Error(
        `The reference failed on ${spec.id} at step ${trajectory.fault.step}: ${trajectory.fault.message}`,
      );
    return { ...spec, expected: f32Steps(trajectory.steps) };
  });
  return validateOrThrow(
    FixtureFile,
    {
      schemaVersion: 1,
      visibility: hidden ? 'hidden' : 'public',
      seed,
      generatedBy: `npm run fixtures${hidden ? ' -- --hidden' : ''} (reference solution)`,
      backend,
      cases,
    },
    `the ${name} fixture`,
  );
}

/** The known mistakes' trajectories on one optimizer's public cases, as the fixture's text. */
async function mistakeFixture(
  name: string,
  cases: readonly OptimizerCase[],
  path: string,
  backend: string,
): Promise<string> {
  const runs = (await mistakeRunsFromCode())!;
  const mistakes = validateOrThrow(
    MistakeFixture,
    {
      schemaVersion: 1,
      generatedBy: 'npm run fixtures (graders/mistakes)',
      backend,
      cases: Object.fromEntries(
        cases.map((c) => [
          c.id,
          runs({ ...c, file: path, visibility: 'public' }).map((r) => ({
            id: r.id,
            hint: r.hint,
            trajectory: encode({ ...r.trajectory, steps: f32Steps(r.trajectory.steps) }),
          })),
        ]),
      ),
    },
    `the ${name} mistake fixture`,
  );
  return formatFixture(mistakes);
}

/** The reference's observations of the step and loop probes, as the expectations file's text. */
async function trainingExpectations(backend: string): Promise<string> {
  const runs = new InProcessExecutor(join(PROJECT_ROOT, 'reference'));
  await runs.prepare();
  const observed = async (kind: 'step' | 'loop'): Promise<unknown> => {
    const outcome = await runs.run({ kind });
    if (!outcome.ok) throw new Error(`The reference failed the ${kind} probe: ${outcome.message}`);
    return encode(outcome.result);
  };
  const expectations = validateOrThrow(
    TrainingExpectations,
    {
      schemaVersion: 1,
      generatedBy: 'npm run fixtures (reference solution)',
      backend,
      step: await observed('step'),
      loop: await observed('loop'),
    },
    'the training expectations',
  );
  return formatFixture(expectations);
}

runCommand(command);
