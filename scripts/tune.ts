/**
 * `npm run tune`: trains the tuning section's choices exactly as the grader retrains tuning.json
 * — the same function (runner/training-probes.ts's measureTuning: 1 epoch of GarmentClassifier on
 * the embedded 10,000 digits split 90/5/5, the grading seed of graders/thresholds.json, the chosen
 * batch size), the same backend (wasm) — with the submission's own optimizer, loaded in this
 * process (the student's own code on their machine). Prints a table, writes a plot, and with
 * `--write` puts the best choice (lowest validation loss) and its measured figures into tuning.json.
 */
import { evaluateParams, tuningLoaders } from '../graders/trained-net.js';
import { join, resolve } from 'node:path';
import { OPTIMIZER_DEFAULTS } from '../contract/index.js';
import { readTuningChoice, TuningChoice, TUNING_FILE } from '../contract/tuning-schema.js';
import { validateOrThrow } from '../contract/validate.js';
import { writeTextAtomic } from '../course/atomic-write.js';
import { describeBackend, selectBackend } from '../course/backend.js';
import { loadMnist } from '../course/data/mnist.js';
import { HarnessError } from '../course/errors.js';
import { loadThresholds } from '../graders/thresholds-schema.js';
import { TUNING_BANDS } from '../graders/training-grader.js';
import { measureTuning } from '../runner/training-probes.js';
import { defineCommand, runCommand } from './cli/command.js';
import type { OptimizerClass } from '../services/notebook/experiment-parts.js';
import {
  checkSubmissionDir,
  defaultSubmissionDir,
  loadSubmissionModule,
} from '../services/notebook/submission-module.js';
import { choicesFrom, describeChoice, GRID_FLAGS, type Choice } from './cli/tune-grid.js';
import { tunePlotSvg, type TunedRow } from '../services/notebook/tune-plot.js';
import { writeJsonAtomic } from '../services/write-json.js';
import { valuesOf } from '../runner/encode.js';

export const command = defineCommand({
  name: 'tune',
  synopsis: 'npm run tune -- [--optimizer NAME] [--lr 0.001,0.002] [--batch-size 32,64] [--write]',
  summary:
    'Trains tuning choices exactly as the grader retrains tuning.json and prints the validation loss and test accuracy of each.',
  flags: {
    submission: {
      type: 'string',
      value: 'DIR',
      description: 'the submission directory (default: reference/ here, submission/ in the starter)',
    },
    ...GRID_FLAGS,
    write: {
      type: 'boolean',
      description: 'put the best choice (lowest validation loss) and its measured figures into tuning.json',
    },
    out: {
      type: 'string',
      value: 'FILE',
      default: 'out/tune.svg',
      description: 'where to write the plot; the table goes beside it as .json',
    },
    backend: {
      type: 'string',
      default: 'wasm',
      description: "the backend to train on; wasm is the grader's process's",
    },
  },
  run: async ({ flags, raw }) => {
    const dir = checkSubmissionDir(
      typeof flags.submission === 'string' ? flags.submission : defaultSubmissionDir(),
      '--submission',
    );
    const read = readTuningChoice(dir);
    const choices = choicesFrom(raw, read.ok ? read.choice : undefined);
    await tune(dir, choices, {
      plotPath: resolve(String(flags.out)),
      backend: String(flags.backend),
      write: flags.write === true,
    });
  },
});

export interface Tuned extends Choice {
  valLoss: number;
  testAccuracy: number;
  seconds: number;
  seed: number;
}

function band(accuracy: number): string {
  const b = TUNING_BANDS.find((t) => accuracy >= t.accuracy);
  return b
    ? `≥ ${b.accuracy * 100} %: ${b.fraction * 100} % of the points`
    : `< ${TUNING_BANDS.at(-1)!.accuracy * 100} %: no points`;
}

