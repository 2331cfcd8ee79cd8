/**
 * `npx tsx tools/gpu-training.ts -- [--backend NAME] [--optimizer NAME] [--steps N]`: the
 * short training check of the grading (one epoch of the GarmentClassifier on the notebook's 3,200
 * samples in batches of 64, the reference optimizer with the notebook's arguments) run by the
 * harness itself with a loop that reads asynchronously, so it runs on webgpu too. Prints the time,
 * samples/s and the final loss against graders/thresholds.json; exits 1 when it is not below.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, describeBackend, selectBackend } from '../course/backend.js';
import { loadMnist } from '../course/data/mnist.js';
import { HarnessError } from '../course/errors.js';
import { evaluateAsync, trainAsync } from '../course/webgpu-train.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../contract/index.js';
import { loadThresholds } from '../graders/thresholds-schema.js';
import * as reference from '../reference/index.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  backend: {
    type: 'string',
    choices: ['auto', ...BACKEND_NAMES],
    description: 'auto (default), or one of ' + BACKEND_NAMES.join(', '),
  },
  optimizer: {
    type: 'string',
    choices: OPTIMIZER_NAMES,
    description: 'the reference optimizer (default Adam)',
  },
  steps: { type: 'integer', min: 1, description: 'stop after this many steps (default: the epoch, 50)' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npx tsx tools/gpu-training.ts -- [options]',
  "One epoch of the grading's short training, run by the harness with asynchronous reads, timed, against its threshold.",
  FLAGS,
);

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(
    process.argv.slice(2).filter((a) => a !== '--'),
    FLAGS,
  );
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  if (positional.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Unexpected argument ${positional.join(' ')}; this command takes only options`,
    );
  tf.env().set('PROD', true);
  const backend = await selectBackend(
    typeof flags['backend'] === 'string' ? flags['backend'] : undefined,
    process.env,
    { asyncReads: true },
  );
  console.error(`gpu-training: ${describeBackend(backend)}`);
  const name = (typeof flags['optimizer'] === 'string' ? flags['optimizer'] : 'Adam') as OptimizerName;
  const thresholds = loadThresholds();
  const entry = thresholds.optimizers[name];
  if (entry === undefined)
    throw new HarnessError('OPTNN_FIXTURE', `graders/thresholds.json has no entry for ${name}`);
  const seed = thresholds.gradingSeed;
  const { dataLoader } = reference.makeLoaders(loadMnist({ source: 'embedded' }).train, { seed });
  const net = reference.getGarmentClassifier({ seed });
  const Optimizer = reference[name] as unknown as new (...args: number[]) => tf.Optimizer;
  const optimizer = new Optimizer(...entry.args);
  const steps = typeof flags['steps'] === 'number' ? flags['steps'] : undefined;
  // The grader's bar: the untrained loss, down by its share of the reference's drop with this seed.
  const at = entry.calibration.seeds.indexOf(seed);
  if (at < 0)
    throw new HarnessError('OPTNN_FIXTURE', `graders/thresholds.json has no calibration for seed ${seed}`);
  const untrained = await evaluateAsync(net, dataLoader);
  const bar = untrained - thresholds.dropShare * entry.calibration.drops[at]!;
  const started = performance.now();
  const losses = await trainAsync(net, optimizer, dataLoader, {
    epochs: entry.epochs,
    ...(steps ? { maxSteps: steps } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const finalLoss = await evaluateAsync(net, dataLoader);
  const passed = Number.isFinite(finalLoss) && finalLoss < bar;
  const samples = losses.length * 64;
  console.log(
    `${name}(${entry.args.join(', ')}), ${losses.length} steps of 64, seed ${seed}, ${describeBackend(backend)}`,
  );
  console.log(
    `  ${seconds.toFixed(1)} s, ${Math.round(samples / seconds)} samples/s; final loss over the 3,200 samples ` +
      `${finalLoss.toFixed(4)} ${passed ? '<' : '>='} the bar ${bar.toFixed(4)} (untrained ${untrained.toFixed(4)})${steps ? ' (a shortened epoch)' : ''}`,
  );
  console.log(
    JSON.stringify({
      backend: backend.name,
      adapter: backend.adapter ?? null,
      optimizer: name,
      steps: losses.length,
      seconds,
      samplesPerSecond: samples / seconds,
      finalLoss,
      threshold: bar,
      passed,
    }),
  );
  optimizer.dispose();
  net.dispose();
  if (!passed && steps === undefined) process.exitCode = 1;
}

runMain(main, USAGE);
