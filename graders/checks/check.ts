/**
 * What a check is: one graded test of the manifest, as a small object the registry lists. A check
 * gets a context (the executor's `run`, the fixtures, the thresholds, the known mistakes, the
 * submission's directory) and returns a verdict. `group: 'hidden'` marks checks that feed the
 * submission hidden inputs: the grading loop runs them after every visible one.
 */
import type { OptimizerName } from '../../contract/index.js';
import type { ExecOutcome } from '../../runner/executor.js';
import type { Request } from '../../runner/protocol.js';
import type { LoopProbe, StepProbe } from '../../runner/training-probes.js';
import type { LoadedCase } from '../fixtures.js';
import type { MistakeRuns } from '../known-mistakes.js';
import type { Thresholds } from '../thresholds-schema.js';
import type { Verdict } from '../verdict.js';

export interface CheckContext {
  /** The manifest's id of the test being graded. */
  id: string;
  /** performance.now() when the test started. */
  started: number;
  /** Asks the submission's process; `label` names what runs, for timeouts and faults. */
  run(request: Request, label: string): Promise<ExecOutcome>;
  publicCases: readonly LoadedCase[];
  hiddenCases: readonly LoadedCase[];
  thresholds: Thresholds;
  /** The training checks' initialisation and shuffling seed, drawn among the calibration seeds for every grading. */
  trainingSeed: number;
  /** The reference's observations of the step and loop probes (read when first needed). */
  expectations(): { step: StepProbe; loop: LoopProbe };
  mistakeRuns: MistakeRuns;
  /** The submission's directory (for tuning.json). */
  dir: string;
  /**
   * The verdict of another test of this grading, once it is done: undefined when that test is not
   * graded, or not started before this one (tests side by side all start together).
   */
  earlier(id: string): Promise<Verdict | undefined>;
}

export interface Check {
  id: string;
  /** The submission's exports this check calls; missing ones fail it without running. */
  needs: readonly string[];
  /** `hidden`: run in the hidden group, after all visible checks. */
  group: 'visible' | 'hidden';
  /**
   * Roughly how long it runs, relative to the others (default 0: milliseconds): when checks run
   * side by side, the heaviest start first, so a long one does not end the grading alone.
   */
  weight?: number;
  grade(context: CheckContext): Promise<Verdict>;
}

/**
 * One failure, one place: when `dependency` (another test of this grading) failed, the sentence that says
 * so and points there; undefined when it passed or was not graded.
 */
export async function becauseOf(
  context: CheckContext,
  dependency: string,
  what: string,
): Promise<string | undefined> {
  const v = await context.earlier(dependency);
  return v === undefined || v.status === 'passed'
    ? undefined
    : `${what} fails its own test, ${dependency} (see there)`;
}

/** A verdict from a failed request: the process failure or grader error, said as it is. */
export function notObserved(context: CheckContext, outcome: Extract<ExecOutcome, { ok: false }>): Verdict {
  return {
    id: context.id,
    status: outcome.status,
    message: outcome.message,
    durationMs: performance.now() - context.started,
  };
}

/** The cases of `name` (of one kind, when given) among `cases`. */
export function casesOf(
  cases: readonly LoadedCase[],
  name: OptimizerName,
  kind?: 'teacher-forced' | 'closed-loop',
): LoadedCase[] {
  return cases.filter((c) => c.input.optimizer === name && (kind === undefined || c.input.kind === kind));
}