function table(rows: readonly Tuned[], best: Tuned | undefined): string {
  const head = ['', 'choice', 'val loss', 'test acc', 'band', 'time'];
  const body = rows.map((r) => [
    r === best ? '★' : '',
    describeChoice(r),
    r.valLoss.toFixed(4),
    `${(r.testAccuracy * 100).toFixed(2)} %`,
    band(r.testAccuracy),
    `${r.seconds.toFixed(1)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  return [head, ...body]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function tune(
  dir: string,
  choices: readonly Choice[],
  { plotPath, backend: backendName, write }: { plotPath: string; backend: string; write: boolean },
): Promise<void> {
  const backend = await selectBackend(backendName);
  const seed = loadThresholds().gradingSeed;
  const data = loadMnist().train;
  const module = await loadSubmissionModule(dir);
  console.error(
    `tune: ${describeBackend(backend)}; ${data.length} embedded digits split 90/5/5 with the grading seed ${seed}; the code of ${dir}`,
  );
  const rows = choices.map((choice, k) => {
    console.error(`[${k + 1}/${choices.length}] ${describeChoice(choice)}`);
    return tuneOne(module, dir, choice, data, seed);
  });
  const finite = rows.filter((r) => Number.isFinite(r.valLoss));
  const best = finite.reduce<Tuned | undefined>(
    (a, r) => (a === undefined || r.valLoss < a.valLoss ? r : a),
    undefined,
  );
  console.log(table(rows, best));
  console.log(
    best
      ? `★ best by validation loss (the test set reports; it does not choose): ${describeChoice(best)}`
      : 'no choice reached a finite validation loss',
  );
  const plotRows: TunedRow[] = rows.map((r) => ({
    label: describeChoice(r),
    valLoss: r.valLoss,
    testAccuracy: r.testAccuracy,
    best: r === best,
  }));
  writeTextAtomic(plotPath, tunePlotSvg(plotRows, TUNING_BANDS));
  writeJsonAtomic(plotPath.replace(/(\.svg)?$/, '.json'), {
    seed,
    backend: backend.name,
    submission: dir,
    rows,
  });
  console.log(`wrote ${plotPath}`);
  if (write) writeBest(dir, best);
}

/** Trains one choice with the submission's optimizer and measures it as the grader measures the returned parameters. */
function tuneOne(
  module: Record<string, unknown>,
  dir: string,
  choice: Choice,
  data: ReturnType<typeof loadMnist>['train'],
  seed: number,
): Tuned {
  const Class = module[choice.optimizer];
  if (typeof Class !== 'function')
    throw new HarnessError(
      'OPTNN_NOT_IMPLEMENTED',
      `The submission in ${dir} does not export ${choice.optimizer}`,
    );
  const names = Object.keys(OPTIMIZER_DEFAULTS[choice.optimizer]);
  const args = names.map((n) => choice.hyperparameters[n]!);
  const started = performance.now();
  const measured = measureTuning(Class as OptimizerClass, args, choice.batchSize, data, seed);
  if (!measured.ok) {
    const why = measured.fault;
    throw new HarnessError(
      /not implemented/.test(why) ? 'OPTNN_NOT_IMPLEMENTED' : 'OPTNN_SCHEMA',
      `Training with ${describeChoice(choice)} failed: ${why}`,
    );
  }
  // The grader's own net, on the split's validation and test sets.
  const { val, test } = tuningLoaders(seed);
  const final = valuesOf(measured.value.final);
  const valLoss = evaluateParams(seed, final, val).loss;
  const testAccuracy = evaluateParams(seed, final, test).accuracy;
  return { ...choice, valLoss, testAccuracy, seed, seconds: (performance.now() - started) / 1000 };
}

/** `--write`: the best choice and its measured claim into the submission's tuning.json. */
function writeBest(dir: string, best: Tuned | undefined): void {
  if (best === undefined)
    throw new HarnessError(
      'OPTNN_SCHEMA',
      `No choice to write: none reached a finite validation loss, so ${TUNING_FILE} is left as it was`,
    );
  const choice = validateOrThrow(
    TuningChoice,
    {
      optimizer: best.optimizer,
      hyperparameters: best.hyperparameters,
      batchSize: best.batchSize,
      claimed: {
        valLoss: Number(best.valLoss.toFixed(4)),
        testAccuracy: Number(best.testAccuracy.toFixed(4)),
      },
    },
    TUNING_FILE,
  );
  writeTextAtomic(join(dir, TUNING_FILE), `${JSON.stringify(choice, null, 2)}\n`);
  console.log(
    `wrote ${join(dir, TUNING_FILE)}: ${describeChoice(best)}, claimed validation loss ${choice.claimed.valLoss}, test accuracy ${choice.claimed.testAccuracy}`,
  );
}

runCommand(command);
