/**
 * `npm run bench:experiments`: how long a student waits (a benchmark, not a test). Times, as
 * child processes from start to exit: `experiments --quick` (every cell), `tune` for one choice,
 * and with `--full` the whole notebook (about 10 minutes). Prints one line each, with the targets
 * (60 s, 15 s, 10 min). Figures on a shared machine are noisy: say so when you report them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BACKEND_ENV, BACKEND_NAMES, parseBackendName } from '../course/backend.js';
import { PROJECT_ROOT } from '../runner/build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  full: { type: 'boolean', description: 'also time the full notebook (about 10 minutes)' },
  backends: {
    type: 'string',
    description: `comma-separated backends to time each command on, of ${BACKEND_NAMES.join(', ')} (default: auto's choice)`,
  },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench:experiments -- [--full] [--backends wasm,cpu]',
  'Times experiments --quick, tune for one choice, and (--full) the whole notebook, per backend.',
  FLAGS,
);

/** The backend each child runs on: a name sets OPTNN_BACKEND; 'auto' leaves the choice to the child. */
let backend = 'auto';

async function timed(label: string, target: number, script: string, args: string[]): Promise<void> {
  const started = performance.now();
  const run = await execa(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', script), ...args],
    {
      cwd: PROJECT_ROOT,
      reject: false,
      all: true,
      env: { OPTNN_PROGRESS: '0', [BACKEND_ENV]: backend === 'auto' ? '' : backend },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.exitCode !== 0) throw new Error(`${label} failed (exit ${run.exitCode}):\n${run.all}`);
  // The backend the child says it used (its "backend NAME (package …)" line), else the one asked for.
  const used = /\bbackend (node-gpu|webgpu|node|wasm|cpu) \(/.exec(String(run.all ?? ''))?.[1] ?? backend;
  console.log(
    `${label.padEnd(34)} on ${used.padEnd(6)} ${seconds.toFixed(1).padStart(6)} s   (target ≤ ${target} s: ${seconds <= target ? 'met' : 'MISSED'})`,
  );
}

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  const backends = String(flags['backends'] ?? 'auto')
    .split(',')
    .map((name) => parseBackendName(name.trim(), '--backends'));
  const out = mkdtempSync(join(tmpdir(), 'bench-experiments-'));
  console.log(
    `${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the start`,
  );
  try {
    for (const name of backends) {
      backend = name;
      await timed('experiments --quick (11 cells)', 60, 'experiments.ts', [
        '--quick',
        '--out',
        join(out, 'quick.json'),
      ]);
      await timed('tune, one choice (AdaGrad, lr 0.03)', 15, 'tune.ts', [
        '--optimizer',
        'AdaGrad',
        '--lr',
        '0.03',
        '--batch-size',
        '32',
        '--out',
        join(out, 'tune.svg'),
      ]);
      if (flags['full'])
        await timed('experiments (the full notebook)', 600, 'experiments.ts', [
          '--out',
          join(out, 'full.json'),
        ]);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end (others' work on this machine slows every figure)`,
  );
}

runMain(main, USAGE);
