/**
 * `npm run bench`: training speed of the GarmentClassifier at batch 64 on every backend that
 * loads (node-gpu, node, wasm, cpu), with a plain SGD step on seeded random data, against
 * PyTorch's ~15,000 samples/s on a 2-core CPU. A benchmark, not a test: it prints a table and,
 * last, one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { describeAdapter } from '../course/webgpu.js';
import { getGarmentClassifier } from '../reference/nets.js';
import { parseFlags, usage, type FlagSpec } from './lib/args.js';
import { runMain } from './lib/main.js';

const BATCH_SIZE = 64;
const PYTORCH_SAMPLES_PER_S = 15_000;
const DEFAULT_STEPS = 100;
/** Stock cpu takes about 1.6 s per step, with the fast kernels about 0.2 s, webgpu on lavapipe ~1.5 s: keep it short. */
const CPU_MAX_STEPS = 5;
const SEED = 1;

const FLAGS: Record<string, FlagSpec> = {
  steps: { type: 'integer', min: 1, description: `timed steps per backend (default ${DEFAULT_STEPS}; cpu at most ${CPU_MAX_STEPS})` },
  backend: { type: 'string', choices: BACKEND_NAMES, description: `only this backend: ${BACKEND_NAMES.join(', ')} (default: each that loads)` },
  help: { type: 'boolean', description: 'print this help' },
};

const USAGE = usage('npm run bench -- [options]',
  `Times training steps of the GarmentClassifier (batch ${BATCH_SIZE}, SGD, random data) on each backend and compares with PyTorch's ~${PYTORCH_SAMPLES_PER_S.toLocaleString('en-US')} samples/s.`,
  FLAGS);

interface Measured {
  backend: BackendName;
  status: 'ok';
  package: string;
  fastKernels: string[];
  warmupSteps: number;
  steps: number;
  msPerStep: number;
  samplesPerSecond: number;
  ratioToPytorch: number;
}

interface Skipped {
  backend: BackendName;
  status: 'skipped';
  reason: string;
}

type BenchResult = Measured | Skipped;

/** One SGD step on a fixed batch; reads the loss (asynchronously: webgpu) so the step has finished. */
function makeStep(net: tf.Sequential, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): () => Promise<void> {
  const varList = net.trainableWeights.map((w) => w.read() as tf.Variable);
  return async () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, net.apply(xs) as tf.Tensor), true, varList);
    await loss?.data();
    loss?.dispose();
  };
}

async function measure(name: BackendName, steps: number): Promise<BenchResult> {
  let info;
  try {
    info = await selectBackend(name, {}, { asyncReads: true });
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'OPTNN_BACKEND_UNAVAILABLE') {
      return { backend: name, status: 'skipped', reason: error.message.replace(/^The backend '[^']+' was asked for but cannot start: /, '') };
    }
    throw error;
  }
  const slow = name === 'cpu' || info.adapter?.fallback === true;
  const timed = slow ? Math.min(steps, CPU_MAX_STEPS) : steps;
  const warmupSteps = slow ? 1 : 5;
  const net = getGarmentClassifier({ seed: SEED });
  const optimizer = tf.train.sgd(0.01);
  const xs = tf.randomNormal([BATCH_SIZE, 28, 28, 1], 0, 1, 'float32', SEED);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH_SIZE], 0, 10, 'int32', SEED + 1), 10).toFloat());
  try {
    const step = makeStep(net, optimizer, xs, ys);
    for (let i = 0; i < warmupSteps; i++) await step();
    const start = performance.now();
    for (let i = 0; i < timed; i++) await step();
    const msPerStep = (performance.now() - start) / timed;
    const samplesPerSecond = (BATCH_SIZE * 1000) / msPerStep;
    return {
      backend: name,
      status: 'ok',
      package: `${info.package} ${info.version}${info.adapter ? `, ${describeAdapter(info.adapter)}` : ''}`,
      fastKernels: info.fastKernels,
      warmupSteps,
      steps: timed,
      msPerStep,
      samplesPerSecond,
      ratioToPytorch: samplesPerSecond / PYTORCH_SAMPLES_PER_S,
    };
  } finally {
    tf.dispose([xs, ys]);
    net.dispose();
    optimizer.dispose();
    tf.disposeVariables();
  }
}

function table(results: BenchResult[]): string {
  const header = ['backend', 'steps', 'ms/step', 'samples/s', 'vs PyTorch', 'notes'];
  const rows = results.map((r) => r.status === 'ok'
    ? [r.backend, String(r.steps), r.msPerStep.toFixed(2), Math.round(r.samplesPerSecond).toLocaleString('en-US'),
      `${(r.ratioToPytorch * 100).toFixed(1)} %`, `${r.package}; fast kernels: ${r.fastKernels.join(', ') || 'none'}`]
    : [r.backend, '-', '-', '-', '-', `skipped: ${r.reason}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) { console.log(USAGE); return; }
  if (positional.length > 0) throw new HarnessError('OPTNN_BAD_OPTION', `Unexpected argument ${positional.join(' ')}; this command takes only options`);
  const steps = typeof flags['steps'] === 'number' ? flags['steps'] : DEFAULT_STEPS;
  const names = typeof flags['backend'] === 'string' ? [flags['backend'] as BackendName] : [...BACKEND_NAMES];
  tf.env().set('PROD', true);

  const results: BenchResult[] = [];
  for (const name of names) {
    console.error(`bench: ${name} ...`);
    results.push(await measure(name, steps));
  }
  console.log(`GarmentClassifier training, batch ${BATCH_SIZE}, SGD, random data (seed ${SEED}); PyTorch CPU ~${PYTORCH_SAMPLES_PER_S.toLocaleString('en-US')} samples/s\n`);
  console.log(table(results));
  console.log(`\n${JSON.stringify({ batchSize: BATCH_SIZE, pytorchSamplesPerSecond: PYTORCH_SAMPLES_PER_S, results })}`);
}

runMain(main, USAGE);
