/**
 * Verdicts on the nets, the loaders, the training step and loop, the short trainings and the
 * tuning choice, from the numbers the runner's probes returned and the reference's own.
 */
import type { OptimizerName } from '../contract/index.js';
import type { TuningChoice } from '../contract/tuning-schema.js';
import type { Probe } from '../runner/optimizer-probes.js';
import type { LoaderProbe, LoopProbe, NetProbe, StepProbe, TrainingProbe } from '../runner/training-probes.js';
import { firstDivergence, describeDivergence, CLOSED_LOOP_TOLERANCE } from './compare.js';
import { notImplementedPart } from './optimizer-grader.js';
import type { ThresholdEntry } from './thresholds-schema.js';
import { finite, type Verdict } from './verdict.js';

type Outcome = Omit<Verdict, 'id' | 'durationMs'>;

function verdict(id: string, started: number, outcome: Outcome): Verdict {
  return { id, ...outcome, durationMs: performance.now() - started };
}

/** A probe that threw: a not-implemented message as it is, anything else with its context. */
function faultOutcome(what: string, fault: string): Outcome {
  return { status: 'failed', message: notImplementedPart(fault) ?? `${what} threw: ${fault}` };
}

const EXPECTED_NETS: Record<'OneFCNet' | 'GarmentClassifier', { params: number; shapes: number[][] }> = {
  OneFCNet: { params: 7850, shapes: [[784, 10], [10]] },
  GarmentClassifier: { params: 44426, shapes: [[5, 5, 1, 6], [6], [5, 5, 6, 16], [16], [256, 120], [120], [120, 84], [84], [84, 10], [10]] },
};

export function netsVerdict(id: string, probes: Record<'OneFCNet' | 'GarmentClassifier', Probe<{ value: NetProbe }>>, started: number): Verdict {
  const problems: string[] = [];
  for (const name of ['OneFCNet', 'GarmentClassifier'] as const) {
    const probe = probes[name];
    if (!probe.ok) return verdict(id, started, faultOutcome(`get${name}()`, probe.fault));
    const want = EXPECTED_NETS[name];
    const got = probe.value;
    if (got.paramCount !== want.params) problems.push(`${name} has ${got.paramCount} parameters, expected ${want.params}`);
    if (JSON.stringify(got.weightShapes) !== JSON.stringify(want.shapes)) {
      problems.push(`${name}'s trainable weights have shapes ${JSON.stringify(got.weightShapes)}, expected ${JSON.stringify(want.shapes)}`);
    }
    if (JSON.stringify(got.outputShape) !== '[2,10]') problems.push(`${name} maps 2 images to shape [${got.outputShape.join(', ')}], expected [2, 10] (logits)`);
  }
  return verdict(id, started, problems.length === 0
    ? { status: 'passed', message: 'both nets have the notebook\'s layers, 7,850 and 44,426 parameters, and return 10 logits per image' }
    : { status: 'failed', message: problems.join('; ') });
}

export function dataVerdict(id: string, probe: Probe<{ value: LoaderProbe }>, started: number): Verdict {
  if (!probe.ok) return verdict(id, started, faultOutcome('makeLoaders', probe.fault));
  const p = probe.value;
  const problems: string[] = [];
  if (p.subsetLength !== 3200) problems.push(`the subset holds ${p.subsetLength} samples, expected 50 · 64 = 3200`);
  if (p.gd.batches !== 1 || JSON.stringify(p.gd.imageShapes[0]) !== '[3200,28,28,1]') {
    problems.push(`gdDataLoader yields ${p.gd.batches} batch(es) of shape ${JSON.stringify(p.gd.imageShapes[0] ?? [])}, expected one batch [3200, 28, 28, 1]`);
  }
  if (p.batched.batches !== 50 || p.batched.imageShapes.some((s) => JSON.stringify(s) !== '[64,28,28,1]')) {
    problems.push(`dataLoader yields ${p.batched.batches} batches (first ${JSON.stringify(p.batched.imageShapes[0] ?? [])}), expected 50 batches of [64, 28, 28, 1]`);
  }
  if (p.batched.labelDtype !== 'int32') problems.push(`labels are ${p.batched.labelDtype}, expected int32`);
  if (p.batched.distinctPerEpoch < 3100) problems.push(`one pass of dataLoader shows only ${p.batched.distinctPerEpoch} distinct images of 3200: every sample should come once per epoch`);
  if (p.batched.min < -1.0001 || p.batched.max > 1.0001 || p.batched.min > -0.99) {
    problems.push(`pixel values span [${p.batched.min}, ${p.batched.max}], expected [−1, 1] after Normalize(0.5, 0.5)`);
  }
  return verdict(id, started, problems.length === 0
    ? { status: 'passed', message: 'a 3,200-sample subset, one full batch, and 50 batches of 64 covering every sample once per epoch' }
    : { status: 'failed', message: problems.join('; ') });
}

