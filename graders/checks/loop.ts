/**
 * `training.loop`: theLoop with the harness's net, plain SGD, small loaders, validation and SWA.
 * Every recorded state is compared with the parameters before its step (read after the loop
 * returned, so a state that is the live variables shows the final values), then the losses,
 * validation losses, the SWA model and the epochs check. When trainingStep fails its own test,
 * what depends on it (the values of states and losses, the SWA average) is not charged here
 * again: the message says so and points to training.step (docs/grading-policy.md).
 */
import { gradingData } from '../trained-net.js';
import { CLOSED_LOOP_TOLERANCE, describeDivergence, firstDivergence } from '../compare.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import { TRAINED_WITHOUT_EPOCHS, type LoopProbe } from '../../runner/training-probes.js';
import { faultOutcome } from '../training-grader.js';
import type { Verdict } from '../verdict.js';
import { becauseOf, notObserved, type Check } from './check.js';

const close = (got: number, want: number): boolean => Math.abs(got - want) <= 1e-4 + 1e-3 * Math.abs(want);
const agree = (got: readonly number[], want: readonly number[]): boolean =>
  got.length === want.length &&
  firstDivergence([{ s: got }], [{ s: want }], { s: [want.length] }, CLOSED_LOOP_TOLERANCE) === undefined;
const flat = (state: readonly (readonly number[])[]): number[] => state.flat();

interface Problems {
  own: string[];
  dependent: string[];
}

/** The validation loss of OneFCNet parameters (kernel 784×10, then bias), as the mean over samples and as the mean of batch means. */
export interface ValidationMeans {
  samples: number;
  batches: number;
}

/**
 * The probe's validation loader, evaluated by the grading process itself: samples 400–409 of the
 * data set in batches of 4 (runner/training-probes.ts, probeLoop), on OneFCNet parameters given
 * flat (the harness's net: kernel [784, 10] row-major, then the bias).
 */
export function validationMeans(): (params: readonly number[]) => ValidationMeans {
  const data = gradingData();
  const images = Array.from({ length: 10 }, (_, k) => {
    const image = new Float32Array(784);
    data.copyImage(400 + k, image, 0);
    return { image, label: data.label(400 + k) };
  });
  return (params) => {
    const losses = images.map(({ image, label }) => {
      const logits = Array.from({ length: 10 }, (_, j) => {
        let z = params[7840 + j]!;
        for (let i = 0; i < 784; i++) z += image[i]! * params[i * 10 + j]!;
        return z;
      });
      const top = Math.max(...logits);
      const sum = logits.reduce((a, z) => a + Math.exp(z - top), 0);
      return top + Math.log(sum) - logits[label]!;
    });
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { samples: mean(losses), batches: mean([0, 4, 8].map((b) => mean(losses.slice(b, b + 4)))) };
  };
}

/**
 * valLosses that are not the reference's, explained by what differs: the parameters (the mean is
 * right at the student's own parameters after each epoch, read from their states: that follows
 * from the steps), the weighting of the batches, or the mean itself.
 */
