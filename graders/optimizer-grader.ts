/**
 * Verdicts on one optimizer: its teacher-forced and closed-loop cases against the reference's
 * tensors, and its properties. A failed check names the case, the first diverging step, the
 * parameter and worst element, expected vs got, the errors, and — when the student's trajectory
 * matches a known mistake — that mistake.
 */
import type { TeacherForcedInput } from '../contract/fixture-schema.js';
import type { LoadedCase } from './fixtures.js';
import type { OptimizerName } from '../contract/index.js';
import type { Trajectory } from '../runner/optimizer-case.js';
import type { OptimizerProbes } from '../runner/optimizer-probes.js';
import {
  agrees,
  CLOSED_LOOP_TOLERANCE,
  describeDivergence,
  firstDivergence,
  incompleteness,
  TEACHER_FORCED_TOLERANCE,
  type Divergence,
  type Tolerance,
} from './compare.js';
import type { KnownMistakeRun, MistakeRuns } from './known-mistakes.js';
import { finite, type Diagnostics, type Verdict } from './verdict.js';

export interface CaseOutcome {
  case: LoadedCase;
  trajectory: Trajectory;
}

const shapesOf = (c: LoadedCase): Record<string, number[]> =>
  Object.fromEntries(c.input.params.map((p) => [p.name, p.shape]));
const toleranceOf = (c: LoadedCase): Tolerance =>
  c.input.kind === 'closed-loop' ? CLOSED_LOOP_TOLERANCE : TEACHER_FORCED_TOLERANCE;

/** Per step, the largest absolute error over all parameters (null: NaN/Infinity or missing). */
export function errorCurve(c: LoadedCase, trajectory: Trajectory): Array<number | null> {
  return c.expected.map((want, k) => {
    const have = trajectory.steps[k];
    if (have === undefined) return null;
    let worst = 0;
    for (const [name, values] of Object.entries(want)) {
      values.forEach((e, i) => {
        worst = Math.max(worst, Math.abs((have[name]?.[i] ?? Number.NaN) - e));
      });
    }
    return finite(worst);
  });
}

/** Optimizers whose update uses `t`, the optimizer's own step count (SPEC.md, Optimizers). */
const COUNTS_STEPS: ReadonlySet<OptimizerName> = new Set(['SGDwMLD', 'Adam']);

/**
 * The known mistake the student's trajectory shows on this case, when that is conclusive: over
 * the steps the student's run produced, the student's trajectory agrees with that mistake's, the
 * mistake's leaves the reference's (so correct code would not match it), and no other known
 * mistake agrees with the student's too. Otherwise nothing is named.
 */
export function matchMistake(
  c: LoadedCase,
  trajectory: Trajectory,
  runs: readonly KnownMistakeRun[],
): KnownMistakeRun | undefined {
  const compared = trajectory.steps.length;
  if (compared === 0) return undefined;
  const head = (steps: Trajectory['steps']): Trajectory['steps'] => steps.slice(0, compared);
  const reference = head(c.expected as Trajectory['steps']);
  const matching = runs.filter(
    (run) =>
      run.trajectory.steps.length >= compared &&
      agrees(trajectory.steps, head(run.trajectory.steps), shapesOf(c), toleranceOf(c)),
  );
  if (matching.length !== 1) return undefined;
  const [only] = matching as [KnownMistakeRun];
  return agrees(head(only.trajectory.steps), reference, shapesOf(c), toleranceOf(c)) ? undefined : only;
}

function noGradientNote(name: OptimizerName, c: LoadedCase, d: Divergence): string {
  if (c.input.kind !== 'teacher-forced') return '';
  const grads = (c.input as TeacherForcedInput).grads;
  const counts = COUNTS_STEPS.has(name)
    ? ' Also, t counts the optimizer\'s steps (SPEC.md: "the number of steps this optimizer has taken"), every step, whether or not this parameter had a gradient: a count kept per parameter falls behind here.'
    : '';
  if (grads[d.step - 1]?.[d.param] === null) {
    return ` \`${d.param}\` had no gradient at step ${d.step}: SPEC.md says each optimizer "leaves the others (and their state) untouched", so it must stay exactly as it was.`;
  }
  if (d.step >= 2 && grads[d.step - 2]?.[d.param] === null && name === 'GD')
    return ` \`${d.param}\` had no gradient at step ${d.step - 1}: GD keeps no state, so a step without a gradient must leave no trace on the next one (θ ← θ − lr·g, whatever came before).`;
  if (d.step >= 2 && grads[d.step - 2]?.[d.param] === null) {
    return ` \`${d.param}\` had no gradient at step ${d.step - 1}: its state must not change on such a step either.${counts}`;
  }
  return '';
}

/**
 * A fault that is the backend's, not the student's: tfjs has no kernel for an operation on the
 * backend the submission runs on (the course registers the ones it knows to be missing, in
 * course/kernels/). Said as such, so that correct code is not blamed.
 */
