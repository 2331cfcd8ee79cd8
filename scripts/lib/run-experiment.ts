/** Runs one notebook cell with the reference solution and returns its record. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { OPTIMIZER_DEFAULTS, type BatchSource, type Net } from '../../contract/index.js';
import type { ImageDataset } from '../../course/data/dataset.js';
import { DataLoader, randomSplit } from '../../course/data/data-loader.js';
import { getLossGrid, getStateDirections, scaleFromCoordinates } from '../../course/landscape.js';
import { evaluate } from '../../course/metrics.js';
import { createProgress } from '../../course/progress.js';
import { AveragedModel } from '../../course/swa.js';
import * as reference from '../../reference/index.js';
import { requireTuningChoice } from '../../contract/tuning-schema.js';
import { finiteOrNull, type LandscapeRecord, type RunRecord } from '../../contract/experiment-record.js';
import type { NotebookRun } from './notebook-runs.js';

const REFERENCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference');

export interface RunSettings {
  seed: number;
  resolution: [number, number];
  progress: boolean;
}

function makeNet(kind: NotebookRun['net'], seed: number): Net {
  return kind === 'OneFCNet' ? reference.getOneFCNet({ seed }) : reference.getGarmentClassifier({ seed });
}

function hyperparametersOf(name: NotebookRun['optimizer'], args: number[]): Record<string, number> {
  const names = Object.keys(OPTIMIZER_DEFAULTS[name]);
  const values = Object.values(OPTIMIZER_DEFAULTS[name]) as number[];
  return Object.fromEntries(names.map((key, i) => [key, args[i] ?? values[i]!]));
}

function landscapeOf(net: Net, loader: BatchSource, run: NotebookRun, states: Float32Array[][], losses: number[], settings: RunSettings): LandscapeRecord {
  const startFrom = Math.min(run.landscape.startFrom, states.length - 1);
  const directions = getStateDirections(states, { nStates: 10, startFrom, referenceId: -1 });
  const scale = run.landscape.scale === 1 ? 1 : scaleFromCoordinates(directions.coordinates);
  const total = settings.resolution[0] * settings.resolution[1];
  const bar = createProgress({ total, label: '  landscape', enabled: settings.progress });
  const grid = getLossGrid(net, loader, reference.lossFn, {
    directions, resolution: settings.resolution, scale, onProgress: (done) => bar.update(done),
  });
  bar.finish();
  return {
    nStates: directions.stateIds.length,
    startFrom,
    stateIds: directions.stateIds,
    coordinates: [finiteOrNull(directions.coordinates[0]), finiteOrNull(directions.coordinates[1])],
    stateLosses: finiteOrNull(directions.stateIds.map((i) => losses[i]!)),
    scale,
    xs: grid.xs,
    ys: grid.ys,
    losses: grid.losses.map((row) => finiteOrNull(row)),
  };
}

/** One training cell of the notebook and its landscape cell. */
export function runNotebookCell(run: NotebookRun, train: ImageDataset, settings: RunSettings): RunRecord {
  const started = performance.now();
  const { gdDataLoader, dataLoader } = reference.makeLoaders(train, { seed: settings.seed });
  const net = makeNet(run.net, settings.seed);
  const OptimizerClass = reference[run.optimizer] as new (...args: number[]) => tf.Optimizer;
  const optimizer = new OptimizerClass(...run.args);
  const swa = run.swaStart === undefined ? undefined : new AveragedModel(net);
  try {
    const { losses, states } = reference.theLoop(net, optimizer, run.loader === 'full-batch' ? gdDataLoader : dataLoader, {
      epochs: run.epochs, ...(swa ? { swaModel: swa, swaStart: run.swaStart } : {}), progress: settings.progress,
    });
    const landscape = landscapeOf(net, dataLoader, run, states, losses, settings);
    let swaRecord: RunRecord['swa'];
    if (swa !== undefined) {
      let loss: number | null = null;
      if (swa.nAveraged > 0) {
        const averaged = makeNet(run.net, settings.seed);
        swa.copyTo(averaged);
        loss = finiteOrNull([evaluate(averaged, dataLoader, reference.lossFn).loss])[0]!;
        averaged.dispose();
      }
      swaRecord = { start: run.swaStart!, nAveraged: swa.nAveraged, loss };
    }
    return {
      id: run.id, title: run.title, net: run.net,
      optimizer: { name: run.optimizer, hyperparameters: hyperparametersOf(run.optimizer, run.args) },
      loader: run.loader, epochs: run.epochs, seed: settings.seed,
      ...(swaRecord ? { swa: swaRecord } : {}),
      losses: finiteOrNull(losses), landscape,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}

/** The tuning section: the reference's choice, 1 epoch on the 90 % / 5 % / 5 % split. */
export function runTuning(all: ImageDataset, settings: RunSettings): RunRecord {
  const started = performance.now();
  const choice = requireTuningChoice(REFERENCE_DIR);
  const [train, val, test] = randomSplit(all, [0.9, 0.05, 0.05], settings.seed);
  const trainLoader = new DataLoader(train!, { batchSize: choice.batchSize, shuffle: true, seed: settings.seed });
  const valLoader = new DataLoader(val!, { batchSize: choice.batchSize });
  const testLoader = new DataLoader(test!, { batchSize: choice.batchSize });
  const net = reference.getGarmentClassifier({ seed: settings.seed });
  const names = Object.keys(OPTIMIZER_DEFAULTS[choice.optimizer]);
  const args = names.map((key) => choice.hyperparameters[key] ?? (OPTIMIZER_DEFAULTS[choice.optimizer] as Record<string, number>)[key]!);
  const OptimizerClass = reference[choice.optimizer] as new (...args: number[]) => tf.Optimizer;
  const optimizer = new OptimizerClass(...args);
  try {
    const { losses, valLosses = [] } = reference.theLoop(net, optimizer, trainLoader, { epochs: 1, valLoader, progress: settings.progress });
    const result = evaluate(net, testLoader, reference.lossFn);
    return {
      id: 'tuning', title: `Tuning choice: ${choice.optimizer}, 1 epoch on the 90/5/5 split`, net: 'GarmentClassifier',
      optimizer: { name: choice.optimizer, hyperparameters: hyperparametersOf(choice.optimizer, args) },
      loader: 'train-split', epochs: 1, seed: settings.seed,
      losses: finiteOrNull(losses), valLosses: finiteOrNull(valLosses),
      test: { loss: finiteOrNull([result.loss])[0]!, accuracy: result.accuracy },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
