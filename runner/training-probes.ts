/**
 * Runs the submission's nets, loaders, training step and loop, and short trainings with its
 * optimizers, on fixed inputs, and returns plain numbers. The reference's counterparts (run by
 * the grading process) give the expected numbers; nothing here decides a verdict.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerClasses, OptimizerName, Submission } from '../contract/index.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { DataLoader, randomSplit, subset } from '../course/data/data-loader.js';
import { readState, writeState, type Net } from '../course/params.js';
import { AveragedModel } from '../course/swa.js';
import { harnessLoss, harnessNet, harnessTrain } from './harness-training.js';
import { PackedFloat32 } from './encode.js';
import { describeThrown } from './optimizer-case.js';
import type { Probe } from './optimizer-probes.js';

const flat = (state: Float32Array[]): number[] => state.flatMap((a) => Array.from(a));

function attempt<T>(run: () => T): Probe<{ value: T }> {
  try {
    return { ok: true, value: run() };
  } catch (thrown) {
    return { ok: false, fault: describeThrown(thrown) };
  }
}

export interface NetProbe {
  paramCount: number;
  weightShapes: number[][];
  outputShape: number[];
  /** Per weight set of the request: the logits on its images, row-major (empty when the shapes did not fit). */
  logits: number[][];
  /** The same in training mode (`net.apply(images, { training: true })`, as a training step runs the net). */
  trainingLogits: number[][];
}

/** Weights (one flat array per trainable weight) and images (n·784 values) the grader chose. */
export interface NetInputs {
  weights: number[][][];
  images: number[][];
}

