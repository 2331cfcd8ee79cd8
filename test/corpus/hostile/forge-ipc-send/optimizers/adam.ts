/** Hostile corpus case forge-ipc-send: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// A broken Adam (it does nothing) that answers the grader's requests itself through what is left of
// Node's IPC machinery on `process` after the harness deleted `process.send`.
const leftovers = process as unknown as { _send?: (m: unknown, h: undefined, o: object, cb: () => void) => boolean; channel?: unknown };
process.on('message', (message: { type?: string; id?: number; request?: { kind: string; optimizer?: string; input?: { optimizer?: string } } }) => {
  const request = message.request;
  if (message.type !== 'request' || request === undefined) return;
  let result: unknown;
  if (request.kind === 'probe-optimizer' && request.input?.optimizer === 'Adam') {
    result = { lrZero: { ok: true, maxChange: 0 }, separateState: { ok: true, maxDifference: 0 }, leak: { ok: true, counts: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9] }, fit: { ok: true, losses: [5, 3, 1], weightsChanged: true } };
  } else if (request.kind === 'training' && request.optimizer === 'Adam') {
    result = { ok: true, value: { losses: [2, 0.5, 0.2], finalLoss: 0.2 } };
  } else return;
  leftovers._send?.({ type: 'response', id: message.id, result }, undefined, {}, () => {});
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
