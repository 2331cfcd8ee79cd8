/**
 * `npm run bench`: training speed of the GarmentClassifier at batch 64 on every backend that
 * loads (node-gpu, node, wasm, cpu), with a plain SGD step on seeded random data. With `--peer`,
 * PyTorch trains the same net and batch in a subprocess (1 thread, like tfjs's wasm and cpu, and
 * one per core), alternating with the tfjs backends for `--rounds` rounds; the table gives medians
 * and tfjs/PyTorch ratios measured in that one run. A benchmark, not a test: it prints a table
 * and, last, one JSON line.
 */
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { describeAdapter } from '../course/webgpu.js';
import { getGarmentClassifier } from '../reference/nets.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';
import { findTorchPython, runTorch, type TorchRun } from './torch-peer.js';

const BATCH_SIZE = 64;
const DEFAULT_STEPS = 100;
/** Stock cpu takes about 1.6 s per step, with the fast kernels about 0.2 s, webgpu on lavapipe ~1.5 s: keep it short. */
const CPU_MAX_STEPS = 5;
const SEED = 1;

const FLAGS: Record<string, FlagSpec> = {
  steps: {
    type: 'integer',
    min: 1,
    description: `timed steps per backend (default ${DEFAULT_STEPS}; cpu at most ${CPU_MAX_STEPS})`,
  },
  backend: {
    type: 'string',
    choices: BACKEND_NAMES,
    description: `only this backend: ${BACKEND_NAMES.join(', ')} (default: each that loads)`,
  },
  profile: {
    type: 'boolean',
    description: 'after timing, print the time per kernel of one step (top-level kernels, mean of 20 steps)',
  },
  peer: {
    type: 'boolean',
    description: 'also time PyTorch on the same net and batch (needs python3 with torch)',
  },
  rounds: {
    type: 'integer',
    min: 1,
    description: 'alternating rounds of every side; medians are printed (default 1, with --peer 3)',
  },
  help: { type: 'boolean', description: 'print this help' },
};

const USAGE = usage(
  'npm run bench -- [options]',
  `Times training steps of the GarmentClassifier (batch ${BATCH_SIZE}, SGD, random data) on each backend; with --peer, PyTorch side by side.`,
  FLAGS,
);

interface Measured {
  backend: BackendName;
  status: 'ok';
  package: string;
  fastKernels: string[];
  warmupSteps: number;
  steps: number;
  msPerStep: number;
  samplesPerSecond: number;
  /** Each round's ms per step (msPerStep is their median). */
  roundsMs: number[];
}

interface Skipped {
  backend: BackendName;
  status: 'skipped';
  reason: string;
}

type BenchResult = Measured | Skipped;

interface PeerMeasured {
  side: string;
  torch: string;
  threads: number;
  steps: number;
  msPerStep: number;
  samplesPerSecond: number;
  roundsMs: number[];
}

type Peer = { status: 'ok'; runs: PeerMeasured[] } | { status: 'skipped'; reason: string };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One SGD step on a fixed batch; reads the loss (asynchronously: webgpu) so the step has finished. */
function makeStep(
  net: tf.Sequential,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
): () => Promise<void> {
  const varList = net.trainableWeights.map((w) => w.read() as tf.Variable);
  return async () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, net.apply(xs) as tf.Tensor),
      true,
      varList,
    );
    await loss?.data();
    loss?.dispose();
  };
}

/**
 * Mean time per top-level kernel call over `steps` steps (kernels called from inside a kernel count
 * in their caller), by wrapping every kernel registered for the backend; the wrappers are removed after.
 */
async function profileKernels(
  backendName: string,
  step: () => Promise<void>,
  steps: number,
): Promise<string> {
  const totals = new Map<string, number>();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const started = performance.now();
        depth++;
        try {
          return config.kernelFunc(args);
        } finally {
          depth--;
          if (depth === 0) {
            const shapes = Object.values(args.inputs).map((t) =>
              t === undefined ? '-' : `[${(t as tf.TensorInfo).shape.join(',')}]`,
            );
            const key = `${config.kernelName} ${shapes.join(' ')}`;
            totals.set(key, (totals.get(key) ?? 0) + performance.now() - started);
          }
        }
      },
    });
  }
  try {
    await step();
    totals.clear();
    const started = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const stepMs = (performance.now() - started) / steps;
    const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]);
    const kernelMs = rows.reduce((sum, [, ms]) => sum + ms, 0) / steps;
    return [
      `per kernel on ${backendName}: step ${stepMs.toFixed(2)} ms, kernels ${kernelMs.toFixed(2)} ms (the rest is the engine and the tape)`,
      ...rows.slice(0, 25).map(([key, ms]) => `${(ms / steps).toFixed(3).padStart(8)} ms  ${key}`),
    ].join('\n');
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
}

async function measure(name: BackendName, steps: number, profile = false): Promise<BenchResult> {
  let info;
  try {
    info = await selectBackend(name, {}, { asyncReads: true });
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'OPTNN_BACKEND_UNAVAILABLE') {
      return {
        backend: name,
        status: 'skipped',
        reason: error.message.replace(/^The backend '[^']+' was asked for but cannot start: /, ''),
      };
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
    if (profile) console.error(await profileKernels(tf.getBackend(), step, name === 'cpu' ? 2 : 20));
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
      roundsMs: [msPerStep],
    };
  } finally {
    tf.dispose([xs, ys]);
    net.dispose();
    optimizer.dispose();
    tf.disposeVariables();
  }
}