export function probeNets(
  sub: Pick<Submission, 'getOneFCNet' | 'getGarmentClassifier'>,
  inputs: Record<'OneFCNet' | 'GarmentClassifier', NetInputs>,
): Record<'OneFCNet' | 'GarmentClassifier', Probe<{ value: NetProbe }>> {
  const probe = (make: () => Net, given: NetInputs): Probe<{ value: NetProbe }> =>
    attempt(() => {
      const net = make();
      try {
        const outputShape = tf.tidy(() => (net.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape);
        const weightShapes = net.trainableWeights.map((w) => w.shape as number[]);
        const fits = given.weights.every(
          (set) =>
            set.length === weightShapes.length &&
            set.every((values, i) => values.length === weightShapes[i]!.reduce((a, b) => a * b, 1)),
        );
        const logits: number[][] = [];
        const trainingLogits: number[][] = [];
        if (fits)
          given.weights.forEach((set, k) => {
            writeState(
              net,
              set.map((values) => Float32Array.from(values)),
            );
            const images = given.images[k]!;
            const input = (): tf.Tensor4D => tf.tensor4d(images, [images.length / 784, 28, 28, 1]);
            logits.push(tf.tidy(() => Array.from((net.predict(input()) as tf.Tensor).dataSync())));
            trainingLogits.push(
              tf.tidy(() => Array.from((net.apply(input(), { training: true }) as tf.Tensor).dataSync())),
            );
          });
        return { paramCount: net.countParams(), weightShapes, outputShape, logits, trainingLogits };
      } finally {
        net.dispose();
      }
    });
  return {
    OneFCNet: probe(() => sub.getOneFCNet({ seed: 3 }), inputs.OneFCNet),
    GarmentClassifier: probe(() => sub.getGarmentClassifier({ seed: 3 }), inputs.GarmentClassifier),
  };
}

export interface LoaderProbe {
  subsetLength: number;
  /** A hash of every subset sample (its pixels and label), in the subset's order. */
  subset: number[];
  /** Per epoch (2 for gdDataLoader, 3 for dataLoader): per batch, its image shape, and the hashes of its samples in order. */
  gd: LoaderEpochs;
  batched: LoaderEpochs;
  labelDtype: string;
  min: number;
  max: number;
}

export interface LoaderEpochs {
  epochs: Array<{ shapes: number[][]; samples: number[] }>;
}

/** A 32-bit hash of one sample's pixels (float32 bits) and label. */
export function sampleHash(values: Float32Array, offset: number, size: number, label: number): number {
  const bits = new Uint32Array(values.buffer, values.byteOffset + offset * 4, size);
  let h = (2166136261 ^ label) >>> 0;
  for (let k = 0; k < size; k++) h = Math.imul(h ^ bits[k]!, 16777619) >>> 0;
  return h;
}

export function probeData(
  sub: Pick<Submission, 'makeLoaders'>,
  data: ImageDataset,
): Probe<{ value: LoaderProbe }> {
  // Every fault says where it happened: makeLoaders itself, reading the subset, or a loader in
  // one of its epochs (a loader that fails only when read again is not makeLoaders failing).
  let stage = 'makeLoaders threw';
  try {
    return { ok: true, value: readLoaders(sub, data, (where) => (stage = where)) };
  } catch (thrown) {
    return { ok: false, fault: `${stage}: ${describeThrown(thrown)}`.slice(0, 4000) };
  }
}

function readLoaders(
  sub: Pick<Submission, 'makeLoaders'>,
  data: ImageDataset,
  at: (stage: string) => void,
): LoaderProbe {
  const { subset: part, gdDataLoader, dataLoader } = sub.makeLoaders(data, { seed: 5 });
  at('makeLoaders returned, then reading its subset threw');
  const image = new Float32Array(28 * 28);
  const subsetHashes = Array.from({ length: part.length }, (_, i) => {
    part.copyImage(i, image, 0);
    return sampleHash(image, 0, 784, part.label(i));
  });
  let labelDtype = '';
  let min = Infinity;
  let max = -Infinity;
  const epochs = (
    name: string,
    loader: Iterable<{ images: tf.Tensor; labels: tf.Tensor }>,
    count: number,
  ): LoaderEpochs => ({
    epochs: Array.from({ length: count }, (_, e) => {
      const shapes: number[][] = [];
      const samples: number[] = [];
      const reading = (k: number): void =>
        at(`makeLoaders returned, then ${name} threw in epoch ${e + 1} of ${count}, at batch ${k}`);
      reading(1);
      for (const batch of loader) {
        shapes.push(batch.images.shape);
        labelDtype = batch.labels.dtype;
        const values = Float32Array.from(batch.images.dataSync());
        const labels = batch.labels.dataSync();
        const n = batch.images.shape[0] ?? 0;
        const size = values.length / Math.max(n, 1);
        for (let i = 0; i < n; i++) samples.push(sampleHash(values, i * size, size, labels[i] ?? -1));
        for (const v of values) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        tf.dispose([batch.images, batch.labels]);
        reading(shapes.length + 1);
      }
      return { shapes, samples };
    }),
  });
  const gd = epochs('gdDataLoader', gdDataLoader, 2);
  const batched = epochs('dataLoader', dataLoader, 3);
  return { subsetLength: part.length, subset: subsetHashes, gd, batched, labelDtype, min, max };
}

/** A fixed batch of `n` images of the data set starting at `start`. */
export function fixedBatch(
  data: ImageDataset,
  start: number,
  n: number,
): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const loader = new DataLoader(
    subset(
      data,
      Array.from({ length: n }, (_, i) => start + i),
    ),
    { batchSize: n },
  );
  const [batch] = [...loader];
  return batch!;
}

export interface StepProbe {
  loss: number;
  lossFnValue: number;
  /** The gradient of lossFn's value with respect to the fixed logits (empty when it could not be taken). */
  lossFnGradient: number[];
  /** Why that gradient could not be taken, or '' when it could. */
  lossFnGradientFault: string;
  params: number[];
}

/** Fixed logits and labels on which the submission's lossFn is evaluated and differentiated. */
const LOSS_LOGITS = [
  [2, 1, 0, -1, 0.5, 0, 0, 0, 3, -2],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
];
const LOSS_LABELS = [8, 3];

