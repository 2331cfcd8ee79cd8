/**
 * Checks every reference optimizer must pass beyond its hand-computed values: parameters without a
 * gradient (and their state) are left alone, state is per parameter, no tensor leaks, lr = 0
 * changes nothing, the defaults are the contract's, bad hyperparameters are refused, and the
 * optimizer works inside tfjs-layers `model.fit`.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS, type OptimizerName } from '../../contract/index.js';
import { runSteps } from './optimizer-steps.js';

type Ctor = new (...args: number[]) => tf.Optimizer;

const A0 = [0.5, -1.5, 2];
const B0 = [-0.25, 3];
const gradsA = [
  [0.3, -0.2, 0.1],
  [-0.5, 0.4, 0.2],
  [0.1, 0.1, -0.3],
  [0.2, -0.6, 0.05],
];
const gradsB = [
  [1, -1],
  [0.5, 0.25],
  [-0.75, 2],
  [0.1, 0.2],
];

export function optimizerProperties(name: OptimizerName, Optimizer: Ctor): void {
  const defaults = Object.values(OPTIMIZER_DEFAULTS[name]) as number[];

  it('has the notebook defaults, in constructor order', () => {
    const optimizer = new Optimizer();
    expect(optimizer.getConfig()).toEqual(OPTIMIZER_DEFAULTS[name]);
    optimizer.dispose();
  });

  it('round-trips through getConfig/fromConfig', () => {
    const args = defaults.map((v, i) => (i === 0 ? v / 2 : v));
    const original = new Optimizer(...args);
    const copy = (
      Optimizer as unknown as typeof tf.Optimizer & {
        fromConfig: typeof tf.serialization.Serializable.fromConfig;
      }
    ).fromConfig(
      Optimizer as unknown as tf.serialization.SerializableConstructor<tf.Optimizer>,
      original.getConfig(),
    );
    expect(copy.getConfig()).toEqual(original.getConfig());
  });

  it('refuses a negative or non-finite learning rate with a message naming it', () => {
    expect(() => new Optimizer(-1)).toThrow(/`lr`.*got `-1` \(number\)/);
    expect(() => new Optimizer(Number.NaN)).toThrow(/`lr`/);
  });

  it('leaves a parameter without a gradient, and its state, untouched', async () => {
    const optimizer = new Optimizer();
    const a = tf.variable(tf.tensor1d(A0), true, `${name}-untouched-a`);
    const b = tf.variable(tf.tensor1d(B0), true, `${name}-untouched-b`);
    const apply = (ga: number[] | null, gb: number[] | null): void =>
      tf.tidy(() => {
        const map: tf.NamedTensorMap = {};
        if (ga) map[a.name] = tf.tensor1d(ga);
        if (gb) map[b.name] = tf.tensor1d(gb);
        optimizer.applyGradients(map);
      });
    apply(gradsA[0]!, gradsB[0]!);
    const bBefore = b.dataSync().slice();
    const stateBefore = await stateOf(optimizer, b.name);
    apply(gradsA[1]!, null);
    expect(Array.from(b.dataSync())).toEqual(Array.from(bBefore));
    expect(await stateOf(optimizer, b.name)).toEqual(stateBefore);
    expect(Array.from(a.dataSync())).not.toEqual(A0);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it('keeps state per parameter: two parameters step exactly as each would alone', () => {
    const together = runSteps(
      new Optimizer(),
      { a: A0, b: B0 },
      gradsA.map((g, i) => ({ a: g, b: gradsB[i]! })),
    );
    const aloneA = runSteps(
      new Optimizer(),
      { a: A0 },
      gradsA.map((g) => ({ a: g })),
    );
    const aloneB = runSteps(
      new Optimizer(),
      { b: B0 },
      gradsB.map((g) => ({ b: g })),
    );
    together.forEach((step, i) => {
      expect(Array.from(step['a']!)).toEqual(Array.from(aloneA[i]!['a']!));
      expect(Array.from(step['b']!)).toEqual(Array.from(aloneB[i]!['b']!));
    });
  });

  it('does not leak tensors: the count is stable after the first step', () => {
    const optimizer = new Optimizer();
    const a = tf.variable(tf.tensor1d(A0), true, `${name}-leak-a`);
    const grad = tf.tensor1d(gradsA[0]!);
    optimizer.applyGradients({ [a.name]: grad });
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) optimizer.applyGradients({ [a.name]: grad });
    expect(tf.memory().numTensors).toBe(after1);
    optimizer.dispose();
    tf.dispose([a, grad]);
  });

  it('changes nothing with lr = 0', () => {
    const steps = runSteps(
      new Optimizer(0, ...defaults.slice(1)),
      { a: A0 },
      gradsA.map((g) => ({ a: g })),
    );
    for (const step of steps) expect(Array.from(step['a']!)).toEqual(Array.from(Float32Array.from(A0)));
  });

  it('trains a tfjs-layers model inside model.fit', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })],
    });
    const optimizer = new Optimizer(0.01, ...defaults.slice(1));
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 2],
      [2, 1],
      [0, 1],
      [1, 0],
    ]);
    const y = tf.tensor2d([[3], [3], [1], [1]]);
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
}

async function stateOf(optimizer: tf.Optimizer, param: string): Promise<number[][]> {
  const weights = await optimizer.getWeights();
  return weights.filter((w) => w.name.startsWith(`${param}/`)).map((w) => Array.from(w.tensor.dataSync()));
}
