/**
 * Runs the submission's nets, loaders, training step and loop, and short trainings with its
 * optimizers, on fixed inputs, and returns plain numbers. The reference's counterparts (run by
 * the grading process) give the expected numbers; nothing here decides a verdict.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerClasses, OptimizerName, Submission } from '../contract/index.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { DataLoader, randomSplit, subset } from '../course/data/data-loader.js';
import { evaluate } from '../course/metrics.js';
import { readState, type Net } from '../course/params.js';
import { AveragedModel } from '../course/swa.js';
import { harnessLoss, harnessNet, harnessTrain } from './harness-training.js';
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
}

export function probeNets(sub: Pick<Submission, 'getOneFCNet' | 'getGarmentClassifier'>): Record<'OneFCNet' | 'GarmentClassifier', Probe<{ value: NetProbe }>> {
  const probe = (make: () => Net): Probe<{ value: NetProbe }> => attempt(() => {
    const net = make();
    try {
      const outputShape = tf.tidy(() => (net.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape);
      return { paramCount: net.countParams(), weightShapes: net.trainableWeights.map((w) => w.shape as number[]), outputShape };
    } finally {
      net.dispose();
    }
  });
  return { OneFCNet: probe(() => sub.getOneFCNet({ seed: 3 })), GarmentClassifier: probe(() => sub.getGarmentClassifier({ seed: 3 })) };
}

export interface LoaderProbe {
  subsetLength: number;
  /** [number of batches, [shape of the first batch's images], [labels shape], labels dtype] per loader. */
  gd: { batches: number; imageShapes: number[][]; labelDtype: string };
  batched: { batches: number; imageShapes: number[][]; labelDtype: string; distinctPerEpoch: number; min: number; max: number };
}

export function probeData(sub: Pick<Submission, 'makeLoaders'>, data: ImageDataset): Probe<{ value: LoaderProbe }> {
  return attempt(() => {
    const { subset: part, gdDataLoader, dataLoader } = sub.makeLoaders(data, { seed: 5 });
    const shapes = (loader: Iterable<{ images: tf.Tensor; labels: tf.Tensor }>) => {
      const imageShapes: number[][] = [];
      let labelDtype = '';
      const seen = new Set<string>();
      let min = Infinity;
      let max = -Infinity;
      for (const batch of loader) {
        imageShapes.push(batch.images.shape);
        labelDtype = batch.labels.dtype;
        const values = batch.images.dataSync();
        const n = batch.images.shape[0] ?? 0;
        const size = values.length / Math.max(n, 1);
        for (let i = 0; i < n; i++) {
          let hash = 0;
          for (let k = 0; k < size; k += 7) hash = (hash * 31 + Math.round(values[i * size + k]! * 1000)) | 0;
          seen.add(`${hash}`);
        }
        for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
        tf.dispose([batch.images, batch.labels]);
      }
      return { batches: imageShapes.length, imageShapes, labelDtype, distinct: seen.size, min, max };
    };
    const gd = shapes(gdDataLoader);
    const batched = shapes(dataLoader);
    return {
      subsetLength: part.length,
      gd: { batches: gd.batches, imageShapes: gd.imageShapes, labelDtype: gd.labelDtype },
      batched: { batches: batched.batches, imageShapes: batched.imageShapes, labelDtype: batched.labelDtype, distinctPerEpoch: batched.distinct, min: batched.min, max: batched.max },
    };
  });
}

/** A fixed batch of `n` images of the data set starting at `start`. */
export function fixedBatch(data: ImageDataset, start: number, n: number): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const loader = new DataLoader(subset(data, Array.from({ length: n }, (_, i) => start + i)), { batchSize: n });
  const [batch] = [...loader];
  return batch!;
}

export interface StepProbe {
  loss: number;
  lossFnValue: number;
  params: number[];
}

