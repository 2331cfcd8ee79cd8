/**
 * `npm run bench:batch`: a benchmark, not a test. Grades N copies of the reference three ways: one
 * worker grading in one child at a time (`--jobs 1 --lanes 1`, the baseline), two workers (`--jobs 2
 * --lanes 1`: the pool's speed-up, target ≥ 1.8× on 2 cores), and one worker whose submission is
 * graded side by side in as many children as cores (`--jobs 1`, lanes by default), and prints the
 * wall times and their ratios to the baseline. Figures from one run on a quiet machine compare;
 * across runs they do not.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../runner/build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { GRADE_COMMAND } from '../services/grading/grade-command.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  copies: { type: 'integer', min: 2, description: 'how many copies of the reference (default 20)' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench:batch -- [--copies N]',
  'Times batch grading with 1 and 2 workers, and with one worker grading side by side.',
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
    const setups = [
      { name: 'one worker, one child', args: ['--jobs', '1', '--lanes', '1'] },
      { name: 'two workers', args: ['--jobs', '2', '--lanes', '1'] },
      { name: 'one worker, children side by side', args: ['--jobs', '1'] },
    ];
    const seconds: number[] = [];
    for (const [index, setup] of setups.entries()) {
      const started = performance.now();
      const run = await execa(
        process.execPath,
        [...GRADE_COMMAND, 'batch', join(work, 'class'), '--out', join(work, `out-${index}`), ...setup.args],
        { cwd: PROJECT_ROOT, env: { OPTNN_PROGRESS: '0' }, reject: false, all: true },
      );
      seconds[index] = (performance.now() - started) / 1000;
      if (run.exitCode !== 0) throw new Error(`batch ${setup.args.join(' ')} failed:\n${run.all}`);
      console.log(
        `${setup.name} (${setup.args.join(' ')}): ${copies} submissions in ${seconds[index]!.toFixed(1)} s (${(seconds[index]! / copies).toFixed(2)} s each)`,
      );
    }
    const ratio = (i: number): number => seconds[0]! / seconds[i]!;
    console.log(`speed-up with 2 workers: ${ratio(1).toFixed(2)}×`);
    console.log(`speed-up of one worker with children side by side: ${ratio(2).toFixed(2)}×`);
    console.log(
      JSON.stringify({
        copies,
        seconds: Object.fromEntries(setups.map((s, i) => [s.args.join(' '), seconds[i]])),
        speedupWorkers: ratio(1),
        speedupSideBySide: ratio(2),
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runMain(main, USAGE);
