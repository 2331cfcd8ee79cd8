/**
 * `npm run calibrate`: trains the reference with each optimizer's notebook settings for one epoch
 * over several seeds, measures as the grader does (graders/trained-net.ts: the untrained and the
 * trained net's loss on the first samples of the subset) and writes graders/thresholds.json. The
 * grader draws its training seed from these seeds and asks for half the reference's drop with that
 * seed, so a correct submission always passes and an optimizer that does not train (drop 0) fails.
 */
import * as tf from '@tensorflow/tfjs';
import { OPTIMIZER_NAMES, type OptimizerName } from '../contract/index.js';
import { validateOrThrow } from '../contract/validate.js';
import { describeBackend, selectBackend } from '../course/backend.js';
import { createProgress } from '../course/progress.js';
import { Thresholds, THRESHOLDS_PATH, type ThresholdEntry } from '../graders/thresholds-schema.js';
import { evaluateParams, gradingData, MEASURED_SAMPLES, measuredSubset } from '../graders/trained-net.js';
import * as reference from '../reference/index.js';
import { probeTraining } from '../runner/training-probes.js';
import { defineCommand, runCommand } from './cli/command.js';
import { writeTextAtomic } from '../services/write-json.js';
import { valuesOf } from '../runner/encode.js';

/** The notebook's settings for each optimizer on the GarmentClassifier. */
const NOTEBOOK_ARGS: Record<OptimizerName, number[]> = {
  GD: [0.02],
  SGDwM: [0.02],
  NAGD: [0.02],
  SGDwMLD: [0.02, 0.9, 0.01],
  AdaGrad: [],
  RMSProp: [],
  Adam: [0.002],
};

export const command = defineCommand({
  name: 'calibrate',
  synopsis: 'npm run calibrate -- [options]',
  summary: 'Calibrates the training thresholds from the reference over several seeds.',
  flags: {
    seeds: { type: 'integer', min: 2, default: 8, description: 'how many seeds (1..N) to calibrate over' },
    backend: { type: 'string', description: 'backend to calibrate on (default: auto)' },
  },
  run: async ({ flags }) => calibrate(flags.seeds, flags.backend),
});
const RULE =
  "the training seed is drawn per grading from the calibration seeds; the trained loss must be at most untrained - dropShare * (the reference's drop at that seed)";
const DROP_SHARE = 0.5;
const round = (v: number): number => Number(v.toFixed(5));

async function calibrate(seedCount: number, backendName: string | undefined): Promise<void> {
  tf.env().set('PROD', true);
  const backend = await selectBackend(backendName);
  console.error(`calibrate: ${describeBackend(backend)}`);
  const started = performance.now();
  const data = gradingData();
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const bar = createProgress({ total: seeds.length * OPTIMIZER_NAMES.length, label: 'calibrate' });
  const optimizers = {} as Record<OptimizerName, ThresholdEntry>;
  let done = 0;
  const gradingSeed = 1;
  const untrained = seeds.map((seed) => round(evaluateParams(seed, undefined, measuredSubset()).loss));
  for (const name of OPTIMIZER_NAMES) {
    let referenceLosses: number[] = [];
    const losses = seeds.map((seed) => {
      const probe = probeTraining(reference, name, NOTEBOOK_ARGS[name], data, seed);
      if (!probe.ok)
        throw new Error(`The reference ${name} failed to train with seed ${seed}: ${probe.fault}`);
      bar.update(++done, name);
      if (seed === gradingSeed) referenceLosses = probe.value.losses.map(round);
      return round(evaluateParams(seed, valuesOf(probe.value.final), measuredSubset()).loss);
    });
    const drops = losses.map((l, i) => round(untrained[i]! - l));
    const mean = drops.reduce((a, b) => a + b, 0) / drops.length;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / (drops.length - 1));
    const min = Math.min(...drops);
    const max = Math.max(...drops);
    optimizers[name] = {
      args: NOTEBOOK_ARGS[name],
      epochs: 1,
      referenceLosses,
      calibration: {
        seeds,
        untrained,
        losses,
        drops,
        mean: round(mean),
        std: round(std),
        min,
        max,
        backend: backend.name,
      },
    };
  }
  bar.finish();
  const thresholds = validateOrThrow(
    Thresholds,
    {
      schemaVersion: 1,
      gradingSeed,
      dropShare: DROP_SHARE,
      measuredSamples: MEASURED_SAMPLES,
      rule: RULE,
      optimizers,
    },
    'the thresholds',
  );
  writeTextAtomic(THRESHOLDS_PATH, `${JSON.stringify(thresholds, null, 2)}\n`);
  for (const name of OPTIMIZER_NAMES) {
    const e = optimizers[name];
    console.log(
      `${name.padEnd(8)} drops ${e.calibration.mean.toFixed(4)} ± ${e.calibration.std.toFixed(4)}  range [${e.calibration.min}, ${e.calibration.max}]`,
    );
  }
  console.log(`wrote ${THRESHOLDS_PATH} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

runCommand(command);
