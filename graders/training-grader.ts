/**
 * Verdicts on the nets, the loaders, the training step and loop, the short trainings and the
 * tuning choice, from the numbers the runner's probes returned and the reference's own.
 */
import type { TuningChoice } from '../contract/tuning-schema.js';
import type { Probe } from '../runner/optimizer-probes.js';
import type { StepProbe } from '../runner/training-probes.js';
import { firstDivergence, describeDivergence, CLOSED_LOOP_TOLERANCE } from './compare.js';
import { backendFault, notImplementedPart } from './optimizer-grader.js';
import { type Verdict } from './verdict.js';

type Outcome = Omit<Verdict, 'id' | 'durationMs'>;

function verdict(id: string, started: number, outcome: Outcome): Verdict {
  return { id, ...outcome, durationMs: performance.now() - started };
}

/** A probe that threw: a not-implemented message as it is, a backend's missing kernel as the backend's, anything else with its context. */
export function faultOutcome(what: string, fault: string): Outcome {
  const backend = backendFault(fault);
  return {
    status: 'failed',
    message:
      notImplementedPart(fault) ?? (backend ? `${what} failed: ${backend}` : `${what} threw: ${fault}`),
  };
}

const close = (got: number, want: number, atol = 1e-5, rtol = 1e-4): boolean =>
  Math.abs(got - want) <= atol + rtol * Math.abs(want);

/**
 * lossFn is what training differentiates (SPEC.md: "lossFn must be differentiable"): its gradient
 * with respect to the fixed logits must be the reference's, (softmax − one-hot) / batch. A loss
 * computed from numbers read out of the logits and wrapped again has the right value and none.
 */
function lossGradientProblem(p: StepProbe, expected: StepProbe): string | undefined {
  const rule =
    'training takes the gradient of this loss, so SPEC.md asks for a differentiable lossFn: compute it with tf operations on the logits, never from numbers read out of them (dataSync, arraySync, array) and wrapped in a new tensor';
  const backend = backendFault(p.lossFnGradientFault);
  if (backend !== undefined) return `taking the gradient of lossFn failed: ${backend}`;
  if (p.lossFnGradientFault !== '')
    return `lossFn's value has no gradient with respect to the logits (tf.grad of lossFn on fixed logits threw: ${p.lossFnGradientFault}): ${rule}`;
  const want = expected.lossFnGradient;
  if (p.lossFnGradient.length !== want.length)
    return `incomplete observation: the gradient of lossFn holds ${p.lossFnGradient.length} values, expected ${want.length} (one per logit)`;
  const at = want.findIndex((w, i) => !close(p.lossFnGradient[i]!, w));
  if (at < 0) return undefined;
  const zero = p.lossFnGradient.every((g) => g === 0);
  const why = zero
    ? `every entry is 0: the loss does not depend on the logits through tf operations; ${rule}`
    : 'training follows this gradient, so it must be that of the mean softmax cross-entropy over the batch';
  return `the gradient of lossFn with respect to the fixed logits differs from softmax cross-entropy's, (softmax − one-hot) / batch: at logit [${Math.floor(at / 10)}][${at % 10}] expected ${want[at]}, got ${p.lossFnGradient[at]} (${why})`;
}

