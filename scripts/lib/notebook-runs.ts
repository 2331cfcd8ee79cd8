/**
 * Every training cell of the notebook, with its net, optimizer, learning rate, loader, epochs and
 * the landscape cell that follows it (start_from, and scale: the largest coordinate, or 1 where
 * the notebook fixes it). The notebook leaves SGDwMLD's decay `lr_d` open; the default 0.01 is used.
 */
import type { OptimizerName } from '../../contract/index.js';

export interface NotebookRun {
  id: string;
  title: string;
  net: 'OneFCNet' | 'GarmentClassifier';
  optimizer: OptimizerName;
  /** Positional constructor arguments; omitted ones take the defaults. */
  args: number[];
  loader: 'full-batch' | 'batches-of-64';
  epochs: number;
  swaStart?: number;
  landscape: { startFrom: number; scale: 'max-coordinate' | 1 };
}

export const NOTEBOOK_RUNS: readonly NotebookRun[] = [
  { id: 'gd-onefcnet', title: 'Gradient descent, OneFCNet, full batch', net: 'OneFCNet', optimizer: 'GD', args: [0.002], loader: 'full-batch', epochs: 10, landscape: { startFrom: 0, scale: 'max-coordinate' } },
  { id: 'gd-garment', title: 'Gradient descent, GarmentClassifier, full batch', net: 'GarmentClassifier', optimizer: 'GD', args: [0.02], loader: 'full-batch', epochs: 10, landscape: { startFrom: 0, scale: 'max-coordinate' } },
  { id: 'sgd-garment', title: 'Stochastic gradient descent (GD on batches of 64)', net: 'GarmentClassifier', optimizer: 'GD', args: [0.02], loader: 'batches-of-64', epochs: 10, landscape: { startFrom: 400, scale: 'max-coordinate' } },
  { id: 'sgdwm-garment', title: 'SGD with momentum', net: 'GarmentClassifier', optimizer: 'SGDwM', args: [0.02], loader: 'batches-of-64', epochs: 10, landscape: { startFrom: 400, scale: 'max-coordinate' } },
  { id: 'nagd-garment', title: 'Nesterov accelerated gradient descent', net: 'GarmentClassifier', optimizer: 'NAGD', args: [0.02], loader: 'batches-of-64', epochs: 10, landscape: { startFrom: 400, scale: 1 } },
  { id: 'sgdwmld-garment', title: 'SGD with momentum and learning-rate decay', net: 'GarmentClassifier', optimizer: 'SGDwMLD', args: [0.02, 0.9, 0.01], loader: 'batches-of-64', epochs: 20, landscape: { startFrom: 800, scale: 1 } },
  { id: 'adagrad-garment', title: 'AdaGrad', net: 'GarmentClassifier', optimizer: 'AdaGrad', args: [], loader: 'batches-of-64', epochs: 20, landscape: { startFrom: 900, scale: 'max-coordinate' } },
  { id: 'rmsprop-garment', title: 'RMSProp', net: 'GarmentClassifier', optimizer: 'RMSProp', args: [], loader: 'batches-of-64', epochs: 20, landscape: { startFrom: 800, scale: 'max-coordinate' } },
  { id: 'adam-garment', title: 'Adam', net: 'GarmentClassifier', optimizer: 'Adam', args: [0.002], loader: 'batches-of-64', epochs: 20, landscape: { startFrom: 800, scale: 'max-coordinate' } },
  { id: 'adam-swa-garment', title: 'Adam with stochastic weight averaging', net: 'GarmentClassifier', optimizer: 'Adam', args: [0.002], loader: 'batches-of-64', epochs: 20, swaStart: 15, landscape: { startFrom: 800, scale: 'max-coordinate' } },
];

/**
 * The `--quick` version of a run: at most `epochs` epochs, start_from scaled in proportion, and
 * SWA still averaging the last epochs (as many as fit, at least one).
 */
export function quickRun(run: NotebookRun, epochs: number): NotebookRun {
  const kept = Math.min(run.epochs, epochs);
  const averaged = run.swaStart === undefined ? 0 : Math.min(run.epochs - run.swaStart - 1, kept - 1);
  const swaStart = run.swaStart === undefined ? undefined : kept - 1 - averaged;
  return {
    ...run,
    epochs: kept,
    ...(swaStart === undefined ? {} : { swaStart }),
    landscape: { ...run.landscape, startFrom: Math.floor((run.landscape.startFrom * kept) / run.epochs) },
  };
}
