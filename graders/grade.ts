/**
 * Grades one submission directory test by test, as the manifest lists them, and returns one
 * verdict per test, in the manifest's order. Each test's check comes from the registry
 * (graders/checks/registry.ts); this file keeps only the loop. The submission's code runs behind
 * an Executor (by default a confined child process) that returns validated observations; expected
 * values stay here and verdicts are decided here. Checks of the `hidden` group run after every
 * visible one. Anything that escapes as an exception is a harness fault and becomes a visible
 * grader error for that test, never a pass.
 */
import { exportHint } from './export-hint.js';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import {
  IsolatedExecutor,
  InProcessExecutor,
  type Executor,
  type IsolatedOptions,
} from '../runner/executor.js';
import { describeThrown } from '../runner/optimizer-case.js';
import type { LoopProbe, StepProbe } from '../runner/training-probes.js';
import type { CheckContext } from './checks/check.js';
import { CHECKS } from './checks/registry.js';
import { loadFixtureDir, loadTrainingExpectations } from './fixtures.js';
import { eitherRuns, mistakeRunsFromCode, mistakeRunsFromFixtures } from './known-mistakes.js';
import { loadManifest, type Manifest, type ManifestTest } from './manifest-schema.js';
import { loadThresholds, type Thresholds } from './thresholds-schema.js';
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
  /** Called when a test starts and when it ends, with how many tests have ended. */
  onTest?: (id: string, done: number, total: number) => void;
  /** The training checks' seed, one of the calibration seeds (default: drawn at random among them per grading). */
  trainingSeed?: number;
  /**
   * Who answers for the submission (default: per `mode`). The self-tests pass one that lies, as a
   * compromised child could, to prove that no verdict rests on what the child says.
   */
  executor?: Executor;
  /**
   * Verdicts of tests graded before, by another grading of the same submission (the student suite
   * grades one part at a time): a check that asks for a test outside this grading gets its verdict
   * from here, as it would within one grading of them all.
   */
  known?: ReadonlyMap<string, Verdict>;
}

function missingExports(
  dir: string,
  exports: Record<string, string>,
  needs: readonly string[],
): string | undefined {
  const absent = needs.filter((n) => exports[n] !== 'function');
  if (absent.length === 0) return undefined;
  const hints = absent.map((n) => exportHint(dir, n)).filter((h) => h !== undefined);
  return `the submission's index.ts does not export ${absent.join(', ')} (as a ${absent.length === 1 ? 'function or class' : 'functions or classes'})${hints.length > 0 ? `: ${hints.join('; ')}` : ''}`;
}

/** The tests to grade in two groups, visible first, hidden after every visible one (each in the manifest's order). */
function gradingGroups(tests: readonly ManifestTest[]): ManifestTest[][] {
  const hidden = (t: ManifestTest): boolean => CHECKS.get(t.id)?.group === 'hidden';
  return [tests.filter((t) => !hidden(t)), tests.filter(hidden)];
}

/** A test's requests' output together, within the verdict's cap. */
function capPrinted(parts: readonly string[]): string {
  const text = parts.join('\n');
  return text.length <= 16_000
    ? text
    : `${text.slice(0, 16_000)}\n… (${text.length - 16_000} more characters)`;
}

const weightOf = (test: ManifestTest): number => CHECKS.get(test.id)?.weight ?? 0;

