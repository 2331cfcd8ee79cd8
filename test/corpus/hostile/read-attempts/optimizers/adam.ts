/** Hostile corpus case read-attempts: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Every way tried to read a hidden file; each success is recorded, each refusal named.
const project = resolve(process.cwd(), '../../..');
const targets = [join(project, 'reference', 'optimizers', 'adam.ts'), join(project, 'fixtures', 'public', 'adam.json'), join(project, 'fixtures', 'public', 'training', 'expected.json')];
const worked: string[] = [];
const refused: string[] = [];
// A read worked when what came back holds text of the file (or, for the non-reads, anything came back).
const attempt = async (how: string, read: () => unknown, marker?: string): Promise<void> => {
  try {
    const got = await read();
    const text = typeof got === 'string' ? got : Buffer.isBuffer(got) ? got.toString('utf8') : String(JSON.stringify(got) ?? got);
    if (got !== undefined && got !== null && (marker === undefined || text.includes(marker))) worked.push(how);
    else refused.push(`${how}: nothing`);
  } catch (thrown) {
    refused.push(`${how}: ${(thrown as { code?: string }).code ?? (thrown as Error).message}`);
  }
};
const markerOf = (target: string): string => (target.endsWith('.ts') ? 'class Adam' : 'schemaVersion');
for (const target of targets) {
  await attempt('readFileSync', () => fs.readFileSync(target, 'utf8'), markerOf(target));
  await attempt('relative ../', () => fs.readFileSync('../../../' + target.slice(project.length + 1), 'utf8'), markerOf(target));
  await attempt('URL', () => fs.readFileSync(pathToFileURL(target)), markerOf(target));
  await attempt('Buffer path', () => fs.readFileSync(Buffer.from(target)), markerOf(target));
  await attempt('/proc/self/root', () => fs.readFileSync('/proc/self/root' + target, 'utf8'), markerOf(target));
  await attempt('/proc/self/cwd', () => fs.readFileSync('/proc/self/cwd/../../../' + target.slice(project.length + 1), 'utf8'), markerOf(target));
  await attempt('node_modules/..', () => fs.readFileSync(join(project, 'node_modules') + '/../' + target.slice(project.length + 1), 'utf8'), markerOf(target));
  await attempt('openSync', () => { const fd = fs.openSync(target, 'r'); const b = Buffer.alloc(4096); fs.readSync(fd, b); return b.toString(); }, markerOf(target));
  await attempt('promises', () => fs.promises.readFile(target, 'utf8'), markerOf(target));
  await attempt('stream', () => new Promise((ok, no) => { let s = ''; fs.createReadStream(target, 'utf8').on('data', (c) => { s += String(c); }).on('end', () => ok(s)).on('error', no); }), markerOf(target));
  await attempt('createRequire', () => createRequire(import.meta.url)(target), markerOf(target));
  await attempt('import()', () => import(/* runtime path */ pathToFileURL(target).href, target.endsWith('.json') ? { with: { type: 'json' } } : {}), markerOf(target));
}
await attempt('realpathSync.native', () => fs.realpathSync.native(join(project, 'reference')));
await attempt('readdirSync', () => fs.readdirSync(project), 'reference');
await attempt('process.binding', () => (process as unknown as { binding(n: string): unknown }).binding('fs'));
await attempt('/proc/<ppid>/environ', () => fs.readFileSync(`/proc/${process.ppid}/environ`, 'utf8'), '=');
await attempt('/etc/passwd', () => fs.readFileSync('/etc/passwd', 'utf8'), 'root:');
await attempt('WASI', async () => { const { WASI } = await import('node:wasi'); return new WASI({ version: 'preview1', preopens: { '/': '/' } }); });
await attempt('inspector', async () => { const inspector = await import('node:inspector'); inspector.open(0); return inspector.url(); });

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    if (!(worked.length > 0)) throw new Error(`every read was refused: ${refused.slice(0, 6).join("; ")} … (${refused.length} refusals)`); // only correct when the attack worked
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