function table(results: BenchResult[], peer: Peer | undefined): string {
  const best = peer?.status === 'ok' ? Math.max(...peer.runs.map((r) => r.samplesPerSecond)) : undefined;
  const ratio = (samplesPerSecond: number): string =>
    best === undefined ? '-' : `${(samplesPerSecond / best).toFixed(2)}×`;
  const header = ['side', 'steps', 'ms/step', 'samples/s', 'vs best PyTorch', 'notes'];
  const rows = results.map((r) =>
    r.status === 'ok'
      ? [
          `tfjs ${r.backend}`,
          String(r.steps),
          r.msPerStep.toFixed(2),
          Math.round(r.samplesPerSecond).toLocaleString('en-US'),
          ratio(r.samplesPerSecond),
          `${r.package}; rounds ${r.roundsMs.map((m) => m.toFixed(1)).join('/')} ms; fast kernels: ${r.fastKernels.join(', ') || 'none'}`,
        ]
      : [`tfjs ${r.backend}`, '-', '-', '-', '-', `skipped: ${r.reason}`],
  );
  if (peer?.status === 'ok') {
    for (const p of peer.runs) {
      rows.push([
        p.side,
        String(p.steps),
        p.msPerStep.toFixed(2),
        Math.round(p.samplesPerSecond).toLocaleString('en-US'),
        ratio(p.samplesPerSecond),
        `torch ${p.torch}, ${p.threads} thread${p.threads === 1 ? '' : 's'}; rounds ${p.roundsMs.map((m) => m.toFixed(1)).join('/')} ms`,
      ]);
    }
  } else if (peer?.status === 'skipped') {
    rows.push(['pytorch', '-', '-', '-', '-', `skipped: ${peer.reason}`]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Merges the rounds of one backend: the median round, with every round's figure kept. */
function mergeRounds(rounds: BenchResult[]): BenchResult {
  const ok = rounds.filter((r): r is Measured => r.status === 'ok');
  if (ok.length === 0) return rounds[0]!;
  const msPerStep = median(ok.map((r) => r.msPerStep));
  return {
    ...ok[0]!,
    msPerStep,
    samplesPerSecond: (BATCH_SIZE * 1000) / msPerStep,
    roundsMs: ok.map((r) => r.msPerStep),
  };
}

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  if (positional.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Unexpected argument ${positional.join(' ')}; this command takes only options`,
    );
  const steps = typeof flags['steps'] === 'number' ? flags['steps'] : DEFAULT_STEPS;
  const names = typeof flags['backend'] === 'string' ? [flags['backend'] as BackendName] : [...BACKEND_NAMES];
  const withPeer = flags['peer'] === true;
  const rounds = typeof flags['rounds'] === 'number' ? flags['rounds'] : withPeer ? 3 : 1;
  tf.env().set('PROD', true);

  const python = withPeer ? await findTorchPython() : undefined;
  const threadCounts = [...new Set([1, availableParallelism()])];
  const perBackend = new Map<BackendName, BenchResult[]>(names.map((n) => [n, []]));
  const perThreads = new Map<number, TorchRun[]>(threadCounts.map((t) => [t, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const name of names) {
      const done = perBackend.get(name)!;
      if (done[0]?.status === 'skipped') continue;
      console.error(`bench: round ${round}/${rounds}: tfjs ${name} ...`);
      done.push(await measure(name, steps, flags['profile'] === true && round === 1));
    }
    if (python !== undefined && 'python' in python) {
      for (const threads of threadCounts) {
        console.error(`bench: round ${round}/${rounds}: PyTorch, ${threads} thread(s) ...`);
        perThreads.get(threads)!.push(await runTorch(python.python, steps, 5, threads));
      }
    }
  }
  const results = names.map((n) => mergeRounds(perBackend.get(n)!));
  let peer: Peer | undefined;
  if (python !== undefined) {
    peer =
      'python' in python
        ? {
            status: 'ok',
            runs: threadCounts.map((threads) => {
              const runs = perThreads.get(threads)!;
              const msPerStep = median(runs.map((r) => r.msPerStep));
              return {
                side: `pytorch ${threads}t`,
                torch: runs[0]!.torch,
                threads: runs[0]!.threads,
                steps: runs[0]!.steps,
                msPerStep,
                samplesPerSecond: (BATCH_SIZE * 1000) / msPerStep,
                roundsMs: runs.map((r) => r.msPerStep),
              };
            }),
          }
        : { status: 'skipped', reason: python.reason };
  }
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `GarmentClassifier training, batch ${BATCH_SIZE}, SGD, random data (seed ${SEED}); median of ${rounds} round(s); load average ${load}\n`,
  );
  console.log(table(results, peer));
  console.log(
    `\n${JSON.stringify({ batchSize: BATCH_SIZE, rounds, loadAverage: loadavg(), results, peer })}`,
  );
}

runMain(main, USAGE);
