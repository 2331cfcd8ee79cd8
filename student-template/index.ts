/** The reference solution: everything the contract's `Submission` names. */
export { GD } from './optimizers/gd.js';
export { SGDwM } from './optimizers/sgdwm.js';
export { NAGD } from './optimizers/nagd.js';
export { SGDwMLD } from './optimizers/sgdwmld.js';
export { AdaGrad } from './optimizers/adagrad.js';
export { RMSProp } from './optimizers/rmsprop.js';
export { Adam } from './optimizers/adam.js';
export { getOneFCNet, getGarmentClassifier } from './nets.js';
export { makeLoaders } from './data.js';
export { lossFn, trainingStep, theLoop } from './training.js';