const close = (got: number, want: number, atol = 1e-5, rtol = 1e-4): boolean => Math.abs(got - want) <= atol + rtol * Math.abs(want);

export function stepVerdict(id: string, probe: Probe<{ value: StepProbe }>, expected: StepProbe, started: number): Verdict {
  if (!probe.ok) return verdict(id, started, faultOutcome('trainingStep', probe.fault));
  const p = probe.value;
  const problems: string[] = [];
  if (!close(p.lossFnValue, expected.lossFnValue)) problems.push(`lossFn on fixed logits gives ${p.lossFnValue}, expected ${expected.lossFnValue} (softmax cross-entropy averaged over the batch)`);
  if (!close(p.loss, expected.loss)) problems.push(`trainingStep returned ${p.loss}, expected the batch loss before the update, ${expected.loss}`);
  const d = firstDivergence([{ params: p.params }], [{ params: expected.params }], { params: [p.params.length] }, CLOSED_LOOP_TOLERANCE);
  if (d !== undefined) problems.push(`after one step with GD(0.1) the parameters differ from the reference: ${describeDivergence(d).replace(/^step 1 is the first to diverge: /, '')}`);
  return verdict(id, started, problems.length === 0
    ? { status: 'passed', message: 'trainingStep returns the batch loss and applies exactly one optimizer step' }
    : { status: 'failed', message: problems.join('; ') });
}

export function loopVerdict(id: string, probe: Probe<{ value: LoopProbe }>, expected: LoopProbe, started: number): Verdict {
  if (!probe.ok) return verdict(id, started, faultOutcome('theLoop', probe.fault));
  const p = probe.value;
  const problems: string[] = [];
  if (!/epochs/.test(p.withoutEpochs)) problems.push(`without \`epochs\` theLoop should refuse with a clear error, but ${p.withoutEpochs === 'no error' ? 'it ran' : `it threw: ${p.withoutEpochs}`}`);
  if (p.losses.length !== expected.losses.length) problems.push(`3 epochs of 3 batches gave ${p.losses.length} losses, expected ${expected.losses.length} (one per step)`);
  if (p.statesCount !== expected.statesCount) problems.push(`${p.statesCount} states were recorded, expected ${expected.statesCount} (one before every step)`);
  if (!p.firstStateIsInitial) problems.push('states[0] is not the parameters before the first step: record a copy of the parameters before each step');
  const lossAt = p.losses.findIndex((v, i) => !close(v, expected.losses[i] ?? Number.NaN, 1e-4, 1e-3));
  if (p.losses.length === expected.losses.length && lossAt >= 0) problems.push(`losses[${lossAt}] is ${p.losses[lossAt]}, expected ${expected.losses[lossAt]}: the k-th loss is the loss of the k-th step`);
  if (p.state2.length > 0 && firstDivergence([{ s: p.state2 }], [{ s: expected.state2 }], { s: [p.state2.length] }, CLOSED_LOOP_TOLERANCE) !== undefined) {
    problems.push('states[2] differs from the parameters before the third step');
  }
  if (p.valLosses === null || p.valLosses.length !== 3) problems.push(`with a validation loader, valLosses should hold one mean loss per epoch (3), got ${p.valLosses === null ? 'none' : p.valLosses.length}`);
  else if (p.valLosses.some((v, i) => !close(v, expected.valLosses![i]!, 1e-4, 1e-3))) problems.push(`valLosses ${JSON.stringify(p.valLosses)} differ from the mean validation losses ${JSON.stringify(expected.valLosses)}`);
  if (p.swaAveraged !== expected.swaAveraged) problems.push(`with swaStart = 0 over 3 epochs the SWA model was updated ${p.swaAveraged} times, expected ${expected.swaAveraged} (after each epoch i > swaStart)`);
  else if (p.swaState !== null && expected.swaState !== null && firstDivergence([{ s: p.swaState }], [{ s: expected.swaState }], { s: [p.swaState.length] }, CLOSED_LOOP_TOLERANCE) !== undefined) {
    problems.push('the SWA model was updated at other points than after each epoch i > swaStart');
  }
  return verdict(id, started, problems.length === 0
    ? { status: 'passed', message: 'theLoop records states and losses in order, validation losses per epoch, updates SWA after epoch i > swaStart, and refuses to run without epochs' }
    : { status: 'failed', message: problems.join('; ') });
}

