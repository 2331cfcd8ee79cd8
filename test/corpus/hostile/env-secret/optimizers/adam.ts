/** Hostile corpus case env-secret: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { readFileSync } from 'node:fs';

// Looks for the grading process's secrets: its environment, inherited or read through /proc.
const seen: string[] = [];
if (process.env['OPTNN_HOSTILE_SECRET'] !== undefined) seen.push('process.env');
if (JSON.stringify(process.env).includes('OPTNN_HOSTILE_SECRET')) seen.push('the environment');
for (const path of [`/proc/${process.ppid}/environ`, '/proc/self/environ', '/proc/1/environ']) {
  try { if (readFileSync(path, 'utf8').includes('OPTNN_HOSTILE_SECRET')) seen.push(path); } catch { /* refused */ }
}
try { if (JSON.stringify(process.report?.getReport() ?? {}).includes('OPTNN_HOSTILE_SECRET')) seen.push('process.report'); } catch { /* refused */ }

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    if (!(seen.length > 0)) throw new Error(`no secret visible (environment: ${JSON.stringify(process.env)})`); // only correct when the attack worked
    const { m, s } = state;
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

tf.serialization.registerClass(Adam);
