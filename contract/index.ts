/**
 * The contract that the reference solution and the student template both implement, and that the
 * graders call. SPEC.md (assignment/SPEC.md) defines every part; this file fixes names,
 * signatures and defaults. A type check in the tests proves both sides satisfy `Submission`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../course/data/dataset.js';
import type { AveragedModel } from '../course/swa.js';
import type { Batch, BatchSource } from '../course/data/data-loader.js';
import type { LossFn, Net, State } from '../course/params.js';

export type { Batch, BatchSource, LossFn, Net, State };

export const OPTIMIZER_NAMES = ['GD', 'SGDwM', 'NAGD', 'SGDwMLD', 'AdaGrad', 'RMSProp', 'Adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Each optimizer's hyperparameters, in constructor order, with the notebook's defaults. */
export const OPTIMIZER_DEFAULTS = {
  GD: { lr: 0.2 },
  SGDwM: { lr: 0.2, momentum: 0.9 },
  NAGD: { lr: 0.2, momentum: 0.9 },
  SGDwMLD: { lr: 0.2, momentum: 0.9, decay: 0.01 },
  AdaGrad: { lr: 0.01, eps: 1e-10 },
  RMSProp: { lr: 0.01, eps: 1e-10, decay: 0.1 },
  Adam: { lr: 0.01, gradDecay: 0.9, squaredGradDecay: 0.999, eps: 1e-8 },
} as const satisfies Record<OptimizerName, Record<string, number>>;

export type Hyperparameters<N extends OptimizerName> = {
  [K in keyof (typeof OPTIMIZER_DEFAULTS)[N]]: number;
};

/** The file of each optimizer under `optimizers/`, in both the reference and the template. */
export const OPTIMIZER_FILES: Record<OptimizerName, string> = {
  GD: 'gd',
  SGDwM: 'sgdwm',
  NAGD: 'nagd',
  SGDwMLD: 'sgdwmld',
  AdaGrad: 'adagrad',
  RMSProp: 'rmsprop',
  Adam: 'adam',
};

/** Constructors take the hyperparameters positionally, in the order of OPTIMIZER_DEFAULTS. */
export interface OptimizerClasses {
  GD: new (lr?: number) => tf.Optimizer;
  SGDwM: new (lr?: number, momentum?: number) => tf.Optimizer;
  NAGD: new (lr?: number, momentum?: number) => tf.Optimizer;
  SGDwMLD: new (lr?: number, momentum?: number, decay?: number) => tf.Optimizer;
  AdaGrad: new (lr?: number, eps?: number) => tf.Optimizer;
  RMSProp: new (lr?: number, eps?: number, decay?: number) => tf.Optimizer;
  Adam: new (lr?: number, gradDecay?: number, squaredGradDecay?: number, eps?: number) => tf.Optimizer;
}

export interface NetOptions {
  /** Seed of the initial weights (never 0: tfjs ignores seed 0). */
  seed?: number;
}

export interface LoaderOptions {
  batches?: number;
  batchSize?: number;
  /** Seed of the shuffling of `dataLoader`. */
  seed?: number;
}

export interface Loaders {
  /** `batches · batchSize` samples of the data set (3,200 by default). */
  subset: ImageDataset;
  /** One batch holding the whole subset. */
  gdDataLoader: BatchSource;
  /** Batches of `batchSize` over the subset, reshuffled every epoch. */
  dataLoader: BatchSource;
}

export interface LoopOptions {
  valLoader?: BatchSource;
  /** Required: a clear error without it. */
  epochs?: number;
  swaModel?: AveragedModel;
  swaStart?: number;
  /** Defaults to the submission's own `lossFn`. */
  lossFn?: LossFn;
  /** Show the progress bar (default: true). */
  progress?: boolean;
}

export interface LoopResult {
  losses: number[];
  states: State[];
  valLosses?: number[];
}

export const TUNABLE_OPTIMIZERS = ['SGDwMLD', 'AdaGrad', 'RMSProp', 'Adam'] as const;
export type TunableOptimizer = (typeof TUNABLE_OPTIMIZERS)[number];

/** Everything a submission's code exports. (The tuning choice is data: `tuning.json`, see tuning-schema.ts.) */
export interface Submission extends OptimizerClasses {
  getOneFCNet(options?: NetOptions): Net;
  getGarmentClassifier(options?: NetOptions): Net;
  makeLoaders(data: ImageDataset, options?: LoaderOptions): Loaders;
  lossFn: LossFn;
  trainingStep(net: Net, optimizer: tf.Optimizer, lossFn: LossFn, batch: Batch): number;
  theLoop(net: Net, optimizer: tf.Optimizer, trainLoader: BatchSource, options: LoopOptions): LoopResult;
}

/** The SPEC.md section that defines each part, for "not implemented" messages and hints. */
export const SPEC_SECTIONS = {
  optimizers: 'Optimizers',
  nets: 'Parts a student implements (nets)',
  data: 'Parts a student implements (data)',
  step: 'Parts a student implements (step)',
  loop: 'The loop',
  tuning: 'Parts a student implements (tuning)',
} as const;
