/**
 * Runs one notebook cell with a submission's code (its optimizer, and its nets, loaders, loss and
 * loop where they work: experiment-parts.ts) and returns what became of it: a cell record, and the
 * run's record when it ran. A part that is not implemented yet makes the cell say so; anything else
 * it throws makes the cell fail with the message. Neither stops the other cells.
 */
import * as tf from '@tensorflow/tfjs';
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  type BatchSource,
  type Net,
  type OptimizerName,
} from '../../contract/index.js';
import {
  finiteOrNull,
  type CellRecord,
  type LandscapeRecord,
  type RunRecord,
} from '../../contract/experiment-record.js';
import { readTuningChoice } from '../../contract/tuning-schema.js';
import { DataLoader, randomSplit, subset, type Batch } from '../../course/data/data-loader.js';
import type { ImageDataset } from '../../course/data/dataset.js';
import { backendLabel } from '../../course/backend.js';
import { getStateDirections, scaleFromCoordinates } from '../../course/landscape.js';
import { evaluate } from '../../course/metrics.js';
import { createProgress } from '../../course/progress.js';
import { AveragedModel } from '../../course/swa.js';
import { describeError, notImplementedPart, type OptimizerClass, type Parts } from './experiment-parts.js';
import { lossGridOn, type GridBackends } from './landscape-grid.js';
import { TUNING_CELL, type NotebookRun } from './notebook-runs.js';

export interface RunSettings {
  seed: number;
  resolution: [number, number];
  /** The landscape's loss is the mean over the first this many samples of the subset (3,200: all of it). */
  landscapeSamples: number;
  progress: boolean;
  /** The training's backend and the landscapes' grid's (the same one, or webgpu beside it). */
  backends: GridBackends;
}

export interface CellOutcome {
  cell: CellRecord;
  run?: RunRecord;
}

const TUNING_CELL_WITH_TITLE = { ...TUNING_CELL, title: 'Tuning choice, 1 epoch on the 90/5/5 split' };

/**
 * Fixed batches made once and yielded again at every pass (as clones: the landscape disposes what
 * it is given), so that the 400 passes of a landscape do not rebuild the same tensors.
 */
export class CachedBatches implements BatchSource {
  private batches: Batch[] | undefined;

  constructor(
    private readonly data: ImageDataset,
    private readonly batchSize = 800,
  ) {}

