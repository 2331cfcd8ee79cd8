import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getGarmentClassifier, getOneFCNet } from '../../reference/nets.js';

describe('reference nets', () => {
  it('OneFCNet has 7,850 parameters and maps [b,28,28,1] to [b,10] logits', () => {
    const net = getOneFCNet();
    expect(net.countParams()).toBe(7850);
    const out = tf.tidy(() => (net.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape);
    expect(out).toEqual([3, 10]);
    net.dispose();
  });

  it('GarmentClassifier has 44,426 parameters in the layers of the notebook', () => {
    const net = getGarmentClassifier();
    expect(net.countParams()).toBe(44426);
    expect(net.trainableWeights.map((w) => w.shape)).toEqual([
      [5, 5, 1, 6],
      [6],
      [5, 5, 6, 16],
      [16],
      [256, 120],
      [120],
      [120, 84],
      [84],
      [84, 10],
      [10],
    ]);
    const out = tf.tidy(() => (net.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape);
    expect(out).toEqual([2, 10]);
    net.dispose();
  });

  it('initialises like PyTorch: uniform within ±1/sqrt(fan_in), reproducible by seed', () => {
    const a = getGarmentClassifier({ seed: 5 });
    const b = getGarmentClassifier({ seed: 5 });
    const c = getGarmentClassifier({ seed: 6 });
    const fanIns = [25, 25, 150, 150, 256, 256, 120, 120, 84, 84];
    a.trainableWeights.forEach((w, i) => {
      const values = Array.from(w.read().dataSync());
      const bound = 1 / Math.sqrt(fanIns[i]!);
      const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      if (values.length > 50) expect(max).toBeGreaterThan(0.9 * bound);
      expect(values).toEqual(Array.from(b.trainableWeights[i]!.read().dataSync()));
    });
    expect(Array.from(a.trainableWeights[0]!.read().dataSync())).not.toEqual(
      Array.from(c.trainableWeights[0]!.read().dataSync()),
    );
    [a, b, c].forEach((n) => n.dispose());
  });
});
