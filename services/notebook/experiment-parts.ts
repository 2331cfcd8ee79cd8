/**
 * The parts a notebook cell needs besides its optimizer — the nets, the loaders, the loss and the
 * loop — taken from the submission where they work, and from the course's own small versions
 * where they are not implemented yet (or throw), so that a student with only GD written can
 * already see GD's cells. Each part says whose it is, and the page says so.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  BatchSource,
  LoopOptions,
  LoopResult,
  Net,
  OptimizerName,
  State,
} from '../../contract/index.js';
import { DataLoader, subset } from '../../course/data/data-loader.js';
import type { ImageDataset } from '../../course/data/dataset.js';
import { evaluate } from '../../course/metrics.js';
import { readState, type LossFn } from '../../course/params.js';
import { createProgress } from '../../course/progress.js';
import { harnessLoss, harnessNet, harnessTrain } from '../../runner/harness-training.js';
import type { SubmissionModule } from './submission-module.js';

export type PartName = 'nets' | 'loaders' | 'lossFn' | 'loop';
export interface PartSource {
  whose: 'yours' | 'course';
  note?: string;
}

type Loaders = { gdDataLoader: BatchSource; dataLoader: BatchSource };
type Loop = (net: Net, optimizer: tf.Optimizer, loader: BatchSource, options: LoopOptions) => LoopResult;
export type OptimizerClass = new (...args: number[]) => tf.Optimizer;

export interface Parts {
  sources: Record<PartName, PartSource>;
  makeNet(kind: 'OneFCNet' | 'GarmentClassifier', seed: number): Net;
  makeLoaders(train: ImageDataset, seed: number): Loaders;
  lossFn: LossFn;
  theLoop: Loop;
  optimizer(name: OptimizerName): OptimizerClass | undefined;
}

/** Thrown by every unfinished part of the template (course/not-implemented.ts), by its code. */
export function notImplementedPart(thrown: unknown): string | undefined {
  const e = thrown as { code?: unknown; part?: unknown } | null;
  return e !== null && typeof e === 'object' && e.code === 'OPTNN_NOT_IMPLEMENTED'
    ? String(e.part ?? 'a part')
    : undefined;
}

export function describeError(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
}

/**
 * A stand-in for an unfinished `theLoop`: the harness's own training (runner/harness-training.ts,
 * one epoch at a time) over a loader that notes the parameters each time it hands out a batch,
 * i.e. before that batch's step; the SWA model and the validation loss after each epoch, as
 * SPEC.md's loop has them.
 */
export function courseLoop(
  net: Net,
  optimizer: tf.Optimizer,
  loader: BatchSource,
  options: LoopOptions,
): LoopResult {
  const { valLoader, epochs = 1, swaModel, swaStart = 5, progress = true } = options;
  const loss = options.lossFn ?? harnessLoss;
  const recorded: State[] = [];
  const noting: BatchSource = {
    length: loader.length,
    *[Symbol.iterator]() {
      for (const batch of loader) {
        recorded.push(readState(net));
        yield batch;
      }
    },
  };
  const bar = createProgress({ total: epochs, label: 'course loop, epochs', enabled: progress });
  const trained: number[] = [];
  const validation: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    trained.push(...harnessTrain(net, optimizer, noting, 1, loss));
    if (swaModel && epoch > swaStart) swaModel.updateParameters(net);
    if (valLoader) validation.push(evaluate(net, valLoader, loss).loss);
    bar.update(epoch + 1, `loss ${trained.at(-1)?.toFixed(4) ?? '?'}`);
  }
  bar.finish();
  return { losses: trained, states: recorded, ...(valLoader ? { valLosses: validation } : {}) };
}

function courseLoaders(train: ImageDataset, seed: number): Loaders {
  const part = subset(
    train,
    Array.from({ length: Math.min(3200, train.length) }, (_, i) => i),
  );
  return {
    gdDataLoader: new DataLoader(part, { batchSize: part.length }),
    dataLoader: new DataLoader(part, { batchSize: 64, shuffle: true, seed }),
  };
}

