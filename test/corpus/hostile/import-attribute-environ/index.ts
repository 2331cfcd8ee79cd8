/** Hostile corpus case import-attribute-environ: see expected.json. */
// An import attribute would make esbuild load any file as text, here the grading process's environment.
import environment from '/proc/self/environ' with { type: 'text' };

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
export const leaked = environment;