/** The submission's lossFn on fixed logits, and its trainingStep with the harness's net and plain SGD. */
export function probeTrainingStep(
  sub: Pick<Submission, 'trainingStep' | 'lossFn'>,
  data: ImageDataset,
): Probe<{ value: StepProbe }> {
  return attempt(() => {
    const net = harnessNet('OneFCNet', 7);
    const batch = fixedBatch(data, 100, 16);
    try {
      const lossFnValue = tf.tidy(
        () => sub.lossFn(tf.tensor2d(LOSS_LOGITS), tf.tensor1d(LOSS_LABELS, 'int32')).dataSync()[0]!,
      );
      // The loss is what training differentiates: its gradient with respect to the logits, which
      // a value computed outside tfjs's operations (numbers read back and wrapped again) lacks.
      let lossFnGradient: number[] = [];
      let lossFnGradientFault = '';
      try {
        lossFnGradient = tf.tidy(() => {
          const labels = tf.tensor1d(LOSS_LABELS, 'int32');
          const gradient = tf.grad((logits: tf.Tensor) => sub.lossFn(logits as tf.Tensor2D, labels));
          return Array.from(gradient(tf.tensor2d(LOSS_LOGITS)).dataSync());
        });
      } catch (thrown) {
        lossFnGradientFault = describeThrown(thrown).slice(0, 2000);
      }
      const loss = sub.trainingStep(net, tf.train.sgd(0.1), harnessLoss, batch);
      return { loss, lossFnValue, lossFnGradient, lossFnGradientFault, params: flat(readState(net)) };
    } finally {
      tf.dispose([batch.images, batch.labels]);
      net.dispose();
    }
  });
}

export interface LoopProbe {
  losses: number[];
  /** Every recorded state, read after theLoop returned: per state, per tensor, its values. */
  states: number[][][];
  /** Why a state could not be read as numbers (a disposed tensor, another type), or '' when all could. */
  statesUnreadable: string;
  /** The parameters before the first step. */
  initialParams: number[];
  valLosses: number[] | null;
  swaAveraged: number;
  swaState: number[] | null;
  finalParams: number[];
  /** What theLoop threw without `epochs`. */
  withoutEpochs: string;
}

/** How `withoutEpochs` begins when theLoop changed the net's parameters before it refused (or without refusing). */
export const TRAINED_WITHOUT_EPOCHS = 'trained before refusing: ';

/** One recorded state as numbers per tensor: Float32Arrays, plain arrays or tfjs tensors. */
function readRecorded(state: unknown): number[][] {
  if (!Array.isArray(state))
    throw new Error(
      `a state is ${state === null ? 'null' : typeof state}, not an array with one entry per parameter tensor`,
    );
  return state.map((entry: unknown) => {
    if (entry instanceof tf.Tensor) return Array.from(entry.dataSync());
    if (ArrayBuffer.isView(entry) || Array.isArray(entry))
      return Array.from(entry as ArrayLike<number>, Number);
    throw new Error(
      `a state holds ${entry === null ? 'null' : typeof entry}, not the values of a parameter tensor`,
    );
  });
}

