/** Hostile corpus case fork-bomb: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { fork, spawn, execSync } from 'node:child_process';

function bomb(): string[] {
  const refused: string[] = [];
  for (const attempt of [() => spawn('/bin/sh', ['-c', ':(){ :|:& };:']), () => fork(process.argv[1] ?? '.'), () => execSync('sleep 300 &')]) {
    try { attempt(); } catch (thrown) { refused.push(String((thrown as Error).message)); }
  }
  return refused;
}

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    const refused = bomb();
    if (refused.length < 3) return; // a spawn worked: then it does nothing (and the test sees a process)
    throw new Error(`could not spawn: ${refused[0]}`);
  }
}

tf.serialization.registerClass(Adam);