export async function gradeSubmission(dir: string, options: GradeOptions = {}): Promise<Verdict[]> {
  const manifest = options.manifest ?? loadManifest();
  const fixturesDir = options.fixturesDir ?? PUBLIC_FIXTURES;
  const tests = manifest.tests.filter(
    (t) =>
      (t.requires !== 'hidden-fixtures' || options.hiddenDir !== undefined) &&
      (options.only === undefined || options.only.includes(t.id)),
  );
  let expectations: { step: StepProbe; loop: LoopProbe } | undefined;
  const thresholds = options.thresholds ?? loadThresholds();
  const seeds = thresholds.optimizers['GD']!.calibration.seeds;
  const shared: Omit<CheckContext, 'id' | 'started' | 'run' | 'earlier'> = {
    publicCases: loadFixtureDir(fixturesDir),
    hiddenCases: options.hiddenDir !== undefined ? loadFixtureDir(options.hiddenDir) : [],
    thresholds,
    trainingSeed: options.trainingSeed ?? seeds[randomInt(0, seeds.length)]!,
    expectations: () => (expectations ??= loadTrainingExpectations(fixturesDir)),
    mistakeRuns: eitherRuns(mistakeRunsFromFixtures(fixturesDir), await mistakeRunsFromCode()),
    dir,
  };
  const executor: Executor =
    options.executor ??
    (options.mode === 'in-process'
      ? new InProcessExecutor(dir)
      : new IsolatedExecutor(dir, options.isolation));
  /** Each started test's verdict, to come: a check that asks for another's verdict waits for it. */
  const verdicts = new Map<string, Promise<Verdict>>();
  try {
    let loaded: Awaited<ReturnType<Executor['prepare']>>;
    try {
      loaded = await executor.prepare();
    } catch (error) {
      // The harness could not build or start the child: every test is a visible grader error.
      const message = `grader error: could not start the submission's process: ${describeThrown(error)}`;
      return tests.map((t) => ({ id: t.id, status: 'error' as const, message, durationMs: 0 }));
    }
    const prepared = loaded;
    let done = 0;
    const gradeTest = async (test: ManifestTest): Promise<Verdict> => {
      options.onTest?.(test.id, done, tests.length);
      const started = performance.now();
      const failed = (message: string): Verdict => ({
        id: test.id,
        status: 'failed',
        message,
        durationMs: 0,
      });
      try {
        if (!prepared.ok) return failed(prepared.message);
        const check = CHECKS.get(test.id);
        if (check === undefined)
          throw new Error(`the manifest lists ${test.id}, which no grader check implements`);
        const absent = missingExports(dir, prepared.exports, check.needs);
        if (absent) return failed(absent);
        // Time spent waiting, for a free child or for another test's verdict, is not this test's duration.
        let waited = 0;
        const printed: string[] = [];
        const run: CheckContext['run'] = async (request, label) => {
          const asked = performance.now();
          // A hidden check's requests go to children that run no visible test after them (runner/lanes.ts).
          const outcome = await executor.run(
            request,
            label,
            check.group,
            () => (waited += performance.now() - asked),
          );
          if (outcome.printed !== undefined) printed.push(`[${label}]\n${outcome.printed}`);
          return outcome;
        };
        const earlier: CheckContext['earlier'] = async (id) => {
          const asked = performance.now();
          const verdict = await (verdicts.get(id) ?? options.known?.get(id));
          waited += performance.now() - asked;
          return verdict;
        };
        const verdict = await check.grade({ ...shared, id: test.id, started, run, earlier });
        // The student's own prints, for a visible test only: a hidden test's could carry its inputs.
        const shown =
          check.group === 'hidden' || printed.length === 0 ? {} : { printed: capPrinted(printed) };
        return { ...verdict, ...shown, durationMs: Math.max(0, verdict.durationMs - waited) };
      } catch (error) {
        return {
          id: test.id,
          status: 'error',
          message: `grader error: ${describeThrown(error)}`,
          durationMs: performance.now() - started,
        };
      } finally {
        done++;
        options.onTest?.(test.id, done, tests.length);
      }
    };
    /** Starts `group`'s tests together (each registered before any runs) and waits for them all. */
    const together = async (group: readonly ManifestTest[]): Promise<void> => {
      const starts: Array<() => void> = [];
      const pending = group.map((test) => {
        const verdict = new Promise<void>((resolve) => starts.push(resolve)).then(() => gradeTest(test));
        verdicts.set(test.id, verdict);
        return verdict;
      });
      for (const start of starts) start();
      await Promise.all(pending);
    };
    const sideBySide = (executor.lanes ?? 1) > 1;
    for (const group of gradingGroups(tests)) {
      if (sideBySide) {
        // Every check of the group at once, the longest first: the executor gives each request a
        // lane as one frees, and a check waiting for another's verdict holds none.
        await together([...group].sort((a, b) => weightOf(b) - weightOf(a)));
      } else {
        for (const test of group) await together([test]);
      }
    }
  } finally {
    executor.close();
  }
  return Promise.all(tests.map((t) => verdicts.get(t.id)!));
}
