/**
 * Grades one submission directory test by test, as the manifest lists them, and returns one
 * verdict per test. The submission's code runs behind an Executor (by default a confined child
 * process) that returns validated observations; expected values stay here and verdicts are decided
 * here. Anything that escapes as an exception is a harness fault and becomes a visible grader error
 * for that test, never a pass.
 */
import { join } from 'node:path';
import type { TeacherForcedInput } from '../contract/fixture-schema.js';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, type OptimizerName } from '../contract/index.js';
import { readTuningChoice } from '../contract/tuning-schema.js';
import { IsolatedExecutor, InProcessExecutor, type ExecOutcome, type Executor, type IsolatedOptions } from '../runner/executor.js';
import { describeThrown, type Trajectory } from '../runner/optimizer-case.js';
import type { OptimizerProbes, Probe } from '../runner/optimizer-probes.js';
import type { Request } from '../runner/protocol.js';
import { type LoaderProbe, type LoopProbe, type NetProbe, type StepProbe, type TrainingProbe, type TuningRun } from '../runner/training-probes.js';
import { loadFixtureDir, loadTrainingExpectations, type LoadedCase } from './fixtures.js';
import { eitherRuns, mistakeRunsFromCode, mistakeRunsFromFixtures, type MistakeRuns } from './known-mistakes.js';
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
  /** `isolated` (default): a confined child process. `in-process`: only for trusted code. */
  mode?: 'isolated' | 'in-process';
  isolation?: IsolatedOptions;
  onTest?: (id: string, done: number, total: number) => void;
}

type Check = (run: (request: Request, label: string) => Promise<ExecOutcome>, started: number) => Promise<Verdict>;

/** A verdict from a failed request: the process failure or grader error, said as it is. */
function notObserved(id: string, outcome: Extract<ExecOutcome, { ok: false }>, started: number): Verdict {
  return { id, status: outcome.status, message: outcome.message, durationMs: performance.now() - started };
}

function buildChecks(publicCases: LoadedCase[], hiddenCases: LoadedCase[], thresholds: Thresholds, expectations: () => { step: StepProbe; loop: LoopProbe }, mistakeRuns: MistakeRuns, dir: string): Map<string, { needs: string[]; check: Check }> {
  const checks = new Map<string, { needs: string[]; check: Check }>();
  const casesOf = (cases: LoadedCase[], name: OptimizerName, kind?: 'teacher-forced' | 'closed-loop') =>
    cases.filter((c) => c.input.optimizer === name && (kind === undefined || c.input.kind === kind));
  for (const name of OPTIMIZER_NAMES) {
    const grade = (id: string, cases: LoadedCase[]): Check => async (run, started) => {
      if (cases.length === 0) throw new Error(`no fixture case for ${id}`);
      const outcomes = [];
      for (const c of cases) {
        const outcome = await run({ kind: 'case', input: c.input }, `${name}, case ${c.id}`);
        if (!outcome.ok) return notObserved(id, outcome, started);
        outcomes.push({ case: c, trajectory: outcome.result as Trajectory });
      }
      return casesVerdict(id, name, outcomes, mistakeRuns, started);
    };
    checks.set(`optimizer.${name}.steps`, { needs: [name], check: grade(`optimizer.${name}.steps`, casesOf(publicCases, name, 'teacher-forced')) });
    checks.set(`optimizer.${name}.closed-loop`, { needs: [name], check: grade(`optimizer.${name}.closed-loop`, casesOf(publicCases, name, 'closed-loop')) });
    checks.set(`optimizer.${name}.hidden`, { needs: [name], check: grade(`optimizer.${name}.hidden`, casesOf(hiddenCases, name)) });
    checks.set(`optimizer.${name}.properties`, {
      needs: [name],
      check: async (run, started) => {
        const id = `optimizer.${name}.properties`;
        const input = casesOf(publicCases, name, 'teacher-forced')[0]?.input as TeacherForcedInput | undefined;
        if (input === undefined) throw new Error(`no teacher-forced fixture for ${name}`);
        const probeInput = { ...input, args: Object.values(OPTIMIZER_DEFAULTS[name]) as number[] };
        const outcome = await run({ kind: 'probe-optimizer', input: probeInput }, `${name}'s property checks`);
        return outcome.ok ? propertiesVerdict(id, name, outcome.result as OptimizerProbes, probeInput, started) : notObserved(id, outcome, started);
      },
    });
    checks.set(`optimizer.${name}.training`, {
      needs: [name],
      check: async (run, started) => {
        const id = `optimizer.${name}.training`;
        const entry = thresholds.optimizers[name]!;
        const outcome = await run({ kind: 'training', optimizer: name, args: entry.args, seed: thresholds.gradingSeed }, `${name}'s training run`);
        return outcome.ok ? trainingVerdict(id, name, entry, thresholds.gradingSeed, outcome.result as Probe<{ value: TrainingProbe }>, started) : notObserved(id, outcome, started);
      },
    });
  }
  checks.set('nets', {
    needs: ['getOneFCNet', 'getGarmentClassifier'],
    check: async (run, started) => {
      const outcome = await run({ kind: 'nets' }, 'the nets');
      return outcome.ok ? netsVerdict('nets', outcome.result as Record<'OneFCNet' | 'GarmentClassifier', Probe<{ value: NetProbe }>>, started) : notObserved('nets', outcome, started);
    },
  });
  checks.set('data', {
    needs: ['makeLoaders'],
    check: async (run, started) => {
      const outcome = await run({ kind: 'data' }, 'makeLoaders');
      return outcome.ok ? dataVerdict('data', outcome.result as Probe<{ value: LoaderProbe }>, started) : notObserved('data', outcome, started);
    },
  });
  checks.set('training.step', {
    needs: ['trainingStep', 'lossFn'],
    check: async (run, started) => {
      const expected = expectations().step;
      const outcome = await run({ kind: 'step' }, 'trainingStep');
      return outcome.ok ? stepVerdict('training.step', outcome.result as Probe<{ value: StepProbe }>, expected, started) : notObserved('training.step', outcome, started);
    },
  });
  checks.set('training.loop', {
    needs: ['theLoop'],
    check: async (run, started) => {
      const expected = expectations().loop;
      const outcome = await run({ kind: 'loop' }, 'theLoop');
      return outcome.ok ? loopVerdict('training.loop', outcome.result as Probe<{ value: LoopProbe }>, expected, started) : notObserved('training.loop', outcome, started);
    },
  });
  checks.set('tuning', {
    needs: [],
    check: async (run, started) => {
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
      // Retrained with the submission's own optimizer, in its process, so the student's local grade and the TA's agree.
      const outcome = await run({ kind: 'tuning', optimizer: choice.optimizer, args, batchSize: choice.batchSize, seed: thresholds.gradingSeed }, `retraining with the tuning choice (${choice.optimizer})`);
      return outcome.ok ? tuningVerdict('tuning', choice, outcome.result as Probe<{ value: TuningRun }>, started) : notObserved('tuning', outcome, started);
    },
  });
  return checks;
}

