/**
 * Grades one submission directory test by test, as the manifest lists them, and returns one
 * verdict per test. The submission's code runs through the runner's functions, which return plain
 * numbers; verdicts are decided here. Anything that escapes as an exception is a harness fault and
 * becomes a visible grader error for that test, never a pass.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { TeacherForcedInput } from '../contract/fixture-schema.js';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName, type Submission } from '../contract/index.js';
import { readTuningChoice } from '../contract/tuning-schema.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { loadMnist } from '../course/data/mnist.js';
import * as reference from '../reference/index.js';
import { describeThrown, runOptimizerCase } from '../runner/optimizer-case.js';
import { probeOptimizer } from '../runner/optimizer-probes.js';
import { measureTuning, probeData, probeLoop, probeNets, probeTraining, probeTrainingStep } from '../runner/training-probes.js';
import { loadFixtureDir, type LoadedCase } from './fixtures.js';
import { loadManifest, type Manifest } from './manifest-schema.js';
import { casesVerdict, propertiesVerdict } from './optimizer-grader.js';
import { loadThresholds, type Thresholds } from './thresholds-schema.js';
import { dataVerdict, loopVerdict, netsVerdict, stepVerdict, trainingVerdict, tuningVerdict } from './training-grader.js';
import type { Verdict } from './verdict.js';

export const PUBLIC_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'public');

export interface GradeOptions {
  fixturesDir?: string;
  /** A TA's hidden fixtures; without them the `hidden-fixtures` tests are not graded. */
  hiddenDir?: string;
  manifest?: Manifest;
  thresholds?: Thresholds;
  /** Only these test ids (default: all the manifest lists and the options allow). */
  only?: readonly string[];
  onTest?: (id: string, done: number, total: number) => void;
}

type Loaded = { ok: true; module: Partial<Submission> } | { ok: false; message: string };

/** Imports `<dir>/index.ts`. A submission that does not load is the student's failure, said clearly. */
export async function loadSubmission(dir: string): Promise<Loaded> {
  try {
    const module = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as Partial<Submission>;
    return { ok: true, module };
  } catch (thrown) {
    return { ok: false, message: `the submission could not be loaded (${join(dir, 'index.ts')}): ${describeThrown(thrown)}` };
  }
}

let embedded: ImageDataset | undefined;
const data = (): ImageDataset => (embedded ??= loadMnist().train);

const referenceStep = (() => { let v: ReturnType<typeof probeTrainingStep> | undefined; return () => (v ??= probeTrainingStep(reference, data())); })();
const referenceLoop = (() => { let v: ReturnType<typeof probeLoop> | undefined; return () => (v ??= probeLoop(reference, data())); })();

function missing(module: Partial<Submission>, names: readonly (keyof Submission)[]): string | undefined {
  const absent = names.filter((n) => typeof module[n] !== 'function');
  return absent.length === 0 ? undefined : `the submission's index.ts does not export ${absent.join(', ')} (as a ${absent.length === 1 ? 'function or class' : 'functions or classes'})`;
}

