/** Hostile corpus case symlinked-directory: `lib` is a symlink the test creates, to the reference solution's directory. */
export { GD } from './optimizers/gd.js';
export { SGDwM } from './optimizers/sgdwm.js';
export { NAGD } from './optimizers/nagd.js';
export { SGDwMLD } from './optimizers/sgdwmld.js';
export { AdaGrad } from './optimizers/adagrad.js';
export { RMSProp } from './optimizers/rmsprop.js';
export { Adam } from './lib/optimizers/adam.js';
export { getOneFCNet, getGarmentClassifier } from './nets.js';
export { makeLoaders } from './data.js';
export { lossFn, trainingStep, meanLoss, theLoop } from './training.js';
