/**
 * `npm run bench:grade`: a benchmark, not a test. Makes hidden fixtures in a temporary directory,
 * then grades the reference (public + hidden tests) `--runs` times with `npm run grade`'s command,
 * and prints the median wall time of the whole command and, per test, the median of the verdict's
 * durationMs, and how many children graded side by side (the command decides from the load it
 * measures; `--lanes` is not passed). Figures from one run on a quiet machine compare; across
 * machines only ratios do.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../runner/build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { GRADE_COMMAND } from '../services/grading/grade-command.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  runs: { type: 'integer', min: 1, description: 'how many gradings (default 3)' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench:grade -- [--runs N]',
  'Times grading the reference, public and hidden tests.',
  FLAGS,
);
/** A hidden seed for the benchmark only (any seed but the public one). */
const HIDDEN_SEED = 4242;

interface TestTiming {
  id: string;
  durationMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const tsx = (script: string, args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', script), ...args], {
    cwd: PROJECT_ROOT,
    env: { OPTNN_PROGRESS: '0' },
    reject: false,
    all: true,
  });

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  const runs = typeof flags['runs'] === 'number' ? flags['runs'] : 3;
  const work = mkdtempSync(join(tmpdir(), 'bench-grade-'));
  try {
    const hidden = join(work, 'hidden');
    const made = await tsx('make-fixtures.ts', ['--hidden', '--seed', String(HIDDEN_SEED), '--out', hidden]);
    if (made.exitCode !== 0) throw new Error(`making hidden fixtures failed:\n${made.all}`);
    const walls: number[] = [];
    const perTest = new Map<string, number[]>();
    let score = '';
    const lanes: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const out = join(work, `out-${run}`);
      const started = performance.now();
      const graded = await execa(
        process.execPath,
        [...GRADE_COMMAND, join(PROJECT_ROOT, 'reference'), '--hidden', hidden, '--out', out],
        { cwd: PROJECT_ROOT, env: { OPTNN_PROGRESS: '0' }, reject: false, all: true },
      );
      const wall = (performance.now() - started) / 1000;
      if (graded.exitCode !== 0) throw new Error(`grading run ${run} failed:\n${graded.all}`);
      walls.push(wall);
      // The command says how many children graded side by side (it measures the load first).
      lanes.push(Number(/in (\d+) child processes side by side/.exec(graded.all ?? '')?.[1] ?? 1));
      const result = JSON.parse(readFileSync(join(out, 'reference', 'results.json'), 'utf8')) as {
        score: number;
        maxScore: number;
        tests: TestTiming[];
      };
      score = `${result.score}/${result.maxScore}`;
      for (const t of result.tests) perTest.set(t.id, [...(perTest.get(t.id) ?? []), t.durationMs]);
      console.error(`bench:grade: run ${run}/${runs}: ${wall.toFixed(1)} s`);
    }
    const rows = [...perTest.entries()]
      .map(([id, ms]) => ({ id, ms: median(ms) }))
      .sort((a, b) => b.ms - a.ms);
    const testsMs = rows.reduce((sum, r) => sum + r.ms, 0);
    const wall = median(walls);
    console.log(
      `grading the reference (public + hidden, ${score}): median wall ${wall.toFixed(1)} s of ${runs} run(s) ` +
        `(${walls.map((w) => w.toFixed(1)).join(' / ')} s); load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const side = Math.max(...lanes);
    console.log(
      side > 1
        ? `children side by side: ${lanes.join(' / ')} (per run); the tests' durations (time in a child and in the grading process, waits left out) sum to ${(testsMs / 1000).toFixed(1)} s, over ${wall.toFixed(1)} s of wall\n`
        : `one child at a time; the tests sum to ${(testsMs / 1000).toFixed(1)} s; the rest (${(wall - testsMs / 1000).toFixed(1)} s) is start-up, bundling, processes and reports\n`,
    );
    const width = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows)
      console.log(
        `${r.id.padEnd(width)}  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${((100 * r.ms) / (wall * 1000)).toFixed(1).padStart(5)} %`,
      );
    console.log(
      `\n${JSON.stringify({ runs, lanes, wallSeconds: walls, medianWallSeconds: wall, tests: rows.map((r) => ({ id: r.id, medianMs: r.ms })) })}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runMain(main, USAGE);