function valLossProblem(
  p: LoopProbe,
  expected: LoopProbe,
  evaluateAt: (params: readonly number[]) => ValidationMeans,
): { own?: string; dependent?: string } {
  const want = expected.valLosses!;
  const got = p.valLosses!;
  const perEpoch = expected.states.length / want.length;
  const statesUsable = p.statesUnreadable === '' && p.states.length === expected.states.length;
  const after = want.map((_, i) =>
    i === want.length - 1 ? p.finalParams : statesUsable ? flat(p.states[(i + 1) * perEpoch]!) : undefined,
  );
  if (after.some((a) => a === undefined || a.length !== 7850))
    return {
      own: `valLosses ${JSON.stringify(got)} differ from ${JSON.stringify(want)}: SPEC.md asks for "the mean loss over the validation loader" after each epoch, the mean over samples`,
    };
  const means = after.map((a) => evaluateAt(a!));
  const at = got.findIndex((v, i) => !close(v, want[i]!));
  if (got.every((v, i) => close(v, means[i]!.samples)))
    return {
      dependent: `valLosses[${at}] is ${got[at]}, expected ${want[at]}: it is the right mean validation loss at your net's parameters after epoch ${at}, but those parameters are not the reference's (they follow from the training steps)`,
    };
  if (got.every((v, i) => close(v, means[i]!.batches)))
    return {
      own: `valLosses ${JSON.stringify(got)} are the means of the validation batches' mean losses (${JSON.stringify(means.map((m) => m.samples))} at the same parameters): SPEC.md asks for "the mean loss over the validation loader", the mean over samples (batches weighted by their size, as the course's evaluate computes it); the last batch here holds 2 samples, the others 4`,
    };
  const wrong = got.findIndex((v, i) => !close(v, means[i]!.samples));
  return {
    own: `valLosses[${wrong}] is ${got[wrong]}, but the mean loss over the validation loader at your net's parameters after epoch ${wrong} is ${means[wrong]!.samples} (SPEC.md: after each epoch, "append the mean loss over the validation loader to \`valLosses\`", the mean over samples, at the parameters after that epoch)`,
  };
}

export function judgeLoop(
  p: LoopProbe,
  expected: LoopProbe,
  evaluateAt: (params: readonly number[]) => ValidationMeans,
): Problems {
  const own: string[] = [];
  const dependent: string[] = [];
  const trained = p.withoutEpochs.startsWith(TRAINED_WITHOUT_EPOCHS);
  const thrown = trained ? p.withoutEpochs.slice(TRAINED_WITHOUT_EPOCHS.length) : p.withoutEpochs;
  const rule =
    'SPEC.md: "`epochs` is required: without it, a clear error": an Error that names the `epochs` option, thrown before any training step';
  if (thrown === 'no error')
    own.push(
      `without \`epochs\` theLoop ran${trained ? ' and trained the net' : ''} instead of refusing (${rule})`,
    );
  else if (trained)
    own.push(`without \`epochs\` theLoop changed the net's parameters before it threw (${thrown}) (${rule})`);
  else if (!/epoch/i.test(thrown))
    own.push(`without \`epochs\` theLoop threw an error that does not name the option: ${thrown} (${rule})`);
  const steps = expected.losses.length;
  if (p.losses.length !== steps)
    own.push(
      `3 epochs of 3 batches gave ${p.losses.length} losses, expected ${steps} (SPEC.md: after each step, "append the batch loss (a number) to \`losses\`")`,
    );
  if (p.statesUnreadable !== '')
    own.push(
      `states could not be read as parameter values: ${p.statesUnreadable}; SPEC.md: "append a copy of the current parameters to \`states\`"`,
    );
  else if (p.states.length !== expected.states.length)
    own.push(
      `${p.states.length} states were recorded, expected ${expected.states.length} (one before every step)`,
    );
  else {
    const tensors = expected.states[0]!.map((t) => t.length);
    const shapeAt = p.states.findIndex(
      (s) => s.length !== tensors.length || s.some((t, i) => t.length !== tensors[i]),
    );
    if (shapeAt >= 0) {
      own.push(
        `states[${shapeAt}] holds ${p.states[shapeAt]!.length} tensors of ${p.states[shapeAt]!.map((t) => t.length).join(', ')} values, expected ${tensors.length} of ${tensors.join(', ')}: a state is a copy of every parameter tensor`,
      );
    } else {
      const live =
        p.states.length > 1 &&
        p.states.every((s) => agree(flat(s), p.finalParams)) &&
        !agree(p.initialParams, p.finalParams);
      if (live)
        own.push(
          'every state equals the parameters after the last step: the states are the live variables, not copies; SPEC.md: "first append a copy of the current parameters to `states`"',
        );
      else {
        const at = p.states.findIndex((s, k) => !agree(flat(s), flat(expected.states[k]!)));
        if (at === 0)
          own.push(
            'states[0] is not the parameters before the first step: record a copy of the parameters before each step (SPEC.md: "first append a copy of the current parameters to `states`, then do a training step")',
          );
        else if (at > 0) {
          const d = firstDivergence(
            [{ s: flat(p.states[at]!) }],
            [{ s: flat(expected.states[at]!) }],
            { s: [flat(expected.states[at]!).length] },
            CLOSED_LOOP_TOLERANCE,
          )!;
          const later = p.states.slice(at).some((s) => agree(flat(s), p.finalParams))
            ? ' (it equals the final parameters: was it changed by later steps?)'
            : '';
          dependent.push(
            `states[${at}] differs from the parameters before step ${at + 1}${later}: ${describeDivergence(d).replace(/^step 1 is the first to diverge: /, '')}`,
          );
        }
      }
    }
  }
  const lossAt = p.losses.findIndex((v, i) => !close(v, expected.losses[i] ?? Number.NaN));
  if (p.losses.length === steps && lossAt >= 0)
    dependent.push(
      `losses[${lossAt}] is ${p.losses[lossAt]}, expected ${expected.losses[lossAt]}: the k-th loss is the batch loss of the k-th step`,
    );
  const want = expected.valLosses!;
  if (p.valLosses === null || p.valLosses.length !== want.length)
    own.push(
      `with a validation loader, valLosses should hold one mean loss per epoch (${want.length}), got ${p.valLosses === null ? 'none' : p.valLosses.length}`,
    );
  else if (p.valLosses.some((v, i) => !close(v, want[i]!))) {
    const problem = valLossProblem(p, expected, evaluateAt);
    if (problem.own !== undefined) own.push(problem.own);
    if (problem.dependent !== undefined) dependent.push(problem.dependent);
  }
  if (p.swaAveraged !== expected.swaAveraged)
    own.push(
      `with swaStart = 0 over 3 epochs the SWA model was updated ${p.swaAveraged} times, expected ${expected.swaAveraged} (SPEC.md: after each epoch i, "if a SWA model is given and i > swaStart, update it")`,
    );
  else if (p.swaState !== null && expected.swaState !== null && !agree(p.swaState, expected.swaState)) {
    dependent.push('the SWA model averages other parameters than those after each epoch i > swaStart');
  }
  return { own, dependent };
}