export function trainingVerdict(id: string, name: OptimizerName, entry: ThresholdEntry, seed: number, probe: Probe<{ value: TrainingProbe }>, started: number): Verdict {
  const setting = `${name}(${entry.args.join(', ')}), ${entry.epochs} epoch of GarmentClassifier on batches of 64, seed ${seed}`;
  if (!probe.ok) return verdict(id, started, faultOutcome(setting, probe.fault));
  const { finalLoss, losses } = probe.value;
  const diagnostics = { measured: finite(finalLoss), threshold: entry.threshold, seed, losses: losses.map(finite), referenceLosses: entry.referenceLosses };
  const reproduce = `(reproduce: the same training with seed ${seed}; the reference reaches ${entry.calibration.mean.toFixed(3)} ± ${entry.calibration.std.toFixed(3)} over seeds ${entry.calibration.seeds.join(', ')})`;
  return verdict(id, started, Number.isFinite(finalLoss) && finalLoss < entry.threshold
    ? { status: 'passed', message: `${setting}: loss ${finalLoss.toFixed(4)} < ${entry.threshold}`, diagnostics }
    : { status: 'failed', message: `${setting}: the loss over the subset is ${Number.isFinite(finalLoss) ? finalLoss.toFixed(4) : String(finalLoss)}, it must be below ${entry.threshold} ${reproduce}`, diagnostics });
}

/** Test accuracy bands and their share of the points. */
export const TUNING_BANDS: ReadonlyArray<{ accuracy: number; fraction: number }> = [
  { accuracy: 0.95, fraction: 1 }, { accuracy: 0.93, fraction: 0.85 }, { accuracy: 0.9, fraction: 0.7 }, { accuracy: 0.8, fraction: 0.4 },
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

export function tuningVerdict(id: string, choice: TuningChoice, measured: Probe<{ value: TuningMeasurement }>, started: number): Verdict & { fraction: number } {
  if (!measured.ok) return { ...verdict(id, started, faultOutcome(`retraining with ${choice.optimizer}`, measured.fault)), fraction: 0 };
  const m = measured.value;
  const band = TUNING_BANDS.find((b) => m.testAccuracy >= b.accuracy);
  const reproduced = Math.abs(choice.claimed.testAccuracy - m.testAccuracy) <= CLAIM_TOLERANCE.accuracy
    && Math.abs(choice.claimed.valLoss - m.valLoss) <= CLAIM_TOLERANCE.valLoss;
  const fraction = (band?.fraction ?? 0) * (reproduced ? 1 : UNREPRODUCED_SHARE);
  const figures = `retrained 1 epoch with ${choice.optimizer}(${Object.entries(choice.hyperparameters).map(([k, v]) => `${k} = ${v}`).join(', ')}), batch ${choice.batchSize}, seed ${m.seed}: validation loss ${m.valLoss.toFixed(4)}, test accuracy ${(m.testAccuracy * 100).toFixed(2)} %`;
  const claim = reproduced ? 'your claim is reproduced'
    : `your claim (validation loss ${choice.claimed.valLoss}, test accuracy ${(choice.claimed.testAccuracy * 100).toFixed(2)} %) is not reproduced within ±${CLAIM_TOLERANCE.valLoss} loss and ±${CLAIM_TOLERANCE.accuracy * 100} points of accuracy, so the band's points are halved`;
  const bandText = band ? `the ${band.accuracy * 100} % band earns ${band.fraction * 100} % of the points` : `below ${TUNING_BANDS.at(-1)!.accuracy * 100} % accuracy earns no points`;
  return {
    id, status: fraction === 1 ? 'passed' : 'failed', message: `${figures}; ${bandText}; ${claim}`, fraction,
    diagnostics: { measured: m.testAccuracy, seed: m.seed }, durationMs: performance.now() - started,
  };
}
