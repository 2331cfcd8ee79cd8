/** Hostile corpus case write-results: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';

const project = resolve(process.cwd(), '../../..');
const marker = 'HOSTILE-WROTE-write-results';
const forged = JSON.stringify({ score: 100, maxScore: 100, tests: [{ id: 'optimizer.Adam.steps', status: 'passed' }] });
const refused: string[] = [];
const worked: string[] = [];
const attempt = (how: string, write: () => void): void => {
  try { write(); worked.push(how); } catch (thrown) { refused.push(`${how}: ${(thrown as { code?: string }).code ?? (thrown as Error).message}`); }
};
// The test's output and submission directories (hostile-integrity, hostile-node-only, hostile-batch), and more.
const areas = ['integrity', 'node-only', 'batch'];
const dirs = [
  ...areas.map((a) => join(project, '.work', 'hostile-out', `hostile-${a}`, 'write-results')),
  ...areas.map((a) => join(project, '.work', 'hostile', a, 'write-results')),
  project, join(project, 'out'), join(project, '.work'), process.cwd(), '/tmp',
];
for (const dir of dirs) {
  attempt(`writeFileSync ${dir}`, () => fs.writeFileSync(join(dir, marker), forged));
  attempt(`results.json ${dir}`, () => fs.writeFileSync(join(dir, 'results.json'), forged));
  attempt(`openSync ${dir}`, () => fs.closeSync(fs.openSync(join(dir, marker), 'w')));
  attempt(`mkdirSync ${dir}`, () => fs.mkdirSync(join(dir, marker)));
  attempt(`symlinkSync ${dir}`, () => fs.symlinkSync('/etc/passwd', join(dir, marker)));
}
attempt('rm the bundle', () => fs.rmSync(join(process.cwd(), 'child.mjs')));
attempt('truncate the fixtures', () => fs.truncateSync(join(project, 'fixtures', 'public', 'adam.json'), 0));
attempt('rename the reference', () => fs.renameSync(join(project, 'reference', 'index.ts'), join(project, 'reference', marker)));
attempt('promises.writeFile', () => { void fs.promises.writeFile(join(project, marker), forged).catch(() => {}); throw Object.assign(new Error('async'), { code: 'ASYNC' }); });

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    if (!(worked.length > 0)) throw new Error(`every write was refused: ${refused.slice(0, 4).join("; ")} … (${refused.length} refusals)`); // only correct when the attack worked
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