export function stepVerdict(
  id: string,
  probe: Probe<{ value: StepProbe }>,
  expected: StepProbe,
  started: number,
): Verdict {
  if (!probe.ok) return verdict(id, started, faultOutcome('trainingStep', probe.fault));
  const p = probe.value;
  const problems: string[] = [];
  if (!close(p.lossFnValue, expected.lossFnValue))
    problems.push(
      `lossFn on fixed logits gives ${p.lossFnValue}, expected ${expected.lossFnValue} (softmax cross-entropy averaged over the batch)`,
    );
  const gradient = lossGradientProblem(p, expected);
  if (gradient !== undefined) problems.push(gradient);
  if (!close(p.loss, expected.loss))
    problems.push(
      `trainingStep returned ${p.loss}, expected ${expected.loss}: SPEC.md's step is "zero grads, forward, loss, backward, optimizer step; returns the batch loss", the loss of the forward pass, before the update`,
    );
  const d = firstDivergence(
    [{ params: p.params }],
    [{ params: expected.params }],
    { params: [p.params.length] },
    CLOSED_LOOP_TOLERANCE,
  );
  if (p.params.length !== expected.params.length)
    problems.push(
      `incomplete observation: the net's parameters after the step hold ${p.params.length} values, expected ${expected.params.length}`,
    );
  else if (d !== undefined)
    problems.push(
      `after one step with GD(0.1) the parameters differ from the reference: ${describeDivergence(d).replace(/^step 1 is the first to diverge: /, '')}`,
    );
  return verdict(
    id,
    started,
    problems.length === 0
      ? {
          status: 'passed',
          message:
            "lossFn gives softmax cross-entropy's value and gradient; trainingStep returns the batch loss and applies exactly one optimizer step",
        }
      : { status: 'failed', message: problems.join('; ') },
  );
}

/** Test accuracy bands and their share of the points. */
export const TUNING_BANDS: ReadonlyArray<{ accuracy: number; fraction: number }> = [
  { accuracy: 0.95, fraction: 1 },
  { accuracy: 0.93, fraction: 0.85 },
  { accuracy: 0.9, fraction: 0.7 },
  { accuracy: 0.8, fraction: 0.4 },
];
/** How close a claim must be to the retrained figures. */
export const CLAIM_TOLERANCE = { accuracy: 0.03, valLoss: 0.1 };
/** A claim that is not reproduced keeps this share of the band's points. */
export const UNREPRODUCED_SHARE = 0.5;

export interface TuningMeasurement {
  valLoss: number;
  testAccuracy: number;
  seed: number;
}

export function tuningVerdict(
  id: string,
  choice: TuningChoice,
  measured: Probe<{ value: TuningMeasurement }>,
  started: number,
): Verdict & { fraction: number } {
  if (!measured.ok)
    return {
      ...verdict(id, started, faultOutcome(`retraining with ${choice.optimizer}`, measured.fault)),
      fraction: 0,
    };
  const m = measured.value;
  const band = TUNING_BANDS.find((b) => m.testAccuracy >= b.accuracy);
  const reproduced =
    Math.abs(choice.claimed.testAccuracy - m.testAccuracy) <= CLAIM_TOLERANCE.accuracy &&
    Math.abs(choice.claimed.valLoss - m.valLoss) <= CLAIM_TOLERANCE.valLoss;
  const fraction = (band?.fraction ?? 0) * (reproduced ? 1 : UNREPRODUCED_SHARE);
  const figures = `retrained 1 epoch with ${choice.optimizer}(${Object.entries(choice.hyperparameters)
    .map(([k, v]) => `${k} = ${v}`)
    .join(
      ', ',
    )}), batch ${choice.batchSize}, seed ${m.seed}: validation loss ${m.valLoss.toFixed(4)}, test accuracy ${(m.testAccuracy * 100).toFixed(2)} %`;
  const claim = reproduced
    ? 'your claim is reproduced'
    : `your claim (validation loss ${choice.claimed.valLoss}, test accuracy ${(choice.claimed.testAccuracy * 100).toFixed(2)} %) is not reproduced within ±${CLAIM_TOLERANCE.valLoss} loss and ±${CLAIM_TOLERANCE.accuracy * 100} points of accuracy, so the band's points are halved`;
  const bandText = band
    ? `the ${band.accuracy * 100} % band earns ${band.fraction * 100} % of the points`
    : `below ${TUNING_BANDS.at(-1)!.accuracy * 100} % accuracy earns no points`;
  return {
    id,
    status: fraction === 1 ? 'passed' : 'failed',
    message: `${figures}; ${bandText}; ${claim}`,
    fraction,
    diagnostics: { measured: m.testAccuracy, seed: m.seed },
    durationMs: performance.now() - started,
  };
}
