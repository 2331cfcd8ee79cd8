/** Hostile corpus case parse-stall-hog: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { writeSync } from 'node:fs';

// On its first step: a frame of almost 32 MiB of small JSON objects on the grader's channel (slow
// to parse in the grading process), then Buffers as fast as it can while the grader parses.
let sent = false;
const hog: Buffer[] = [];

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param }: ParameterUpdate<'m' | 's'>): void {
    void param;
    if (sent) return;
    sent = true;
    const chunk = '{"a":[0,1]},'.repeat(100_000);
    try {
      writeSync(3, '[');
      for (let i = 0; i < 27; i++) writeSync(3, chunk);
      writeSync(3, '{}]\n');
    } catch {
      /* no channel */
    }
    for (;;) hog.push(Buffer.alloc(64 * 1024 * 1024, 1));
  }
}

tf.serialization.registerClass(Adam);
