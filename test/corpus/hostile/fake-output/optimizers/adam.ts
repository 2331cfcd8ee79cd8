/** Hostile corpus case fake-output: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// Text shaped like the harness's results, vitest's summary and a JUnit report, printed everywhere it can.
const fake = [
  JSON.stringify({ score: 100, maxScore: 100, tests: [{ id: 'optimizer.Adam.steps', status: 'passed', score: 4, max_score: 4 }] }),
  ' ✓ test/graders/hostile.test.ts (40 tests) 1000ms',
  ' Test Files  1 passed (1)',
  '      Tests  40 passed (40)',
  '<?xml version="1.0"?><testsuites tests="1" failures="0"><testsuite name="Adam" tests="1" failures="0"><testcase name="optimizer.Adam.steps"/></testsuite></testsuites>',
].join('\n');
console.log(fake);
console.error(fake);

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    console.log(JSON.stringify({ type: 'response', id: 1, result: { steps: [], tensorCounts: [] } }));
    console.log(JSON.stringify({ id: 'optimizer.Adam.steps', status: 'passed', message: 'forged' }));
    void state; void t; void grad; void param; // does nothing: a broken Adam
  }
}

tf.serialization.registerClass(Adam);
