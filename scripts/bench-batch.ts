/**
 * `npm run bench:batch`: a benchmark, not a test. Grades N copies of the reference with
 * `--jobs 1` and with `--jobs 2` and prints both wall times and their ratio (target ≥ 1.7× on
 * 2 cores). Figures from one run on a quiet machine compare; across runs they do not.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../runner/build.js';
import { parseFlags, usage, type FlagSpec } from './lib/args.js';
import { runMain } from './lib/main.js';

const FLAGS: Record<string, FlagSpec> = {
  copies: { type: 'integer', min: 2, description: 'how many copies of the reference (default 20)' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench:batch -- [--copies N]',
  'Times batch grading with 1 and 2 workers.',
  FLAGS,
);

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  const copies = typeof flags['copies'] === 'number' ? flags['copies'] : 20;
  const work = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  try {
    for (let i = 1; i <= copies; i++)
      cpSync(join(PROJECT_ROOT, 'reference'), join(work, 'class', `s${String(i).padStart(3, '0')}`), {
        recursive: true,
      });
    const seconds: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const started = performance.now();
      const run = await execa(
        process.execPath,
        [
          '--import',
          'tsx',
          join(PROJECT_ROOT, 'scripts', 'grade.ts'),
          'batch',
          join(work, 'class'),
          '--out',
          join(work, `out-${jobs}`),
          '--jobs',
          String(jobs),
        ],
        { cwd: PROJECT_ROOT, env: { OPTNN_PROGRESS: '0' }, reject: false, all: true },
      );
      seconds[jobs] = (performance.now() - started) / 1000;
      if (run.exitCode !== 0) throw new Error(`batch --jobs ${jobs} failed:\n${run.all}`);
      console.log(
        `--jobs ${jobs}: ${copies} submissions in ${seconds[jobs]!.toFixed(1)} s (${(seconds[jobs]! / copies).toFixed(2)} s each)`,
      );
    }
    console.log(`speed-up with 2 workers: ${(seconds[1]! / seconds[2]!).toFixed(2)}×`);
    console.log(
      JSON.stringify({
        copies,
        jobs1Seconds: seconds[1],
        jobs2Seconds: seconds[2],
        speedup: seconds[1]! / seconds[2]!,
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runMain(main, USAGE);