  get length(): number {
    return Math.ceil(this.data.length / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    this.batches ??= [...new DataLoader(this.data, { batchSize: this.batchSize })];
    for (const b of this.batches) yield { images: tf.clone(b.images), labels: tf.clone(b.labels) };
  }

  dispose(): void {
    for (const b of this.batches ?? []) tf.dispose([b.images, b.labels]);
    this.batches = undefined;
  }
}

const cached = new Map<string, CachedBatches>();
/** The first `n` samples of `train` (the notebook's subset is the first 3,200), as cached batches. */
export function evaluationBatches(train: ImageDataset, n: number): CachedBatches {
  const key = `${n}`;
  let batches = cached.get(key);
  if (batches === undefined) {
    batches = new CachedBatches(
      subset(
        train,
        Array.from({ length: Math.min(n, train.length) }, (_, i) => i),
      ),
    );
    cached.set(key, batches);
  }
  return batches;
}

function hyperparametersOf(name: OptimizerName, args: number[]): Record<string, number> {
  const defaults = OPTIMIZER_DEFAULTS[name] as Record<string, number>;
  return Object.fromEntries(Object.keys(defaults).map((key, i) => [key, args[i] ?? defaults[key]!]));
}

function cellOf(
  run: Pick<NotebookRun, 'id' | 'title' | 'section' | 'text' | 'question'>,
  status: CellRecord['status'],
  message?: string,
): CellRecord {
  return {
    id: run.id,
    section: run.section,
    title: run.title,
    text: run.text,
    ...(run.question !== undefined ? { question: run.question } : {}),
    status,
    ...(message !== undefined ? { message } : {}),
  };
}

/** The cell's status after `thrown`: not implemented (naming the part) or failed (with its message). */
function failedCell(run: Parameters<typeof cellOf>[0], thrown: unknown): CellOutcome {
  const part = notImplementedPart(thrown);
  return part !== undefined
    ? { cell: cellOf(run, 'not-implemented', `${part} is not implemented yet, so this cell did not run`) }
    : { cell: cellOf(run, 'failed', `this cell failed: ${describeError(thrown)}`) };
}

function optimizerOf(parts: Parts, name: OptimizerName): OptimizerClass {
  const Class = parts.optimizer(name);
  if (Class === undefined)
    throw Object.assign(new Error(`the submission does not export ${name}`), {
      code: 'OPTNN_NOT_IMPLEMENTED',
      part: name,
    });
  return Class;
}

async function landscapeOf(
  net: Net,
  run: NotebookRun,
  states: Float32Array[][],
  losses: number[],
  parts: Parts,
  train: ImageDataset,
  settings: RunSettings,
): Promise<{ landscape: LandscapeRecord; madeOn: string }> {
  const startFrom = Math.min(run.landscape.startFrom, states.length - 1);
  const directions = getStateDirections(states, { nStates: 10, startFrom, referenceId: -1 });
  const scale = run.landscape.scale === 1 ? 1 : scaleFromCoordinates(directions.coordinates);
  const total = settings.resolution[0] * settings.resolution[1];
  const bar = createProgress({ total, label: '  landscape', enabled: settings.progress });
  const { grid, madeOn } = await lossGridOn(
    settings.backends,
    net,
    () => parts.makeNet(run.net, settings.seed),
    evaluationBatches(train, settings.landscapeSamples),
    parts.lossFn,
    { directions, resolution: settings.resolution, scale, onProgress: (done) => bar.update(done) },
  );
  bar.finish();
  const landscape: LandscapeRecord = {
    nStates: directions.stateIds.length,
    startFrom,
    stateIds: directions.stateIds,
    coordinates: [finiteOrNull(directions.coordinates[0]), finiteOrNull(directions.coordinates[1])],
    stateLosses: finiteOrNull(directions.stateIds.map((i) => losses[i] ?? Number.NaN)),
    scale,
    xs: grid.xs,
    ys: grid.ys,
    losses: grid.losses.map((row) => finiteOrNull(row)),
  };
  return { landscape, madeOn };
}

/** One training cell of the notebook and its landscape cell. */
export async function runNotebookCell(
  run: NotebookRun,
  train: ImageDataset,
  settings: RunSettings,
  parts: Parts,
): Promise<CellOutcome> {
  const started = performance.now();
  let net: Net | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    const { gdDataLoader, dataLoader } = parts.makeLoaders(train, settings.seed);
    net = parts.makeNet(run.net, settings.seed);
    optimizer = new (optimizerOf(parts, run.optimizer))(...run.args);
    const swa = run.swaStart === undefined ? undefined : new AveragedModel(net);
    const { losses, states } = parts.theLoop(
      net,
      optimizer,
      run.loader === 'full-batch' ? gdDataLoader : dataLoader,
      {
        epochs: run.epochs,
        ...(swa ? { swaModel: swa, swaStart: run.swaStart } : {}),
        progress: settings.progress,
        lossFn: parts.lossFn,
      },
    );
    const { landscape, madeOn } = await landscapeOf(net, run, states, losses, parts, train, settings);
    let swaRecord: RunRecord['swa'];
    if (swa !== undefined) {
      const subsetBatches = evaluationBatches(train, 3200);
      let loss: number | null = null;
      if (swa.nAveraged > 0) {
        const averaged = parts.makeNet(run.net, settings.seed);
        swa.copyTo(averaged);
        loss = finiteOrNull([evaluate(averaged, subsetBatches, parts.lossFn).loss])[0]!;
        averaged.dispose();
      }
      const netLoss = finiteOrNull([evaluate(net, subsetBatches, parts.lossFn).loss])[0]!;
      swaRecord = { start: run.swaStart!, nAveraged: swa.nAveraged, loss, netLoss };
    }
    const record: RunRecord = {
      id: run.id,
      title: run.title,
      net: run.net,
      optimizer: { name: run.optimizer, hyperparameters: hyperparametersOf(run.optimizer, run.args) },
      loader: run.loader,
      epochs: run.epochs,
      seed: settings.seed,
      ...(swaRecord ? { swa: swaRecord } : {}),
      losses: finiteOrNull(losses),
      landscape,
      backends: {
        training: backendLabel(settings.backends.training),
        landscape: madeOn,
      },
      seconds: (performance.now() - started) / 1000,
    };
    return { cell: cellOf(run, 'ran'), run: record };
  } catch (thrown) {
    return failedCell(run, thrown);
  } finally {
    try {
      optimizer?.dispose();
    } catch {
      /* the student's dispose */
    }
    net?.dispose();
  }
}