/** The submission's theLoop with the harness's net, plain SGD, small loaders, validation and SWA. */
export function probeLoop(sub: Pick<Submission, 'theLoop'>, data: ImageDataset): Probe<{ value: LoopProbe }> {
  return attempt(() => {
    const net = harnessNet('OneFCNet', 9);
    const train = new DataLoader(
      subset(
        data,
        Array.from({ length: 24 }, (_, i) => 200 + i),
      ),
      { batchSize: 8 },
    );
    const val = new DataLoader(
      subset(
        data,
        Array.from({ length: 10 }, (_, i) => 400 + i),
      ),
      { batchSize: 4 },
    );
    const swa = new AveragedModel(net);
    let withoutEpochs = 'no error';
    try {
      const initial = readState(net);
      const initialParams = flat(initial);
      try {
        sub.theLoop(net, tf.train.sgd(0.05), train, { progress: false });
      } catch (thrown) {
        withoutEpochs = describeThrown(thrown).slice(0, 2000);
      }
      // SPEC.md: the error comes before any training step. A loop that trained first is said so,
      // and the net is put back, so that the run below starts where the reference's does.
      if (flat(readState(net)).some((v, i) => v !== initialParams[i])) {
        withoutEpochs = `${TRAINED_WITHOUT_EPOCHS}${withoutEpochs}`;
        writeState(net, initial);
      }
      const result = sub.theLoop(net, tf.train.sgd(0.05), train, {
        epochs: 3,
        valLoader: val,
        swaModel: swa,
        swaStart: 0,
        progress: false,
        lossFn: harnessLoss,
      });
      let states: number[][][] = [];
      let statesUnreadable = '';
      try {
        states = Array.from(result.states as unknown[], readRecorded);
      } catch (thrown) {
        statesUnreadable = describeThrown(thrown);
      }
      return {
        losses: result.losses,
        states,
        statesUnreadable,
        initialParams,
        valLosses: result.valLosses ?? null,
        swaAveraged: swa.nAveraged,
        swaState: swa.averagedState ? flat(swa.averagedState) : null,
        finalParams: flat(readState(net)),
        withoutEpochs,
      };
    } finally {
      net.dispose();
    }
  });
}

export interface TrainingProbe {
  losses: number[];
  /** The net's parameters before and after training, per tensor (the grading process computes the losses). */
  initial: PackedFloat32[];
  final: PackedFloat32[];
}

/** The notebook's training subset: the first 3,200 samples. */
export const TRAINING_SUBSET = 3200;

/**
 * One epoch of GarmentClassifier training (the harness's net and loop, the notebook's 3,200-sample
 * subset in shuffled batches of 64) with the submission's optimizer and the given arguments.
 */
export function probeTraining(
  classes: OptimizerClasses,
  name: OptimizerName,
  args: number[],
  data: ImageDataset,
  seed: number,
): Probe<{ value: TrainingProbe }> {
  return attempt(() => {
    const dataLoader = new DataLoader(
      subset(
        data,
        Array.from({ length: TRAINING_SUBSET }, (_, i) => i),
      ),
      { batchSize: 64, shuffle: true, seed },
    );
    const net = harnessNet('GarmentClassifier', seed);
    const Optimizer = classes[name] as unknown as new (...a: number[]) => tf.Optimizer;
    const optimizer = new Optimizer(...args);
    try {
      const initial = readState(net).map((a) => new PackedFloat32(a));
      const losses = harnessTrain(net, optimizer, dataLoader, 1);
      return { losses, initial, final: readState(net).map((a) => new PackedFloat32(a)) };
    } finally {
      try {
        optimizer.dispose();
      } catch {
        /* the student's dispose */
      }
      net.dispose();
    }
  });
}

export interface TuningRun {
  /** The net's parameters after the epoch, per tensor: the grading process measures them. */
  final: PackedFloat32[];
  seed: number;
}

/** What the grading process reads of a TrainingProbe or a TuningRun: the parameters unpacked (runner/protocol.ts). */
export type Unpacked<T> = { [K in keyof T]: T[K] extends PackedFloat32[] ? number[][] : T[K] };

/**
 * The tuning section: one epoch of GarmentClassifier training with the given optimizer class and
 * arguments on the 90 % / 5 % / 5 % split of `data` (seeded); returns the trained parameters.
 */
export function measureTuning(
  Optimizer: new (...a: number[]) => tf.Optimizer,
  args: number[],
  batchSize: number,
  data: ImageDataset,
  seed: number,
): Probe<{ value: TuningRun }> {
  return attempt(() => {
    const [train] = randomSplit(data, [0.9, 0.05, 0.05], seed);
    const net = harnessNet('GarmentClassifier', seed);
    const optimizer = new Optimizer(...args);
    try {
      harnessTrain(net, optimizer, new DataLoader(train!, { batchSize, shuffle: true, seed }), 1);
      return { final: readState(net).map((a) => new PackedFloat32(a)), seed };
    } finally {
      optimizer.dispose();
      net.dispose();
    }
  });
}
