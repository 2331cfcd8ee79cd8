/**
 * One declaration per command: its name, usage line, summary, positional arguments and flags. The
 * help text, the parsing and every usage error come from it (each error names the flag or argument,
 * what was expected and what came), and `run` gets the values typed from the declaration:
 *
 *   export const command = defineCommand({
 *     name: 'release', synopsis: 'npm run release -- --out DIR', summary: 'Builds the starter.',
 *     flags: { out: { type: 'string', value: 'DIR', required: true, description: '…' } },
 *     run: async ({ flags }) => build(flags.out),   // flags.out: string
 *   });
 *   runCommand(command);
 *
 * scripts/cli/args.ts checks each value; this module checks the command line as a whole.
 */
import { HarnessError, describeValue } from '../../course/errors.js';
import { existingPath, parseFlags, usage, type FlagSpec, type FlagValues } from './args.js';
import { runMain } from './main.js';

export interface PositionalSpec {
  /** Its name in the usage line and in errors: SUBMISSION_DIR. */
  name: string;
  /** A noun phrase: `a directory of submissions`. */
  description: string;
  /** Required unless `false` or given a default. */
  required?: boolean;
  /** Takes every remaining argument (an array); only the last may be. */
  variadic?: boolean;
  choices?: readonly string[];
  path?: 'directory' | 'file';
  /** Its value when not given; a function when it depends on the checkout. Shown in the help. */
  default?: string | (() => string);
  /** How the help names the default (for a function). */
  defaultText?: string;
}

type Scalar<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'integer' | 'float'
    ? number
    : S extends { choices: readonly (infer C)[] }
      ? C
      : string;
/** A flag's value as `run` gets it: booleans are false when absent; required or defaulted flags are never undefined. */
export type FlagResult<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { repeatable: true }
    ? Array<Scalar<S>>
    : S extends { required: true } | { default: string | number }
      ? Scalar<S>
      : Scalar<S> | undefined;
export type TypedFlags<F extends Record<string, FlagSpec>> = { [K in keyof F]: FlagResult<F[K]> };

type PositionalScalar<P extends PositionalSpec> = P extends { choices: readonly (infer C)[] } ? C : string;
type PositionalResult<P extends PositionalSpec> = P extends { variadic: true }
  ? Array<PositionalScalar<P>>
  : P extends { required: false }
    ? P extends { default: string | (() => string) }
      ? PositionalScalar<P>
      : PositionalScalar<P> | undefined
    : PositionalScalar<P>;
export type TypedPositionals<P extends readonly PositionalSpec[]> = {
  [E in P[number] as E['name']]: PositionalResult<E>;
};

export interface Parsed<F extends Record<string, FlagSpec>, P extends readonly PositionalSpec[]> {
  flags: TypedFlags<F>;
  positionals: TypedPositionals<P>;
  /** The flags as parsed, for code that reads them by name (scripts/cli/prestart.ts). */
  raw: FlagValues;
}

export interface CommandSpec<F extends Record<string, FlagSpec>, P extends readonly PositionalSpec[]> {
  /** The word the user types (`tune`, `batch`), in errors: `batch needs --out DIR`. */
  name: string;
  /** The usage line: `npm run grade -- batch SUBMISSIONS_DIR --out OUT [options]`. */
  synopsis: string;
  summary: string;
  positionals?: P;
  /** Every flag but --help, which every command has. */
  flags: F;
  run?: (args: Parsed<F, P>) => Promise<void>;
}

export interface Command<
  F extends Record<string, FlagSpec>,
  P extends readonly PositionalSpec[],
> extends CommandSpec<F, P> {
  /** The help text. */
  usage: string;
  /** The arguments checked against the declaration; undefined for --help. */
  parse(argv: readonly string[]): Parsed<F, P> | undefined;
  /** Prints the help for --help, else parses and runs. */
  main(argv: readonly string[]): Promise<void>;
}

const HELP: FlagSpec = { type: 'boolean', description: 'print this help' };
const fail = (message: string): never => {
  throw new HarnessError('OPTNN_BAD_OPTION', message);
};

