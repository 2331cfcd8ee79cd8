import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES } from '../../contract/index.js';
import type { ImageDataset } from '../../course/data/dataset.js';
import * as template from '../../student-template/index.js';
import * as reference from '../../reference/index.js';
import { FixedBatches } from '../helpers/batches.js';

const clear = (part: string, section: string): RegExp =>
  new RegExp(`^not implemented: ${part.replace('.', '\\.')} — see SPEC\\.md section "${section.replace(/[()]/g, '\\$&')}"$`);

const tinyDataset: ImageDataset = {
  length: 4,
  imageShape: [28, 28, 1],
  copyImage: (_i, target, offset) => target.fill(0, offset, offset + 784),
  label: (i) => i % 10,
};

describe('every student-template export throws its clear error', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: constructs with the defaults, and its step says what to implement`, () => {
      const optimizer = new template[name]();
      expect(optimizer.getConfig()).toEqual(new reference[name]().getConfig());
      const v = tf.variable(tf.ones([2]), true, `template-${name}`);
      const grad = tf.ones([2]);
      expect(() => optimizer.applyGradients({ [v.name]: grad })).toThrow(clear(`${name}.updateParameter`, 'Optimizers'));
      tf.dispose([v, grad]);
    });
  }

  it('the nets', () => {
    expect(() => template.getOneFCNet()).toThrow(clear('getOneFCNet', 'Parts a student implements (nets)'));
    expect(() => template.getGarmentClassifier()).toThrow(clear('getGarmentClassifier', 'Parts a student implements (nets)'));
  });

  it('the loaders, the loss, the step and the loop', () => {
    const net = reference.getOneFCNet();
    const batches = new FixedBatches(1, 2, 3);
    const batch = batches.batch(0);
    expect(() => template.makeLoaders(tinyDataset)).toThrow(clear('makeLoaders', 'Parts a student implements (data)'));
    expect(() => template.lossFn(tf.zeros([1, 10]), tf.zeros([1], 'int32'))).toThrow(clear('lossFn', 'Parts a student implements (step)'));
    expect(() => template.trainingStep(net, new reference.GD(), reference.lossFn, batch)).toThrow(clear('trainingStep', 'Parts a student implements (step)'));
    expect(() => template.theLoop(net, new reference.GD(), batches, { epochs: 1, progress: false })).toThrow(clear('theLoop', 'The loop'));
    tf.dispose([batch.images, batch.labels]);
    net.dispose();
  });

  it('keeps the provided check of the notebook: theLoop without epochs', () => {
    const net = reference.getOneFCNet();
    expect(() => template.theLoop(net, new reference.GD(), new FixedBatches(1, 2, 3), {})).toThrow(/set the `epochs` option/);
    net.dispose();
  });
});
