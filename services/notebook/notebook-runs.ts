/**
 * Every training cell of the notebook, with its net, optimizer, learning rate, loader, epochs and
 * the landscape cell that follows it (start_from, and scale: the largest coordinate, or 1 where
 * the notebook fixes it). The notebook leaves SGDwMLD's decay `lr_d` open; the default 0.01 is used.
 */
import type { OptimizerName } from '../../contract/index.js';

export interface NotebookRun {
  id: string;
  title: string;
  /** The notebook's section heading, its text before the cell, and its question after it. */
  section: string;
  text: string;
  question?: string;
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
  {
    id: 'gd-onefcnet',
    section: 'Gradient Descent',
    text: 'Train a OneFCNet with your gradient descent optimizer (lr 0.002) on the data loader that holds all samples in one batch, with a cross-entropy loss. The contour plot shows how the loss would change if you followed the two main directions of the past parameter updates.',
    question:
      'Think about the challenges and the optimization process of this landscape. What could impede the convergence of the net?',
    title: 'Gradient descent, OneFCNet, full batch',
    net: 'OneFCNet',
    optimizer: 'GD',
    args: [0.002],
    loader: 'full-batch',
    epochs: 10,
    landscape: { startFrom: 0, scale: 'max-coordinate' },
  },
  {
    id: 'gd-garment',
    section: 'Garment Classifier',
    text: 'A net that starts to use convolutions, to take advantage of the spatial structure of images. Test the gradient descent method (lr 0.02, full batch) on this net and compare it.',
    question: 'What are the differences of the contour plots and convergence behaviors?',
    title: 'Gradient descent, GarmentClassifier, full batch',
    net: 'GarmentClassifier',
    optimizer: 'GD',
    args: [0.02],
    loader: 'full-batch',
    epochs: 10,
    landscape: { startFrom: 0, scale: 'max-coordinate' },
  },
  {
    id: 'sgd-garment',
    section: 'Stochastic Gradient Descent',
    text: 'Instead of one gradient over all samples, take a step per batch of 64: this stabilizes convergence and keeps the parameters from being pushed one way and pulled back the next. The same gradient descent, with the batched data loader; the price is more passes over the data set.',
    question: 'Is there any difference?',
    title: 'Stochastic gradient descent (GD on batches of 64)',
    net: 'GarmentClassifier',
    optimizer: 'GD',
    args: [0.02],
    loader: 'batches-of-64',
    epochs: 10,
    landscape: { startFrom: 400, scale: 'max-coordinate' },
  },
  {
    id: 'sgdwm-garment',
    section: 'Stochastic Gradient Descent with Momentum',
    text: 'Consider not only the current gradient but also the last update, weighted by a momentum factor: v = η·(−∂L/∂θ) + mtm·v_old, then θ = θ + v. Train the net again and see if you can spot any differences to the previous optimization.',
    question: 'Can you spot any differences to the previous optimization?',
    title: 'SGD with momentum',
    net: 'GarmentClassifier',
    optimizer: 'SGDwM',
    args: [0.02],
    loader: 'batches-of-64',
    epochs: 10,
    landscape: { startFrom: 400, scale: 'max-coordinate' },
  },
  {
    id: 'nagd-garment',
    section: 'Nesterov Accelerated Gradient Descent',
    text: 'A variant of momentum that takes the gradient at the look-ahead point θ + mtm·v_old (SPEC.md gives the form that runs inside one step).',
    question: 'Are there differences to previous methods and why do they exist?',
    title: 'Nesterov accelerated gradient descent',
    net: 'GarmentClassifier',
    optimizer: 'NAGD',
    args: [0.02],
    loader: 'batches-of-64',
    epochs: 10,
    landscape: { startFrom: 400, scale: 1 },
  },
  {
    id: 'sgdwmld-garment',
    section: 'Learning Rate Decay',
    text: 'Adjust the learning rate at every step t by a decay factor d, so that later updates have less impact and oscillations around the optimum die down: η_t = η_0 / (1 + d·t). Run here with d = 0.01 (the notebook leaves lr_d to you: try others in your own script).',
    question: 'Which decay factor works the best?',
    title: 'SGD with momentum and learning-rate decay',
    net: 'GarmentClassifier',
    optimizer: 'SGDwMLD',
    args: [0.02, 0.9, 0.01],
    loader: 'batches-of-64',
    epochs: 20,
    landscape: { startFrom: 800, scale: 1 },
  },
  {
    id: 'adagrad-garment',
    section: 'Adaptive Gradient (AdaGrad)',
    text: "Take the past gradients into account and scale each parameter's step by them: V_t = √(Σ g_i²) + ε, θ_{t+1} = θ_t − η·g_t / V_t.",
    question:
      'How does AdaGrad perform compared to the learning rate decay? What could be a disadvantage of these update rules?',
    title: 'AdaGrad',
    net: 'GarmentClassifier',
    optimizer: 'AdaGrad',
    args: [],
    loader: 'batches-of-64',
    epochs: 20,
    landscape: { startFrom: 900, scale: 'max-coordinate' },
  },
  {
    id: 'rmsprop-garment',
    section: 'RMSProp',
    text: 'RMSProp improves AdaGrad with a decaying mean of the squared gradients, weighted by a decay factor β.',
    question: 'What is the benefit of this update rule compared to the V_t of AdaGrad?',
    title: 'RMSProp',
    net: 'GarmentClassifier',
    optimizer: 'RMSProp',
    args: [],
    loader: 'batches-of-64',
    epochs: 20,
    landscape: { startFrom: 800, scale: 'max-coordinate' },
  },
  {
    id: 'adam-garment',
    section: 'Adaptive Moment Estimation (Adam)',
    text: 'Adam keeps decaying means of the gradients and of their squares, corrected for their bias towards zero. Implement it and compare it to the previous methods (lr 0.002).',
    question: 'What is the advantage of Adam compared to RMSProp?',
    title: 'Adam',
    net: 'GarmentClassifier',
    optimizer: 'Adam',
    args: [0.002],
    loader: 'batches-of-64',
    epochs: 20,
    landscape: { startFrom: 800, scale: 'max-coordinate' },
  },
  {
    id: 'adam-swa-garment',
    section: 'Stochastic weight averaging',
    text: "Average the parameters of the last epochs (here after epoch 15) to reduce the oscillations of the last training episode (the notebook calls it SVRG; PyTorch's AveragedModel).",
    question: 'Does this improve the convergence in our case?',
    title: 'Adam with stochastic weight averaging',
    net: 'GarmentClassifier',
    optimizer: 'Adam',
    args: [0.002],
    loader: 'batches-of-64',
    epochs: 20,
    swaStart: 15,
    landscape: { startFrom: 800, scale: 'max-coordinate' },
  },
];

/** The notebook's last section, which `tuning.json` answers. */
export const TUNING_CELL = {
  id: 'tuning',
  section: 'Hyperparameter Tuning',
  text: 'Find the best training strategy among SGDwMLD, AdaGrad, RMSProp and Adam, and their hyperparameters, to classify MNIST with the GarmentClassifier in 1 epoch of training, on a train, validation and test split of 90 %, 5 %, 5 %. Your tuning.json names the choice; `npm run tune` measures it exactly as the grader retrains it.',
  question: 'Which optimizer and hyperparameters give the lowest validation loss and the best test accuracy?',
} as const;

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