function missingExports(exports: Record<string, string>, needs: readonly string[]): string | undefined {
  const absent = needs.filter((n) => exports[n] !== 'function');
  return absent.length === 0 ? undefined : `the submission's index.ts does not export ${absent.join(', ')} (as a ${absent.length === 1 ? 'function or class' : 'functions or classes'})`;
}

export async function gradeSubmission(dir: string, options: GradeOptions = {}): Promise<Verdict[]> {
  const manifest = options.manifest ?? loadManifest();
  const thresholds = options.thresholds ?? loadThresholds();
  const publicCases = loadFixtureDir(options.fixturesDir ?? PUBLIC_FIXTURES);
  const hiddenCases = options.hiddenDir !== undefined ? loadFixtureDir(options.hiddenDir) : [];
  const tests = manifest.tests.filter((t) => (t.requires !== 'hidden-fixtures' || options.hiddenDir !== undefined)
    && (options.only === undefined || options.only.includes(t.id)));
  const fixturesDir = options.fixturesDir ?? PUBLIC_FIXTURES;
  let expectations: { step: StepProbe; loop: LoopProbe } | undefined;
  const mistakeRuns = eitherRuns(mistakeRunsFromFixtures(fixturesDir), await mistakeRunsFromCode());
  const checks = buildChecks(publicCases, hiddenCases, thresholds, () => (expectations ??= loadTrainingExpectations(fixturesDir)), mistakeRuns, dir);
  const executor: Executor = options.mode === 'in-process' ? new InProcessExecutor(dir) : new IsolatedExecutor(dir, options.isolation);
  const verdicts: Verdict[] = [];
  try {
    let prepared: Awaited<ReturnType<Executor['prepare']>>;
    try {
      prepared = await executor.prepare();
    } catch (error) {
      // The harness could not build or start the child: every test is a visible grader error.
      const message = `grader error: could not start the submission's process: ${describeThrown(error)}`;
      return tests.map((t) => ({ id: t.id, status: 'error' as const, message, durationMs: 0 }));
    }
    // Hidden tests run last, in a child of their own (group "hidden"), so no visible test runs after their inputs.
    const ordered = [...tests.filter((t) => !t.id.endsWith('.hidden')), ...tests.filter((t) => t.id.endsWith('.hidden'))];
    for (const [index, test] of ordered.entries()) {
      options.onTest?.(test.id, index, tests.length);
      const started = performance.now();
      try {
        if (!prepared.ok) { verdicts.push({ id: test.id, status: 'failed', message: prepared.message, durationMs: 0 }); continue; }
        const entry = checks.get(test.id);
        if (entry === undefined) throw new Error(`the manifest lists ${test.id}, which no grader check implements`);
        const absent = missingExports(prepared.exports, entry.needs);
        if (absent) { verdicts.push({ id: test.id, status: 'failed', message: absent, durationMs: 0 }); continue; }
        const group = test.id.endsWith('.hidden') ? 'hidden' : 'visible';
        verdicts.push(await entry.check((request, label) => executor.run(request, label, group), started));
      } catch (error) {
        verdicts.push({ id: test.id, status: 'error', message: `grader error: ${describeThrown(error)}`, durationMs: performance.now() - started });
      }
    }
  } finally {
    executor.close();
  }
  return tests.flatMap((t) => verdicts.filter((v) => v.id === t.id));
}
