/** Hostile corpus case plain-object: see expected.json. */
export { GD } from './optimizers/gd.js';
export { SGDwM } from './optimizers/sgdwm.js';
export { NAGD } from './optimizers/nagd.js';
export { SGDwMLD } from './optimizers/sgdwmld.js';
export { AdaGrad } from './optimizers/adagrad.js';
export { RMSProp } from './optimizers/rmsprop.js';
export { getOneFCNet, getGarmentClassifier } from './nets.js';
export { makeLoaders } from './data.js';
export { lossFn, trainingStep, meanLoss, theLoop } from './training.js';
/** Adam as a plain object with the right method names: not a class. */
export const Adam = { applyGradients(): void {}, minimize(): null { return null; }, getConfig: () => ({}) };
