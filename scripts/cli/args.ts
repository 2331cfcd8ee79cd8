/**
 * A small flag parser for the scripts: `--name value`, `--name=value` and boolean `--flag`. Every
 * unknown flag or bad value is a HarnessError whose message names the flag, what was expected and
 * what came, and the script prints its usage. A spec says all a flag's value may be (type, range,
 * choices, a path that must exist), so no command words those checks by hand; scripts/cli/command.ts
 * adds what concerns the whole command line (required flags, defaults, positionals).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError, describeValue } from '../../course/errors.js';

export interface FlagSpec {
  /** `boolean` flags take no value; `float` is any finite number. */
  type: 'boolean' | 'string' | 'integer' | 'float';
  description: string;
  /** For integer and float flags: the smallest and largest value accepted. */
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** The command refuses to run without it (scripts/cli/command.ts). */
  required?: boolean;
  /** Given more than once, its values are collected in order (an array). */
  repeatable?: boolean;
  /** Its value when not given (scripts/cli/command.ts applies it); shown in the help. */
  default?: string | number;
  /** The value names a path that must exist, and be of this kind. */
  path?: 'directory' | 'file';
  /** What a number counts, in errors: `Expected --min-score to be a number of points ≥ 0`. */
  unit?: string;
  /** The value's name in the help (`--out DIR`): N for numbers and VALUE for strings unless given. */
  value?: string;
}

export type FlagValue = string | number | boolean | string[] | number[] | undefined;
export type FlagValues = Record<string, FlagValue>;

const fail = (message: string): never => {
  throw new HarnessError('OPTNN_BAD_OPTION', message);
};

/** What a numeric flag accepts, in words: `an integer ≥ 1`, `a number in [0, 1]`. */
export function numberExpectation(spec: FlagSpec): string {
  const what =
    spec.unit !== undefined
      ? `${spec.type === 'integer' ? 'a whole number' : 'a number'} of ${spec.unit}`
      : spec.type === 'integer'
        ? 'an integer'
        : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${what} in [${spec.min}, ${spec.max}]`;
  if (spec.min !== undefined) return `${what} ≥ ${spec.min}`;
  if (spec.max !== undefined) return `${what} ≤ ${spec.max}`;
  return what;
}

/** `raw` as a path of the kind `kind`, resolved; `field` names it in the error (`--hidden`, `SUBMISSION_DIR`). */
export function existingPath(raw: string, kind: 'directory' | 'file', field: string): string {
  const path = resolve(raw);
  const found = existsSync(path) ? statSync(path) : undefined;
  if (found === undefined || (kind === 'directory' ? !found.isDirectory() : !found.isFile())) {
    fail(
      `Expected ${field} to be ${kind === 'directory' ? 'a directory' : 'a file'}, got ${describeValue(raw)}, ${found === undefined ? 'which does not exist' : `which is not a ${kind}`} (${path})`,
    );
  }
  return path;
}

/** One flag's value from its text, checked against its spec. */
function valueOf(name: string, spec: FlagSpec, raw: string): string | number {
  if (spec.type === 'integer' || spec.type === 'float') {
    const value = Number(raw);
    const ok =
      raw.trim() !== '' &&
      (spec.type === 'integer' ? Number.isInteger(value) : Number.isFinite(value)) &&
      value >= (spec.min ?? -Infinity) &&
      value <= (spec.max ?? Infinity);
    if (!ok) fail(`Expected --${name} to be ${numberExpectation(spec)}, got ${describeValue(raw)}`);
    return value;
  }
  if (spec.choices && !spec.choices.includes(raw))
    fail(`Expected --${name} to be one of ${spec.choices.join(', ')}, got ${describeValue(raw)}`);
  if (spec.path !== undefined) existingPath(raw, spec.path, `--${name}`);
  return raw;
}

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
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) {
      return fail(
        `Unknown option --${name}; the options are ${Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq >= 0) fail(`The option --${name} takes no value, got ${describeValue(arg.slice(eq + 1))}`);
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--')))
      return fail(`The option --${name} needs a value (${spec.description})`);
    const value = valueOf(name, spec, raw);
    const before = flags[name];
    flags[name] = spec.repeatable
      ? ([...(Array.isArray(before) ? before : []), value] as string[] | number[])
      : value;
  }
  return { flags, positional };
}

/** A flag's line in the help: its value's name, its description, and what the spec adds to it. */
export function flagLine(name: string, spec: FlagSpec): string {
  const numeric = spec.type === 'integer' || spec.type === 'float';
  const value = spec.type === 'boolean' ? '' : ` ${spec.value ?? (numeric ? 'N' : 'VALUE')}`;
  const notes = [
    ...(spec.required ? ['required'] : []),
    ...(spec.default !== undefined ? [`default ${spec.default}`] : []),
    ...(spec.repeatable ? ['may be given more than once'] : []),
  ];
  const extra = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `  --${(name + value).padEnd(18)} ${spec.description}${extra}`;
}

/** The help text; `argumentLines`, when there are any, form an Arguments section before the options. */
export function usage(
  command: string,
  summary: string,
  specs: Record<string, FlagSpec>,
  argumentLines: readonly string[] = [],
): string {
  const lines = Object.entries(specs).map(([name, spec]) => flagLine(name, spec));
  const args = argumentLines.length > 0 ? `\n\nArguments:\n${argumentLines.join('\n')}` : '';
  return `Usage: ${command}\n${summary}${args}\n\nOptions:\n${lines.join('\n')}`;
}