export const LOOP_CHECK: Check = {
  id: 'training.loop',
  needs: ['theLoop'],
  group: 'visible',
  grade: async (ctx): Promise<Verdict> => {
    const expected = ctx.expectations().loop;
    const outcome = await ctx.run({ kind: 'loop' }, 'theLoop');
    if (!outcome.ok) return notObserved(ctx, outcome);
    const probe = outcome.result as Probe<{ value: LoopProbe }>;
    const done = (v: Omit<Verdict, 'id' | 'durationMs'>): Verdict => ({
      id: ctx.id,
      ...v,
      durationMs: performance.now() - ctx.started,
    });
    if (!probe.ok) return done(faultOutcome('theLoop', probe.fault));
    const { own, dependent } = judgeLoop(probe.value, expected, validationMeans());
    const cause = await becauseOf(ctx, 'training.step', 'theLoop calls your trainingStep, which');
    if (own.length === 0 && dependent.length === 0) {
      return done({
        status: 'passed',
        message:
          'theLoop records a copy of the parameters before every step, the losses in order, validation losses per epoch, updates SWA after epoch i > swaStart, and refuses to run without epochs',
      });
    }
    if (own.length === 0 && cause !== undefined) {
      return done({
        status: 'passed',
        message: `${dependent.join('; ')}; not charged here: ${cause}. Everything else theLoop does is right`,
      });
    }
    const note =
      cause !== undefined && dependent.length > 0
        ? ` (${cause}: that may explain ${dependent.length === 1 ? 'the last point' : 'the last points'})`
        : '';
    return done({ status: 'failed', message: `${[...own, ...dependent].join('; ')}${note}` });
  },
};
