/**
 * The choices `npm run tune` trains: an optimizer of the tuning section and comma-separated
 * values per hyperparameter and batch size, every combination of them (a grid). Hyperparameters
 * that are not given take tuning.json's value when it names the same optimizer, else the
 * notebook's default.
 */
import { OPTIMIZER_DEFAULTS, TUNABLE_OPTIMIZERS, type TunableOptimizer } from '../../contract/index.js';
import type { TuningChoice } from '../../contract/tuning-schema.js';
import { HarnessError, describeValue } from '../../course/errors.js';
import type { FlagSpec, FlagValues } from './args.js';

export interface Choice {
  optimizer: TunableOptimizer;
  hyperparameters: Record<string, number>;
  batchSize: number;
}

/** Flag name of each hyperparameter: lr, momentum, decay, eps, grad-decay, squared-grad-decay. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const HYPERPARAMETERS = [...new Set(Object.values(OPTIMIZER_DEFAULTS).flatMap((d) => Object.keys(d)))];

export const GRID_FLAGS: Record<string, FlagSpec> = {
  optimizer: {
    type: 'string',
    choices: TUNABLE_OPTIMIZERS,
    description: `one of ${TUNABLE_OPTIMIZERS.join(', ')} (default: tuning.json's)`,
  },
  ...Object.fromEntries(
    HYPERPARAMETERS.map((h) => [
      kebab(h),
      { type: 'string' as const, description: `${h}: one value or a comma-separated list` },
    ]),
  ),
  'batch-size': {
    type: 'string',
    description: "one batch size or a comma-separated list (default: tuning.json's, else 64)",
  },
};

function list(flag: string, raw: string, integer: boolean): number[] {
  const values = raw.split(',').map((s) => s.trim());
  return values.map((text) => {
    const value = Number(text);
    const ok =
      text !== '' &&
      Number.isFinite(value) &&
      value >= 0 &&
      (!integer || (Number.isInteger(value) && value >= 1 && value <= 4096));
    if (!ok) {
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Expected --${flag} to be ${integer ? 'integers in [1, 4096]' : 'non-negative numbers'}, separated by commas, got ${describeValue(text)} in ${describeValue(raw)}`,
      );
    }
    return value;
  });
}

/** Every combination of the given values, in the order given (the last flag varies fastest). */
function product(axes: Array<[string, number[]]>): Array<Record<string, number>> {
  return axes.reduce<Array<Record<string, number>>>(
    (acc, [name, values]) => acc.flatMap((row) => values.map((v) => ({ ...row, [name]: v }))),
    [{}],
  );
}

export function choicesFrom(flags: FlagValues, current: TuningChoice | undefined): Choice[] {
  const optimizer = (typeof flags['optimizer'] === 'string' ? flags['optimizer'] : current?.optimizer) as
    TunableOptimizer | undefined;
  if (optimizer === undefined) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `tune needs --optimizer while tuning.json holds no choice yet: expected one of ${TUNABLE_OPTIMIZERS.join(', ')}, got nothing`,
    );
  }
  const defaults = OPTIMIZER_DEFAULTS[optimizer] as Record<string, number>;
  const names = Object.keys(defaults);
  const foreign = HYPERPARAMETERS.filter((h) => !names.includes(h) && typeof flags[kebab(h)] === 'string');
  if (foreign.length > 0) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `${optimizer} has no hyperparameter ${foreign.map((h) => `--${kebab(h)}`).join(', ')}; it has ${names.map((n) => `--${kebab(n)}`).join(', ')}`,
    );
  }
  const inherited = current?.optimizer === optimizer ? current.hyperparameters : {};
  const axes: Array<[string, number[]]> = names.map((h) => {
    const raw = flags[kebab(h)];
    return [h, typeof raw === 'string' ? list(kebab(h), raw, false) : [inherited[h] ?? defaults[h]!]];
  });
  const batch = flags['batch-size'];
  const batchSizes = typeof batch === 'string' ? list('batch-size', batch, true) : [current?.batchSize ?? 64];
  const grid = product([...axes, ['batchSize', batchSizes]]);
  if (grid.length > 64)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the grid to have at most 64 choices (each takes a few seconds), got ${grid.length}`,
    );
  return grid.map((row) => {
    const { batchSize, ...hyperparameters } = row;
    return { optimizer, hyperparameters, batchSize: batchSize! };
  });
}

/** `Adam(lr 0.002, gradDecay 0.9, …), batch 64` */
export function describeChoice(c: Choice): string {
  return `${c.optimizer}(${Object.entries(c.hyperparameters)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}), batch ${c.batchSize}`;
}
