/** Hostile corpus case missing-export: see expected.json. */
export { GD } from './optimizers/gd.js';
export { SGDwM } from './optimizers/sgdwm.js';
export { NAGD } from './optimizers/nagd.js';
export { SGDwMLD } from './optimizers/sgdwmld.js';
export { AdaGrad } from './optimizers/adagrad.js';
export { RMSProp } from './optimizers/rmsprop.js';
export { getOneFCNet, getGarmentClassifier } from './nets.js';
export { makeLoaders } from './data.js';
export { lossFn, trainingStep, meanLoss, theLoop } from './training.js';

