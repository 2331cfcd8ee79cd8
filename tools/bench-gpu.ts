/**
 * `npm run bench:gpu -- [--backend NAME]`: where a GPU pays, the GarmentClassifier at the batch sizes
 * the notebook uses: a training step (SGD, one fixed random batch) at 64, 640 and 3,200, a
 * forward pass (the loss) at 3,200, and one loss landscape as the notebook draws it (a grid of
 * forward passes over 3,200 samples). Reads only asynchronously, so it runs on webgpu. A benchmark,
 * not a test: a table per backend, then one JSON line per figure.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, describeBackend, selectBackend, type BackendInfo } from '../course/backend.js';
import { meanCrossEntropy } from '../course/webgpu-train.js';
import { getGarmentClassifier } from '../reference/nets.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  backend: {
    type: 'string',
    choices: ['auto', ...BACKEND_NAMES],
    description: 'auto (default), or one of ' + BACKEND_NAMES.join(', '),
  },
  batches: { type: 'string', description: 'training batch sizes, comma-separated (default 64,640,3200)' },
  grid: { type: 'integer', min: 0, description: 'the landscape is GRID × GRID points (default 20; 0: none)' },
  samples: {
    type: 'integer',
    min: 1,
    description: 'samples per forward pass and landscape point (default 3200)',
  },
  seconds: { type: 'integer', min: 1, description: 'time spent per figure at most (default 8)' },
  profile: {
    type: 'boolean',
    description:
      "also the time per kernel of one training step at each batch (tf.profile; webgpu: the GPU's timestamps)",
  },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench:gpu -- [options]',
  'Times training steps at large batches, a forward pass and a loss landscape of the GarmentClassifier on one backend.',
  FLAGS,
);

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

/** One training step under tf.profile: each kernel's summed time, largest first. */
async function profileStep(step: () => Promise<void>): Promise<KernelTime[]> {
  const info = await tf.profile(step);
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    const entry = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls++;
    byName.set(k.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

export interface GpuFigure {
  backend: string;
  kind: 'train' | 'forward' | 'landscape';
  batch: number;
  reps: number;
  msPerBatch: number;
  samplesPerSecond: number;
  /** landscape only: the grid's points, and the seconds it took (extrapolated when cut). */
  points?: number;
  seconds?: number;
  cut?: boolean;
}

/** Runs `fn` a few times untimed, then until `reps` or `budgetMs`; the mean ms per run. */
async function time(fn: () => Promise<void>, reps: number, budgetMs: number): Promise<[number, number]> {
  for (let i = 0; i < 2; i++) await fn();
  const t0 = performance.now();
  let done = 0;
  while (done < reps && (done === 0 || performance.now() - t0 < budgetMs)) {
    await fn();
    done++;
  }
  return [(performance.now() - t0) / done, done];
}

async function measure(backend: BackendInfo, flags: Record<string, unknown>): Promise<GpuFigure[]> {
  const batches = String(flags['batches'] ?? '64,640,3200')
    .split(',')
    .map(Number);
  const samples = typeof flags['samples'] === 'number' ? flags['samples'] : 3200;
  const grid = typeof flags['grid'] === 'number' ? flags['grid'] : 20;
  const budgetMs = (typeof flags['seconds'] === 'number' ? flags['seconds'] : 8) * 1000;
  const net = getGarmentClassifier({ seed: 1 });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.sgd(0.01);
  const figures: GpuFigure[] = [];
  const record = (figure: GpuFigure): void => {
    figures.push(figure);
    console.error(`bench-gpu: ${JSON.stringify(figure)}`);
  };
  for (const batch of batches) {
    const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1);
    const y = tf.randomUniform([batch], 0, 10, 'int32', 2);
    const step = async (): Promise<void> => {
      const cost = opt.minimize(
        () => meanCrossEntropy(net.apply(x, { training: true }) as tf.Tensor, y),
        true,
        vars,
      );
      await cost!.data();
      cost!.dispose();
    };
    const [ms, reps] = await time(step, batch >= 3200 ? 10 : 50, budgetMs);
    record({
      backend: backend.name,
      kind: 'train',
      batch,
      reps,
      msPerBatch: ms,
      samplesPerSecond: (batch * 1000) / ms,
    });
    if (flags['profile'] === true) {
      const kernels = await profileStep(step);
      const total = kernels.reduce((sum, k) => sum + k.ms, 0);
      console.log(
        `per kernel, one training step at batch ${batch} on ${backend.name} (${total.toFixed(2)} ms in kernels):\n` +
          kernels
            .slice(0, 12)
            .map((k) => `  ${k.name.padEnd(24)} ${k.ms.toFixed(3).padStart(10)} ms  ${k.calls} calls`)
            .join('\n'),
      );
      console.log(
        JSON.stringify({ backend: backend.name, kind: 'profile', batch, kernelMs: total, kernels }),
      );
    }
    tf.dispose([x, y]);
  }
  const x = tf.randomNormal([samples, 28, 28, 1], 0, 1, 'float32', 3);
  const y = tf.randomUniform([samples], 0, 10, 'int32', 4);
  const forward = async (): Promise<void> => {
    const loss = tf.tidy(() => meanCrossEntropy(net.apply(x) as tf.Tensor, y));
    await loss.data();
    loss.dispose();
  };
  const [ms, reps] = await time(forward, 20, budgetMs);
  record({
    backend: backend.name,
    kind: 'forward',
    batch: samples,
    reps,
    msPerBatch: ms,
    samplesPerSecond: (samples * 1000) / ms,
  });
  if (grid > 0) {
    // The landscape: one forward pass per grid point, each read back before the next (as the
    // experiments read), cut at the budget and extrapolated.
    const points = grid * grid;
    const t0 = performance.now();
    let done = 0;
    while (done < points && (done === 0 || performance.now() - t0 < budgetMs * 3)) {
      await forward();
      done++;
    }
    const each = (performance.now() - t0) / done;
    record({
      backend: backend.name,
      kind: 'landscape',
      batch: samples,
      reps: done,
      msPerBatch: each,
      samplesPerSecond: (samples * 1000) / each,
      points,
      seconds: (each * points) / 1000,
      cut: done < points,
    });
  }
  tf.dispose([x, y]);
  opt.dispose();
  net.dispose();
  return figures;
}

function table(backend: BackendInfo, figures: GpuFigure[]): string {
  const rows = figures.map((f) => {
    const what =
      f.kind === 'landscape'
        ? `landscape ${Math.sqrt(f.points ?? 0)}×${Math.sqrt(f.points ?? 0)}, ${f.batch} samples/point`
        : `${f.kind === 'train' ? 'training step' : 'forward (loss)'}, batch ${f.batch}`;
    const value =
      f.kind === 'landscape'
        ? `${(f.seconds ?? 0).toFixed(2)} s${f.cut ? ` (from ${f.reps} points)` : ''}`
        : `${f.msPerBatch.toFixed(2)} ms, ${Math.round(f.samplesPerSecond).toLocaleString('en-US')} samples/s`;
    return `  ${what.padEnd(44)} ${value}`;
  });
  return [`${describeBackend(backend)}:`, ...rows].join('\n');
}

async function main(): Promise<void> {
  const { flags } = parseFlags(
    process.argv.slice(2).filter((a) => a !== '--'),
    FLAGS,
  );
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  tf.env().set('PROD', true);
  const backend = await selectBackend(
    typeof flags['backend'] === 'string' ? flags['backend'] : undefined,
    process.env,
    { asyncReads: true },
  );
  const figures = await measure(backend, flags);
  console.log(table(backend, figures));
  for (const f of figures) console.log(JSON.stringify({ ...f, adapter: backend.adapter ?? null }));
}

runMain(main, USAGE);
