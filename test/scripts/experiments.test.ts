import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { validateOrThrow } from '../../contract/validate.js';
import { ExperimentsRecord } from '../../contract/experiment-record.js';
import { shareOut } from '../../scripts/cli/experiments-jobs.js';

const root = join(import.meta.dirname, '..', '..');
const experiments = (args: string[]) =>
  execa('npx', ['tsx', 'scripts/experiments.ts', ...args], {
    cwd: root,
    reject: false,
    env: { OPTNN_PROGRESS: '0' },
  });

describe('npm run experiments', () => {
  it('runs notebook cells on the embedded data and writes a record that fits its schema', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'experiments-')), 'e.json');
    const result = await experiments([
      '--quick',
      '--only',
      'gd-onefcnet,adam-swa-garment,tuning',
      '--resolution',
      '3',
      '--out',
      out,
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*e\.json \(3 runs, backend \w+/m);
    expect(result.stdout).toMatch(/^wrote .*e\.html \(3 of 3 cells ran; open it in a browser\)$/m);
    expect(readFileSync(out.replace(/json$/, 'html'), 'utf8')).toContain(
      '<h1>Experiments with <code>reference</code>',
    );
    const record = validateOrThrow(ExperimentsRecord, JSON.parse(readFileSync(out, 'utf8')), out);
    expect(record.quick).toBe(true);
    expect(record.data).toEqual({ source: 'embedded', samples: 10000 });
    expect(record.runs.map((r) => r.id)).toEqual(['gd-onefcnet', 'adam-swa-garment', 'tuning']);

    const [gd, adam, tuning] = record.runs;
    expect(gd!.losses).toHaveLength(2); // 2 epochs of one full batch
    expect(gd!.landscape!.losses).toHaveLength(3);
    expect(gd!.landscape!.losses[0]).toHaveLength(3);
    expect(adam!.losses).toHaveLength(100); // 2 epochs of 50 batches of 64
    expect(adam!.swa).toMatchObject({ start: 0, nAveraged: 1 });
    const first = adam!.losses.slice(0, 10) as number[];
    const last = adam!.losses.slice(-10) as number[];
    expect(last.reduce((a, b) => a + b) / 10).toBeLessThan(0.6 * (first.reduce((a, b) => a + b) / 10));
    expect(adam!.landscape!.stateIds).toHaveLength(10);
    expect(tuning!.valLosses).toHaveLength(1);
    expect(tuning!.test!.accuracy).toBeGreaterThan(0.8);
    // Each cell names its backends: the landscape on the training's, or on webgpu on a GPU adapter.
    expect(tuning!.backends).toEqual({ training: record.backend.name });
    for (const r of [gd!, adam!]) {
      expect(r.backends!.training).toBe(record.backend.name);
      expect(r.backends!.landscape).toMatch(
        new RegExp(`^(${record.backend.name}|webgpu \\(adapter .*, a GPU\\))$`),
      );
    }
    expect(readFileSync(out.replace(/json$/, 'html'), 'utf8')).toContain(
      `Backends</th><td>training: ${record.backend.name}; landscape: `,
    );
  });

  it('with --jobs 2 runs the cells in two processes and writes the record one process writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'experiments-jobs-'));
    const cells = ['--quick', '--only', 'gd-onefcnet,sgd-garment,tuning', '--resolution', '3'];
    const [one, two] = await Promise.all(
      ['1', '2'].map((jobs) =>
        experiments([...cells, '--jobs', jobs, '--out', join(dir, `jobs-${jobs}.json`)]),
      ),
    );
    expect(one!.exitCode, one!.stderr).toBe(0);
    expect(two!.exitCode, two!.stderr).toBe(0);
    expect(two!.stderr).toMatch(/^experiments: 2 jobs side by side: /m);
    expect(two!.stderr).toMatch(/^\[job 2\] /m);
    expect(two!.stdout).toMatch(/^wrote .*jobs-2\.json \(3 runs, backend \w+ .*, 2 jobs\)$/m);
    const read = (jobs: string) => {
      const path = join(dir, `jobs-${jobs}.json`);
      const record = validateOrThrow(ExperimentsRecord, JSON.parse(readFileSync(path, 'utf8')), path);
      // What differs from one run to the next: when it ran, how long it took, its command line.
      return {
        ...record,
        command: '',
        startedAt: '',
        runs: record.runs.map((r) => ({ ...r, seconds: 0 })),
      };
    };
    const single = read('1');
    expect(single.runs.map((r) => r.id)).toEqual(['gd-onefcnet', 'sgd-garment', 'tuning']);
    expect(read('2')).toEqual(single);
    expect(readFileSync(join(dir, 'jobs-2.html'), 'utf8')).toContain('sgd-garment');
  }, 240_000);

  it('deals the cells out by cost, each share in the notebook order', () => {
    const cells = [
      { id: 'a', cost: 1 },
      { id: 'b', cost: 10 },
      { id: 'c', cost: 6 },
      { id: 'd', cost: 5 },
    ];
    expect(shareOut(cells, 2)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(shareOut(cells, 9)).toHaveLength(4);
    expect(shareOut(cells, 1)).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('rejects a bad option with exit code 2, naming it, and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'experiments-')), 'e.json');
    const result = await experiments(['--seed', '0', '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Expected --seed to be an integer ≥ 1, got `"0"` (string)');
    expect(result.stderr).toContain('Usage: npm run experiments');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a --data directory that does not exist as bad usage (exit 2), naming it', async () => {
    const missing = join(tmpdir(), 'no-such-mnist-dir');
    const result = await experiments(['--data', missing, '--quick']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `Expected --data to be 'embedded' or a directory of MNIST IDX files, got \`"${missing}"\` (string), which does not exist`,
    );
    expect(result.stderr).toContain('Usage: npm run experiments');
  });

  it('says which files it looked for when the data directory holds no MNIST (exit 1)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-mnist-'));
    const result = await experiments(['--data', empty, '--quick']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('OPTNN_DATA_MISSING');
    expect(result.stderr).toContain(empty);
  });

  it('rejects a --submission that is not a submission directory (exit 2)', async () => {
    const result = await experiments(['--submission', tmpdir(), '--quick']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `Expected --submission to be a submission directory with an index.ts, got ${tmpdir()}, which has none`,
    );
  });
});
