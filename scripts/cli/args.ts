/**
 * A small flag parser for the scripts: `--name value`, `--name=value` and boolean `--flag`. Every
 * unknown flag or bad value is a HarnessError whose message names the flag, what was expected and
 * what came, and the script prints its usage.
 */
import { HarnessError, describeValue } from '../../course/errors.js';

export interface FlagSpec {
  /** `boolean` flags take no value. */
  type: 'boolean' | 'string' | 'integer';
  description: string;
  /** For integer flags. */
  min?: number;
  choices?: readonly string[];
}

export type FlagValues = Record<string, string | number | boolean | undefined>;

export function parseFlags(
  argv: readonly string[],
  specs: Record<string, FlagSpec>,
): { flags: FlagValues; positional: string[] } {
  const flags: FlagValues = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) {
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Unknown option --${name}; the options are ${Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq >= 0)
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `The option --${name} takes no value, got ${describeValue(arg.slice(eq + 1))}`,
        );
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) {
      throw new HarnessError('OPTNN_BAD_OPTION', `The option --${name} needs a value (${spec.description})`);
    }
    if (spec.type === 'integer') {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < (spec.min ?? -Infinity)) {
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `Expected --${name} to be an integer${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}, got ${describeValue(raw)}`,
        );
      }
      flags[name] = value;
    } else {
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `Expected --${name} to be one of ${spec.choices.join(', ')}, got ${describeValue(raw)}`,
        );
      }
      flags[name] = raw;
    }
  }
  return { flags, positional };
}

export function usage(command: string, summary: string, specs: Record<string, FlagSpec>): string {
  const lines = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : spec.type === 'integer' ? ' N' : ' VALUE';
    return `  --${(name + value).padEnd(18)} ${spec.description}`;
  });
  return `Usage: ${command}\n${summary}\n\nOptions:\n${lines.join('\n')}`;
}