export async function gradeSubmission(dir: string, options: GradeOptions = {}): Promise<Verdict[]> {
  const manifest = options.manifest ?? loadManifest();
  const thresholds = options.thresholds ?? loadThresholds();
  const publicCases = loadFixtureDir(options.fixturesDir ?? PUBLIC_FIXTURES);
  const hiddenCases = options.hiddenDir !== undefined ? loadFixtureDir(options.hiddenDir) : [];
  const tests = manifest.tests.filter((t) => (t.requires !== 'hidden-fixtures' || options.hiddenDir !== undefined)
    && (options.only === undefined || options.only.includes(t.id)));
  const loaded = await loadSubmission(dir);

  const checks = new Map<string, (module: Partial<Submission>) => Promise<Verdict>>();
  const casesOf = (cases: LoadedCase[], name: OptimizerName, kind?: 'teacher-forced' | 'closed-loop') =>
    cases.filter((c) => c.input.optimizer === name && (kind === undefined || c.input.kind === kind));
  for (const name of OPTIMIZER_NAMES) {
    const grade = (id: string, cases: LoadedCase[]) => async (module: Partial<Submission>): Promise<Verdict> => {
      const started = performance.now();
      const absent = missing(module, [name]);
      if (absent) return { id, status: 'failed', message: absent, durationMs: 0 };
      if (cases.length === 0) throw new Error(`no fixture case for ${id}`);
      return casesVerdict(id, name, cases.map((c) => ({ case: c, trajectory: runOptimizerCase(module as Submission, c.input) })), started);
    };
    checks.set(`optimizer.${name}.steps`, grade(`optimizer.${name}.steps`, casesOf(publicCases, name, 'teacher-forced')));
    checks.set(`optimizer.${name}.closed-loop`, grade(`optimizer.${name}.closed-loop`, casesOf(publicCases, name, 'closed-loop')));
    checks.set(`optimizer.${name}.hidden`, grade(`optimizer.${name}.hidden`, casesOf(hiddenCases, name)));
    checks.set(`optimizer.${name}.properties`, async (module) => {
      const id = `optimizer.${name}.properties`;
      const started = performance.now();
      const absent = missing(module, [name]);
      if (absent) return { id, status: 'failed', message: absent, durationMs: 0 };
      const input = casesOf(publicCases, name, 'teacher-forced')[0]?.input as TeacherForcedInput | undefined;
      if (input === undefined) throw new Error(`no teacher-forced fixture for ${name}`);
      const defaults = { ...input, args: Object.values(OPTIMIZER_DEFAULTS[name]) as number[] };
      return propertiesVerdict(id, name, await probeOptimizer(module as Submission, defaults), started);
    });
    checks.set(`optimizer.${name}.training`, async (module) => {
      const id = `optimizer.${name}.training`;
      const started = performance.now();
      const absent = missing(module, [name]);
      if (absent) return { id, status: 'failed', message: absent, durationMs: 0 };
      const entry = thresholds.optimizers[name]!;
      return trainingVerdict(id, name, entry, thresholds.gradingSeed, probeTraining(module as Submission, name, entry.args, data(), thresholds.gradingSeed), started);
    });
  }
  const simple = (id: string, needs: readonly (keyof Submission)[], run: (m: Submission, started: number) => Verdict): void => {
    checks.set(id, async (module) => {
      const absent = missing(module, needs);
      if (absent) return { id, status: 'failed', message: absent, durationMs: 0 };
      return run(module as Submission, performance.now());
    });
  };
  simple('nets', ['getOneFCNet', 'getGarmentClassifier'], (m, s) => netsVerdict('nets', probeNets(m), s));
  simple('data', ['makeLoaders'], (m, s) => dataVerdict('data', probeData(m, data()), s));
  simple('training.step', ['trainingStep', 'lossFn'], (m, s) => {
    const expected = referenceStep();
    if (!expected.ok) throw new Error(`the reference's training step failed: ${expected.fault}`);
    return stepVerdict('training.step', probeTrainingStep(m, data()), expected.value, s);
  });
  simple('training.loop', ['theLoop'], (m, s) => {
    const expected = referenceLoop();
    if (!expected.ok) throw new Error(`the reference's loop failed: ${expected.fault}`);
    return loopVerdict('training.loop', probeLoop(m, data()), expected.value, s);
  });

  const verdicts: Verdict[] = [];
  for (const [index, test] of tests.entries()) {
    options.onTest?.(test.id, index, tests.length);
    const started = performance.now();
    if (test.id === 'tuning') {
      verdicts.push(gradeTuning(dir, thresholds.gradingSeed, started));
      continue;
    }
    if (!loaded.ok) {
      verdicts.push({ id: test.id, status: 'failed', message: loaded.message, durationMs: 0 });
      continue;
    }
    const check = checks.get(test.id);
    try {
      if (check === undefined) throw new Error(`the manifest lists ${test.id}, which no grader check implements`);
      verdicts.push(await check(loaded.module));
    } catch (error) {
      verdicts.push({ id: test.id, status: 'error', message: `grader error: ${describeThrown(error)}`, durationMs: performance.now() - started });
    } finally {
      tf.disposeVariables();
    }
  }
  return verdicts;
}

function gradeTuning(dir: string, seed: number, started: number): Verdict {
  const read = readTuningChoice(dir);
  if (!read.ok) return { id: 'tuning', status: 'failed', message: read.message, durationMs: performance.now() - started };
  const { choice } = read;
  const names = Object.keys(OPTIMIZER_DEFAULTS[choice.optimizer]);
  const unknown = Object.keys(choice.hyperparameters).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    return { id: 'tuning', status: 'failed', message: `tuning.json names hyperparameters ${unknown.join(', ')}, which ${choice.optimizer} does not have (it has ${names.join(', ')})`, durationMs: performance.now() - started };
  }
  const defaults = OPTIMIZER_DEFAULTS[choice.optimizer] as Record<string, number>;
  const args = names.map((k) => choice.hyperparameters[k] ?? defaults[k]!);
  // The choice is graded with the reference's optimizer, so a bug in the student's optimizer is not counted twice.
  const Optimizer = reference[choice.optimizer] as unknown as new (...a: number[]) => tf.Optimizer;
  return tuningVerdict('tuning', choice, measureTuning(Optimizer, args, choice.batchSize, data(), seed), started);
}