/** Runs `probe`; the part is the student's when it returns without throwing. */
function tryPart(label: string, probe: () => void): PartSource {
  try {
    probe();
    return { whose: 'yours' };
  } catch (thrown) {
    const part = notImplementedPart(thrown);
    return {
      whose: 'course',
      note:
        part !== undefined
          ? `${part} is not implemented yet`
          : `your ${label} threw ${describeError(thrown)}`,
    };
  }
}

const fn = <T>(module: SubmissionModule, name: string): T | undefined =>
  typeof module[name] === 'function' ? (module[name] as T) : undefined;

/** Probes each part of the submission once, on small inputs, and picks whose to use. */
export function resolveParts(module: SubmissionModule, train: ImageDataset): Parts {
  const getOne = fn<(o: { seed: number }) => Net>(module, 'getOneFCNet');
  const getGarment = fn<(o: { seed: number }) => Net>(module, 'getGarmentClassifier');
  const makeLoaders = fn<(d: ImageDataset, o: { seed: number }) => Loaders>(module, 'makeLoaders');
  const lossFn = fn<LossFn>(module, 'lossFn');
  const theLoop = fn<Loop>(module, 'theLoop');
  const missing = (name: string): PartSource => ({
    whose: 'course',
    note: `the submission does not export ${name}`,
  });

  const nets =
    !getOne || !getGarment
      ? missing(!getOne ? 'getOneFCNet' : 'getGarmentClassifier')
      : tryPart('nets', () => {
          for (const make of [getOne, getGarment]) {
            const net = make({ seed: 1 });
            try {
              tf.tidy(() => {
                (net.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync();
              });
            } finally {
              net.dispose();
            }
          }
        });
  const loaders = !makeLoaders
    ? missing('makeLoaders')
    : tryPart('makeLoaders', () => {
        const made = makeLoaders(train, { seed: 1 });
        if (!made?.gdDataLoader || !made.dataLoader)
          throw new Error('makeLoaders returned no gdDataLoader and dataLoader');
      });
  const loss = !lossFn
    ? missing('lossFn')
    : tryPart('lossFn', () => {
        const value = tf.tidy(
          () =>
            lossFn(tf.tensor2d([[2, 1, 0, -1, 0, 0, 0, 0, 0, 0]]), tf.tensor1d([0], 'int32')).dataSync()[0]!,
        );
        if (!Number.isFinite(value)) throw new Error(`lossFn returned ${value}`);
      });
  const chosenLoss = loss.whose === 'yours' ? lossFn! : harnessLoss;
  const loop = !theLoop
    ? missing('theLoop')
    : tryPart('theLoop', () => {
        const net = harnessNet('OneFCNet', 1);
        const optimizer = tf.train.sgd(0.01);
        try {
          const result = theLoop(
            net,
            optimizer,
            new DataLoader(subset(train, [0, 1, 2, 3]), { batchSize: 2 }),
            { epochs: 1, progress: false, lossFn: chosenLoss },
          );
          if (!Array.isArray(result?.losses) || !Array.isArray(result.states) || result.states.length !== 2) {
            throw new Error('theLoop did not return { losses, states } with one state per step');
          }
        } finally {
          optimizer.dispose();
          net.dispose();
        }
      });
  return {
    sources: { nets, loaders, lossFn: loss, loop },
    makeNet: (kind, seed) =>
      nets.whose === 'yours'
        ? (kind === 'OneFCNet' ? getOne! : getGarment!)({ seed })
        : harnessNet(kind, seed),
    makeLoaders: (data, seed) =>
      loaders.whose === 'yours' ? makeLoaders!(data, { seed }) : courseLoaders(data, seed),
    lossFn: chosenLoss,
    theLoop: loop.whose === 'yours' ? theLoop! : courseLoop,
    optimizer: (name) => fn<OptimizerClass>(module, name),
  };
}
