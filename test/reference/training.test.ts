import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AveragedModel } from '../../course/swa.js';
import { readState, writeState } from '../../course/params.js';
import { getOneFCNet } from '../../reference/nets.js';
import { GD } from '../../reference/optimizers/gd.js';
import { lossFn, theLoop, trainingStep } from '../../reference/training.js';
import { evaluate } from '../../course/metrics.js';
import { FixedBatches } from '../helpers/batches.js';
import { assertClose } from '../helpers/close.js';

const flat = (state: Float32Array[]): number[] => state.flatMap((a) => Array.from(a));

describe('lossFn', () => {
  it('is softmax cross-entropy on logits with integer labels, averaged over the batch', () => {
    const logits = tf.tensor2d([
      [2, 1, 0],
      [0, 0, 0],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const loss = lossFn(logits, labels).dataSync()[0]!;
    const first = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1));
    const second = Math.log(3);
    expect(loss).toBeCloseTo((first + second) / 2, 6);
    tf.dispose([logits, labels]);
  });
});

describe('trainingStep', () => {
  it('returns the loss before the update and applies the optimizer to the gradient of that loss', () => {
    const net = getOneFCNet({ seed: 3 });
    const batches = new FixedBatches(1, 8, 11);
    const batch = batches.batch(0);
    const before = readState(net);
    const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => lossFn(net.apply(batch.images) as tf.Tensor, batch.labels),
      vars,
    );
    const expectedLoss = value.dataSync()[0]!;
    const expected = before.map((p, i) => {
      const g = grads[vars[i]!.name]!.dataSync();
      return p.map((x, k) => x - 0.1 * g[k]!);
    });
    tf.dispose([value, ...Object.values(grads)]);
    const loss = trainingStep(net, new GD(0.1), lossFn, batch);
    expect(loss).toBeCloseTo(expectedLoss, 6);
    assertClose('parameters after one GD step', flat(readState(net)), flat(expected));
    tf.dispose([batch.images, batch.labels]);
    net.dispose();
  });
});

describe('theLoop', () => {
  it('refuses to run without epochs, with a message that says what to set', () => {
    const net = getOneFCNet();
    expect(() => theLoop(net, new GD(), new FixedBatches(1, 4, 1), {})).toThrow(/set the `epochs` option/);
    expect(() => theLoop(net, new GD(), new FixedBatches(1, 4, 1), { epochs: 0 })).toThrow(
      /positive integer/,
    );
    net.dispose();
  });

  it('records the parameters before each step and the loss of that step, in order', () => {
    const net = getOneFCNet({ seed: 2 });
    const loader = new FixedBatches(3, 4, 21);
    const initial = readState(net);
    const { losses, states, valLosses } = theLoop(net, new GD(0.05), loader, { epochs: 2, progress: false });
    expect(losses).toHaveLength(6);
    expect(states).toHaveLength(6);
    expect(valLosses).toBeUndefined();
    expect(flat(states[0]!)).toEqual(flat(initial));
    expect(flat(states[1]!)).not.toEqual(flat(initial));
    // The k-th loss is the loss at states[k] on batch k mod 3.
    const probe = getOneFCNet({ seed: 2 });
    states.forEach((state, k) => {
      writeState(probe, state);
      const batch = loader.batch(k % 3);
      const expected = tf.tidy(
        () => lossFn(probe.apply(batch.images) as tf.Tensor, batch.labels).dataSync()[0]!,
      );
      expect(losses[k]!).toBeCloseTo(expected, 5);
      tf.dispose([batch.images, batch.labels]);
    });
    [net, probe].forEach((n) => n.dispose());
  });

  it('appends one validation loss per epoch: the mean over the validation samples', () => {
    const net = getOneFCNet({ seed: 4 });
    const val = new FixedBatches(2, 5, 31);
    const result = theLoop(net, new GD(0.05), new FixedBatches(2, 4, 41), {
      epochs: 3,
      valLoader: val,
      progress: false,
    });
    expect(result.valLosses).toHaveLength(3);
    expect(result.valLosses![2]).toBeCloseTo(evaluate(net, val, lossFn).loss, 6);
    net.dispose();
  });

  it('updates the SWA model after each epoch i > swaStart with the running mean', () => {
    const net = getOneFCNet({ seed: 5 });
    const swa = new AveragedModel(net);
    const loader = new FixedBatches(2, 4, 51);
    const { states } = theLoop(net, new GD(0.05), loader, {
      epochs: 4,
      swaModel: swa,
      swaStart: 1,
      progress: false,
    });
    // Epochs 2 and 3 are averaged: the parameters after epoch 2 are states[6], after epoch 3 the net's.
    expect(swa.nAveraged).toBe(2);
    const afterEpoch2 = flat(states[6]!);
    const afterEpoch3 = flat(readState(net));
    assertClose(
      'SWA average',
      flat(swa.averagedState!),
      afterEpoch2.map((v, i) => (v + afterEpoch3[i]!) / 2),
    );
    net.dispose();
  });

  it('leaks no tensors over a run', () => {
    const net = getOneFCNet({ seed: 6 });
    const loader = new FixedBatches(2, 4, 61);
    const optimizer = new GD(0.05);
    theLoop(net, optimizer, loader, { epochs: 1, progress: false });
    const before = tf.memory().numTensors;
    theLoop(net, optimizer, loader, { epochs: 2, valLoader: loader, progress: false });
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
