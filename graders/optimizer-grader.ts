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
  agrees, CLOSED_LOOP_TOLERANCE, describeDivergence, firstDivergence, TEACHER_FORCED_TOLERANCE, type Divergence, type Tolerance,
} from './compare.js';
import type { KnownMistakeRun, MistakeRuns } from './known-mistakes.js';
import { finite, type Diagnostics, type Verdict } from './verdict.js';

export interface CaseOutcome {
  case: LoadedCase;
  trajectory: Trajectory;
}

const shapesOf = (c: LoadedCase): Record<string, number[]> => Object.fromEntries(c.input.params.map((p) => [p.name, p.shape]));
const toleranceOf = (c: LoadedCase): Tolerance => (c.input.kind === 'closed-loop' ? CLOSED_LOOP_TOLERANCE : TEACHER_FORCED_TOLERANCE);

/** Per step, the largest absolute error over all parameters (null: NaN/Infinity or missing). */
export function errorCurve(c: LoadedCase, trajectory: Trajectory): Array<number | null> {
  return c.expected.map((want, k) => {
    const have = trajectory.steps[k];
    if (have === undefined) return null;
    let worst = 0;
    for (const [name, values] of Object.entries(want)) {
      values.forEach((e, i) => { worst = Math.max(worst, Math.abs((have[name]?.[i] ?? Number.NaN) - e)); });
    }
    return finite(worst);
  });
}

/** The known mistake whose trajectory the student's matches on this case, if one does. */
export function matchMistake(c: LoadedCase, trajectory: Trajectory, runs: readonly KnownMistakeRun[]): KnownMistakeRun | undefined {
  if (trajectory.steps.length === 0) return undefined;
  for (const run of runs) {
    const compared = Math.min(run.trajectory.steps.length, trajectory.steps.length);
    if (compared > 0 && agrees(trajectory.steps.slice(0, compared), run.trajectory.steps.slice(0, compared), shapesOf(c), toleranceOf(c))) return run;
  }
  return undefined;
}

function noGradientNote(c: LoadedCase, d: Divergence): string {
  if (c.input.kind !== 'teacher-forced') return '';
  const grads = (c.input as TeacherForcedInput).grads;
  if (grads[d.step - 1]?.[d.param] === null) {
    return ` \`${d.param}\` had no gradient at step ${d.step}: a parameter without a gradient must stay exactly as it was, and so must its state.`;
  }
  if (d.step >= 2 && grads[d.step - 2]?.[d.param] === null) {
    return ` \`${d.param}\` had no gradient at step ${d.step - 1}: its state must not change on such a step either.`;
  }
  return '';
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

/** Decides one case: passed, or the precise reason it failed. */
export function judgeCase(name: OptimizerName, outcome: CaseOutcome, mistakeRuns: MistakeRuns): CaseVerdict {
  const { case: c, trajectory } = outcome;
  const curve = errorCurve(c, trajectory);
  const label = `${name}, case ${c.id} (${c.description})`;
  if (trajectory.fault !== undefined) {
    const where = trajectory.fault.step === 0 ? 'constructing the optimizer' : `step ${trajectory.fault.step}`;
    const mistake = matchMistake(c, trajectory, mistakeRuns(c));
    return {
      passed: false, ...(mistake ? { mistake } : {}),
      message: notImplementedPart(trajectory.fault.message) ?? `${label}: ${where} threw: ${trajectory.fault.message}`,
      diagnostics: { case: c.id, step: trajectory.fault.step, errorCurve: curve },
    };
  }
  const d = firstDivergence(trajectory.steps, c.expected, shapesOf(c), toleranceOf(c));
  if (d === undefined) return { passed: true, message: `${label}: all ${c.expected.length} steps agree`, diagnostics: { case: c.id, errorCurve: curve } };
  const mistake = matchMistake(c, trajectory, mistakeRuns(c));
  const named = mistake ? ` This looks like a known mistake: ${mistake.hint}` : '';
  return {
    passed: false, ...(mistake ? { mistake } : {}),
    message: `${label}: ${describeDivergence(d)}.${noGradientNote(c, d)}${named}`,
    diagnostics: {
      case: c.id, step: d.step, param: d.param, index: d.index, expected: finite(d.expected), got: finite(d.got),
      maxAbsError: finite(d.maxAbsError), maxRelError: finite(d.maxRelError), nonFinite: d.nonFinite, errorCurve: curve,
    },
  };
}

/** One verdict over several cases: passed when all pass; otherwise the first failure speaks. */
export function casesVerdict(id: string, name: OptimizerName, outcomes: CaseOutcome[], mistakeRuns: MistakeRuns, started: number): Verdict {
  const judged = outcomes.map((o) => judgeCase(name, o, mistakeRuns));
  const failed = judged.find((j) => !j.passed);
  const durationMs = performance.now() - started;
  if (failed === undefined) {
    return { id, status: 'passed', message: `${name}: ${outcomes.length} case${outcomes.length === 1 ? '' : 's'} agree with the reference at every step`, durationMs };
  }
  const others = judged.filter((j) => !j.passed).length - 1;
  const more = others > 0 && notImplementedPart(failed.message) === undefined ? ` (${others} other case${others === 1 ? '' : 's'} also fail${others === 1 ? 's' : ''})` : '';
  return {
    id, status: 'failed', message: `${failed.message}${more}`, durationMs, diagnostics: failed.diagnostics,
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
      x.forEach((v, i) => { const d = Math.abs(v - (y[i] ?? Number.NaN)); worst = Number.isNaN(d) ? Infinity : Math.max(worst, d); });
    }
  });
  return worst;
}