function positionalLine(p: PositionalSpec): string {
  const fallback = p.defaultText ?? (typeof p.default === 'string' ? p.default : undefined);
  const notes = [
    ...(p.choices ? [`one of ${p.choices.join(', ')}`] : []),
    ...(fallback !== undefined ? [`default ${fallback}`] : p.required === false ? ['optional'] : []),
  ];
  return `  ${(p.variadic ? `${p.name}...` : p.name).padEnd(20)} ${p.description}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** The help: usage line, summary, the arguments (if any) and every flag. */
export function helpText(spec: {
  synopsis: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  positionals?: readonly PositionalSpec[];
}): string {
  const positionals = (spec.positionals ?? []).map(positionalLine);
  return usage(spec.synopsis, spec.summary, { ...spec.flags, help: HELP }, positionals);
}

const isRequired = (p: PositionalSpec): boolean => p.required !== false && p.default === undefined;

/** The positional arguments by name, checked: count, choices, paths; defaults filled in. */
export function readPositionals(
  name: string,
  specs: readonly PositionalSpec[],
  given: readonly string[],
): Record<string, string | string[] | undefined> {
  const variadic = specs.at(-1)?.variadic === true;
  if (!variadic && given.length > specs.length) {
    if (specs.length === 0)
      fail(`Expected only options (${name} takes no arguments), got ${describeValue(given.join(' '))}`);
    fail(
      `Expected at most ${specs.length} argument${specs.length === 1 ? '' : 's'} (${specs.map((p) => p.name).join(' ')}), got ${given.length}: ${given.join(' ')}`,
    );
  }
  const values: Record<string, string | string[] | undefined> = {};
  specs.forEach((p, i) => {
    const taken = p.variadic ? given.slice(i) : given.slice(i, i + 1);
    if (taken.length === 0 && isRequired(p))
      fail(`${name} needs ${p.name}: expected ${p.description}, got nothing`);
    for (const raw of taken) {
      if (p.choices && !p.choices.includes(raw))
        fail(`Expected ${p.name} to be one of ${p.choices.join(', ')}, got ${describeValue(raw)}`);
      if (p.path !== undefined) existingPath(raw, p.path, p.name);
    }
    const fallback = typeof p.default === 'function' ? p.default() : p.default;
    values[p.name] = p.variadic ? taken : (taken[0] ?? fallback);
  });
  return values;
}

/** The flags checked as a whole (required ones given) with defaults filled in and booleans false when absent. */
export function completeFlags(name: string, specs: Record<string, FlagSpec>, flags: FlagValues): FlagValues {
  const out: FlagValues = { ...flags };
  for (const [flag, spec] of Object.entries(specs)) {
    if (out[flag] !== undefined) continue;
    if (spec.required)
      fail(
        `${name} needs --${flag} ${spec.value ?? 'VALUE'}: expected --${flag} to be given (${spec.description}), got nothing`,
      );
    out[flag] =
      spec.type === 'boolean'
        ? false
        : spec.repeatable
          ? []
          : spec.default !== undefined
            ? spec.default
            : undefined;
  }
  return out;
}

export function defineCommand<
  const F extends Record<string, FlagSpec>,
  const P extends readonly PositionalSpec[] = [],
>(spec: CommandSpec<F, P>): Command<F, P> {
  const all: Record<string, FlagSpec> = { ...spec.flags, help: HELP };
  const command: Command<F, P> = {
    ...spec,
    usage: helpText(spec),
    parse(argv) {
      const { flags, positional } = parseFlags(argv, all);
      if (flags['help'] === true) return undefined;
      const positionals = readPositionals(spec.name, spec.positionals ?? [], positional);
      const { help: _help, ...complete } = completeFlags(spec.name, all, flags);
      return {
        flags: complete as TypedFlags<F>,
        positionals: positionals as TypedPositionals<P>,
        raw: flags,
      };
    },
    async main(argv) {
      const parsed = command.parse(argv);
      if (parsed === undefined) {
        console.log(command.usage);
        return;
      }
      if (spec.run === undefined) throw new Error(`The command ${spec.name} has no run function`);
      await spec.run(parsed);
    },
  };
  return command;
}

/** Runs `command` on the process's arguments: exit 2 with its help on a usage error (scripts/cli/main.ts). */
export function runCommand<F extends Record<string, FlagSpec>, P extends readonly PositionalSpec[]>(
  command: Command<F, P>,
  argv: readonly string[] = process.argv.slice(2),
): void {
  runMain(() => command.main(argv), command.usage);
}