export function backendFault(fault: string): string | undefined {
  const missing = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(fault);
  return missing
    ? `the ${missing[2]} backend of TensorFlow.js has no '${missing[1]}' kernel (${fault}): this is the backend, not your code; please tell the course staff, who can add the kernel (course/kernels/)`
    : undefined;
}

/** The template's "not implemented: …" message inside a longer one, so it is shown as it is. */
export function notImplementedPart(message: string): string | undefined {
  const at = message.indexOf('not implemented: ');
  return at >= 0 ? message.slice(at) : undefined;
}

interface CaseVerdict {
  passed: boolean;
  message: string;
  mistake?: KnownMistakeRun;
  diagnostics: Diagnostics;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Decides one case: passed, or the precise reason it failed. */
export function judgeCase(name: OptimizerName, outcome: CaseOutcome, mistakeRuns: MistakeRuns): CaseVerdict {
  const { case: c, trajectory } = outcome;
  const curve = errorCurve(c, trajectory);
  const label = `${name}, case ${c.id} (${c.description})`;
  const fault = trajectory.fault;
  // Every step before a fault (or every step, without one) must be there, complete.
  const expectedSteps = fault === undefined ? c.expected.length : Math.max(fault.step - 1, 0);
  const missing =
    fault !== undefined && fault.step > c.expected.length
      ? `the run reports a fault at step ${fault.step}, but the case has only ${c.expected.length} steps`
      : incompleteness(trajectory.steps, expectedSteps, shapesOf(c));
  if (missing !== undefined) {
    return {
      passed: false,
      message: `${label}: incomplete observation: ${missing}`,
      diagnostics: { case: c.id, errorCurve: curve },
    };
  }
  const d = firstDivergence(
    trajectory.steps,
    c.expected.slice(0, trajectory.steps.length),
    shapesOf(c),
    toleranceOf(c),
  );
  if (fault === undefined && d === undefined)
    return {
      passed: true,
      message: `${label}: all ${c.expected.length} steps agree`,
      diagnostics: { case: c.id, errorCurve: curve },
    };
  // Only a failed case is matched against the known mistakes: running them costs the grading process
  // a case run per mistake, which a case that agrees with the reference does not need.
  const mistake = matchMistake(c, trajectory, mistakeRuns(c));
  const named = mistake ? ` This looks like a known mistake: ${mistake.hint}` : '';
  if (fault !== undefined) {
    const where = fault.step === 0 ? 'constructing the optimizer' : `step ${fault.step}`;
    const before =
      fault.step <= 1
        ? ''
        : d === undefined
          ? ` (the ${plural(fault.step - 1, 'step')} before agree with the reference)`
          : ` (before that, ${describeDivergence(d)})`;
    return {
      passed: false,
      ...(mistake ? { mistake } : {}),
      message:
        notImplementedPart(fault.message) ??
        (backendFault(fault.message) !== undefined
          ? `${label}: ${where} failed: ${backendFault(fault.message)!}${before}.`
          : `${label}: ${where} threw: ${fault.message}${before}.${named}`),
      diagnostics: { case: c.id, step: fault.step, errorCurve: curve },
    };
  }
  if (d === undefined) throw new Error(`${label}: no fault and no divergence, yet not passed`);
  return {
    passed: false,
    ...(mistake ? { mistake } : {}),
    message: `${label}: ${describeDivergence(d)}.${noGradientNote(name, c, d)}${named}`,
    diagnostics: {
      case: c.id,
      step: d.step,
      param: d.param,
      index: d.index,
      expected: finite(d.expected),
      got: finite(d.got),
      maxAbsError: finite(d.maxAbsError),
      maxRelError: finite(d.maxRelError),
      nonFinite: d.nonFinite,
      errorCurve: curve,
    },
  };
}

/** One verdict over several cases: passed when all pass; otherwise the first failure speaks. */
export function casesVerdict(
  id: string,
  name: OptimizerName,
  outcomes: CaseOutcome[],
  mistakeRuns: MistakeRuns,
  started: number,
): Verdict {
  const judged = outcomes.map((o) => judgeCase(name, o, mistakeRuns));
  const failed = judged.find((j) => !j.passed);
  const durationMs = performance.now() - started;
  if (failed === undefined) {
    return {
      id,
      status: 'passed',
      message: `${name}: ${outcomes.length} case${outcomes.length === 1 ? '' : 's'} agree with the reference at every step`,
      durationMs,
    };
  }
  const others = judged.filter((j) => !j.passed).length - 1;
  const more =
    others > 0 && notImplementedPart(failed.message) === undefined
      ? ` (${others} other case${others === 1 ? '' : 's'} also fail${others === 1 ? 's' : ''})`
      : '';
  return {
    id,
    status: 'failed',
    message: `${failed.message}${more}`,
    durationMs,
    diagnostics: failed.diagnostics,
    ...(failed.mistake ? { mistake: { id: failed.mistake.id, hint: failed.mistake.hint } } : {}),
  };
}

type Steps = Trajectory['steps'];

/** The largest |a − b| over the named parameters and all steps (Infinity for NaN or a missing value). */
function largestDifference(a: Steps, b: Steps, names: readonly string[]): number {
  let worst = a.length === b.length ? 0 : Infinity;
  a.forEach((step, k) => {
    for (const name of names) {
      const x = step[name] ?? [];
      const y = b[k]?.[name] ?? [];
      if (x.length !== y.length) worst = Infinity;
      x.forEach((v, i) => {
        const d = Math.abs(v - (y[i] ?? Number.NaN));
        worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
      });
    }
  });
  return worst;
}

/** What is missing from the property probes' observations; undefined when complete. */
function probeIncompleteness(probes: OptimizerProbes, input: TeacherForcedInput): string | undefined {
  const shapes = Object.fromEntries(input.params.map((p) => [p.name, p.shape]));
  const only = (names: string[]) => Object.fromEntries(names.map((n) => [n, shapes[n]!]));
  const [first, second] = input.params.map((p) => p.name) as [string, string];
  const { lrZero, separateState, leak, fit } = probes;
  const found = [
    lrZero.ok ? incompleteness(lrZero.steps, input.grads.length, shapes) : undefined,
    separateState.ok
      ? incompleteness(separateState.together, input.grads.length, only([first, second]))
      : undefined,
    separateState.ok
      ? incompleteness(separateState.aloneFirst, input.grads.length, only([first]))
      : undefined,
    separateState.ok
      ? incompleteness(separateState.aloneSecond, input.grads.length, only([second]))
      : undefined,
    leak.ok && leak.counts.length !== 10
      ? `the leak check returned ${leak.counts.length} tensor counts, expected 10`
      : undefined,
    fit.ok && (fit.losses.length !== 3 || fit.before.length !== 3 || fit.after.length !== 3)
      ? `model.fit returned ${fit.losses.length} losses and ${fit.before.length}/${fit.after.length} weights, expected 3 and 3/3`
      : undefined,
  ];
  return found.find((f) => f !== undefined);
}

/** The properties verdict, every figure computed here from the raw observations and the inputs the grader chose. */
export function propertiesVerdict(
  id: string,
  name: OptimizerName,
  probes: OptimizerProbes,
  input: TeacherForcedInput,
  started: number,
): Verdict {
  const incomplete = probeIncompleteness(probes, input);
  if (incomplete !== undefined) {
    return {
      id,
      status: 'failed',
      message: `${name}: incomplete observation: ${incomplete}`,
      durationMs: performance.now() - started,
    };
  }
  const problems: string[] = [];
  const { lrZero, separateState, leak, fit } = probes;
  if (!lrZero.ok) problems.push(`with lr = 0, ${lrZero.fault}`);
  else {
    const initial = Object.fromEntries(
      input.params.map((p) => [p.name, p.initial.map((v) => Math.fround(v))]),
    );
    const maxChange = largestDifference(
      lrZero.steps,
      lrZero.steps.map(() => initial),
      input.params.map((p) => p.name),
    );
    if (maxChange !== 0) {
      problems.push(
        `with lr = 0 the parameters changed (by up to ${maxChange.toExponential(2)}); nothing may move when the learning rate is 0`,
      );
    }
  }
  if (!separateState.ok) problems.push(`stepping two parameters, ${separateState.fault}`);
  else {
    const [first, second] = input.params.map((p) => p.name) as [string, string];
    const difference = Math.max(
      largestDifference(separateState.aloneFirst, separateState.together, [first]),
      largestDifference(separateState.aloneSecond, separateState.together, [second]),
    );
    if (!(difference <= TEACHER_FORCED_TOLERANCE.atol)) {
      const t = COUNTS_STEPS.has(name)
        ? ', and t counts the optimizer\'s steps (SPEC.md: "the number of steps this optimizer has taken"), so it advances once per step, not once per parameter updated'
        : '';
      problems.push(
        `two parameters stepped together differ from each stepped alone (by up to ${difference.toExponential(2)}): each parameter needs its own state${t}`,
      );
    }
  }
  if (!leak.ok) problems.push(`in the leak check, ${leak.fault}`);
  else if (leak.counts.some((c) => c !== leak.counts[0])) {
    problems.push(
      `tensors leak: tf.memory().numTensors after steps 1..${leak.counts.length} was ${leak.counts.join(', ')}; run the update inside tf.tidy and keep state in variables updated with assign`,
    );
  }
  if (!fit.ok) problems.push(fit.fault);
  else {
    const weightsChanged = fit.after.some((v, i) => v !== fit.before[i]);
    if (!weightsChanged || !fit.losses.every(Number.isFinite)) {
      problems.push(
        `inside model.fit the optimizer ${weightsChanged ? `produced losses ${fit.losses.join(', ')}` : 'did not change the weights'}`,
      );
    }
  }
  const durationMs = performance.now() - started;
  if (problems.length === 0)
    return {
      id,
      status: 'passed',
      message: `${name}: lr = 0 changes nothing, state is per parameter, no tensor leaks, works in model.fit`,
      durationMs,
    };
  const notImplemented = problems.map(notImplementedPart).find((p) => p !== undefined);
  const message = notImplemented ?? `${name}: ${problems.join('; ')}`;
  return { id, status: 'failed', message, durationMs };
}