/** The submission's lossFn on fixed logits, and its trainingStep with the harness's net and plain SGD. */
export function probeTrainingStep(sub: Pick<Submission, 'trainingStep' | 'lossFn'>, data: ImageDataset): Probe<{ value: StepProbe }> {
  return attempt(() => {
    const net = harnessNet('OneFCNet', 7);
    const batch = fixedBatch(data, 100, 16);
    try {
      const lossFnValue = tf.tidy(() => sub.lossFn(tf.tensor2d([[2, 1, 0, -1, 0.5, 0, 0, 0, 3, -2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]), tf.tensor1d([8, 3], 'int32')).dataSync()[0]!);
      const loss = sub.trainingStep(net, tf.train.sgd(0.1), harnessLoss, batch);
      return { loss, lossFnValue, params: flat(readState(net)) };
    } finally {
      tf.dispose([batch.images, batch.labels]);
      net.dispose();
    }
  });
}

export interface LoopProbe {
  losses: number[];
  statesCount: number;
  firstStateIsInitial: boolean;
  /** The parameters recorded before step 3 (index 2). */
  state2: number[];
  valLosses: number[] | null;
  swaAveraged: number;
  swaState: number[] | null;
  finalParams: number[];
  /** What theLoop threw without `epochs`. */
  withoutEpochs: string;
}

/** The submission's theLoop with the harness's net, plain SGD, small loaders, validation and SWA. */
export function probeLoop(sub: Pick<Submission, 'theLoop'>, data: ImageDataset): Probe<{ value: LoopProbe }> {
  return attempt(() => {
    const net = harnessNet('OneFCNet', 9);
    const train = new DataLoader(subset(data, Array.from({ length: 24 }, (_, i) => 200 + i)), { batchSize: 8 });
    const val = new DataLoader(subset(data, Array.from({ length: 10 }, (_, i) => 400 + i)), { batchSize: 4 });
    const swa = new AveragedModel(net);
    let withoutEpochs = 'no error';
    try {
      const initial = flat(readState(net));
      try { sub.theLoop(net, tf.train.sgd(0.05), train, { progress: false }); } catch (thrown) { withoutEpochs = describeThrown(thrown); }
      const result = sub.theLoop(net, tf.train.sgd(0.05), train, { epochs: 3, valLoader: val, swaModel: swa, swaStart: 0, progress: false, lossFn: harnessLoss });
      return {
        losses: result.losses,
        statesCount: result.states.length,
        firstStateIsInitial: result.states[0] !== undefined && flat(result.states[0]).every((v, i) => v === initial[i]),
        state2: result.states[2] ? flat(result.states[2]) : [],
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
  /** Mean loss over the 3,200-sample subset after training. */
  finalLoss: number;
}

/**
 * One epoch of GarmentClassifier training (the harness's net and loop, the notebook's 3,200-sample
 * subset in shuffled batches of 64) with the submission's optimizer and the given arguments.
 */
export function probeTraining(classes: OptimizerClasses, name: OptimizerName, args: number[], data: ImageDataset, seed: number): Probe<{ value: TrainingProbe }> {
  return attempt(() => {
    const dataLoader = new DataLoader(subset(data, Array.from({ length: 3200 }, (_, i) => i)), { batchSize: 64, shuffle: true, seed });
    const net = harnessNet('GarmentClassifier', seed);
    const Optimizer = classes[name] as unknown as new (...a: number[]) => tf.Optimizer;
    const optimizer = new Optimizer(...args);
    try {
      const losses = harnessTrain(net, optimizer, dataLoader, 1);
      return { losses, finalLoss: evaluate(net, dataLoader, harnessLoss).loss };
    } finally {
      try { optimizer.dispose(); } catch { /* the student's dispose */ }
      net.dispose();
    }
  });
}

export interface TuningRun {
  valLoss: number;
  testAccuracy: number;
  seed: number;
}

/**
 * The tuning section: one epoch of GarmentClassifier training with the given optimizer class and
 * arguments on the 90 % / 5 % / 5 % split of `data` (seeded), then the validation loss and test accuracy.
 */
export function measureTuning(Optimizer: new (...a: number[]) => tf.Optimizer, args: number[], batchSize: number, data: ImageDataset, seed: number): Probe<{ value: TuningRun }> {
  return attempt(() => {
    const [train, val, test] = randomSplit(data, [0.9, 0.05, 0.05], seed);
    const net = harnessNet('GarmentClassifier', seed);
    const optimizer = new Optimizer(...args);
    try {
      harnessTrain(net, optimizer, new DataLoader(train!, { batchSize, shuffle: true, seed }), 1);
      const valLoss = evaluate(net, new DataLoader(val!, { batchSize: 256 }), harnessLoss).loss;
      const testAccuracy = evaluate(net, new DataLoader(test!, { batchSize: 256 }), harnessLoss).accuracy;
      return { valLoss, testAccuracy, seed };
    } finally {
      optimizer.dispose();
      net.dispose();
    }
  });
}