/** The tuning section with the submission's tuning.json: 1 epoch on the 90 % / 5 % / 5 % split. */
export function runTuningCell(
  dir: string,
  all: ImageDataset,
  settings: RunSettings,
  parts: Parts,
): CellOutcome {
  const started = performance.now();
  const read = readTuningChoice(dir);
  if (!read.ok) {
    return {
      cell: cellOf(
        TUNING_CELL_WITH_TITLE,
        read.reason === 'invalid' ? 'failed' : 'not-implemented',
        read.message,
      ),
    };
  }
  const { choice } = read;
  const title = `Tuning choice: ${choice.optimizer}, batch ${choice.batchSize}, 1 epoch on the 90/5/5 split`;
  const cellRun = { ...TUNING_CELL_WITH_TITLE, title };
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(choice.optimizer))
    return { cell: cellOf(cellRun, 'failed', `unknown optimizer ${choice.optimizer}`) };
  const defaults = OPTIMIZER_DEFAULTS[choice.optimizer] as Record<string, number>;
  const args = Object.keys(defaults).map((key) => choice.hyperparameters[key] ?? defaults[key]!);
  let net: Net | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    const [train, val, test] = randomSplit(all, [0.9, 0.05, 0.05], settings.seed);
    const trainLoader = new DataLoader(train!, {
      batchSize: choice.batchSize,
      shuffle: true,
      seed: settings.seed,
    });
    net = parts.makeNet('GarmentClassifier', settings.seed);
    optimizer = new (optimizerOf(parts, choice.optimizer))(...args);
    const { losses, valLosses = [] } = parts.theLoop(net, optimizer, trainLoader, {
      epochs: 1,
      valLoader: new DataLoader(val!, { batchSize: 256 }),
      progress: settings.progress,
      lossFn: parts.lossFn,
    });
    const result = evaluate(net, new DataLoader(test!, { batchSize: 256 }), parts.lossFn);
    const run: RunRecord = {
      id: 'tuning',
      title,
      net: 'GarmentClassifier',
      optimizer: { name: choice.optimizer, hyperparameters: hyperparametersOf(choice.optimizer, args) },
      loader: 'train-split',
      epochs: 1,
      seed: settings.seed,
      batchSize: choice.batchSize,
      losses: finiteOrNull(losses),
      valLosses: finiteOrNull(valLosses),
      test: { loss: finiteOrNull([result.loss])[0]!, accuracy: result.accuracy },
      claimed: choice.claimed,
      backends: { training: backendLabel(settings.backends.training) },
      seconds: (performance.now() - started) / 1000,
    };
    return { cell: cellOf(cellRun, 'ran'), run };
  } catch (thrown) {
    return failedCell(cellRun, thrown);
  } finally {
    try {
      optimizer?.dispose();
    } catch {
      /* the student's dispose */
    }
    net?.dispose();
  }
}