/** The properties verdict, every figure computed here from the raw observations. */
export function propertiesVerdict(id: string, name: OptimizerName, probes: OptimizerProbes, input: TeacherForcedInput, started: number): Verdict {
  const problems: string[] = [];
  const { lrZero, separateState, leak, fit } = probes;
  if (!lrZero.ok) problems.push(`with lr = 0, ${lrZero.fault}`);
  else {
    const initial = Object.fromEntries(input.params.map((p) => [p.name, p.initial.map((v) => Math.fround(v))]));
    const maxChange = largestDifference(lrZero.steps, lrZero.steps.map(() => initial), input.params.map((p) => p.name));
    if (lrZero.steps.length !== input.grads.length || maxChange !== 0) {
      problems.push(`with lr = 0 the parameters changed (by up to ${maxChange.toExponential(2)}); nothing may move when the learning rate is 0`);
    }
  }
  if (!separateState.ok) problems.push(`stepping two parameters, ${separateState.fault}`);
  else {
    const [first, second] = input.params.map((p) => p.name) as [string, string];
    const difference = Math.max(largestDifference(separateState.aloneFirst, separateState.together, [first]), largestDifference(separateState.aloneSecond, separateState.together, [second]));
    if (!(difference <= TEACHER_FORCED_TOLERANCE.atol)) {
      problems.push(`two parameters stepped together differ from each stepped alone (by up to ${difference.toExponential(2)}): each parameter needs its own state`);
    }
  }
  if (!leak.ok) problems.push(`in the leak check, ${leak.fault}`);
  else if (leak.counts.some((c) => c !== leak.counts[0])) {
    problems.push(`tensors leak: tf.memory().numTensors after steps 1..${leak.counts.length} was ${leak.counts.join(', ')}; run the update inside tf.tidy and keep state in variables updated with assign`);
  }
  if (!fit.ok) problems.push(fit.fault);
  else {
    const weightsChanged = fit.before.length === fit.after.length && fit.after.some((v, i) => v !== fit.before[i]);
    if (!weightsChanged || fit.losses.length === 0 || !fit.losses.every(Number.isFinite)) {
      problems.push(`inside model.fit the optimizer ${weightsChanged ? `produced losses ${fit.losses.join(', ')}` : 'did not change the weights'}`);
    }
  }
  const durationMs = performance.now() - started;
  if (problems.length === 0) return { id, status: 'passed', message: `${name}: lr = 0 changes nothing, state is per parameter, no tensor leaks, works in model.fit`, durationMs };
  const notImplemented = problems.map(notImplementedPart).find((p) => p !== undefined);
  const message = notImplemented ?? `${name}: ${problems.join('; ')}`;
  return { id, status: 'failed', message, durationMs };
}
