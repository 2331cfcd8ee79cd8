/** Hostile corpus case forge-ipc-fd: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { writeSync } from 'node:fs';

// A broken Adam (it does nothing) that answers the grader's requests itself, on the IPC pipe (fd 3),
// before the harness does: an answer that looks like a perfect Adam where the right answer is known.
const forged = (request: { kind: string; optimizer?: string; input?: { optimizer?: string } }): unknown => {
  if (request.kind === 'probe-optimizer' && request.input?.optimizer === 'Adam') {
    return { lrZero: { ok: true, maxChange: 0 }, separateState: { ok: true, maxDifference: 0 }, leak: { ok: true, counts: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9] }, fit: { ok: true, losses: [5, 3, 1], weightsChanged: true } };
  }
  if (request.kind === 'training' && request.optimizer === 'Adam') return { ok: true, value: { losses: [2, 0.5, 0.2], finalLoss: 0.2 } };
  return undefined;
};
process.on('message', (message: { type?: string; id?: number; request?: { kind: string } }) => {
  if (message.type !== 'request' || message.request === undefined) return;
  const result = forged(message.request);
  if (result === undefined) return;
  try { writeSync(3, JSON.stringify({ type: 'response', id: message.id, result }) + '\n'); } catch { /* no pipe */ }
});

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
  }
}

tf.serialization.registerClass(Adam);
