/**
 * The first child of a single grading, started before the grader has loaded: scripts/grade.ts
 * reads its arguments with the command's own declaration (scripts/cli/grade-flags.ts), builds the
 * submission and starts its child while tfjs, the schemas and the checks load (about a second of
 * start-up saved). Anything unusual (a subcommand, --help, a bad flag, a missing directory, no
 * access for the child) starts nothing: the command then says what is wrong as it always did. The
 * command adopts the executor when it grades the same directory with the same isolation, and
 * closes it otherwise; an executor never adopted is closed when the process exits.
 */
import { IsolatedExecutor, type IsolatedOptions } from '../../runner/isolated-executor.js';
import { PROJECT_ROOT } from '../../runner/build.js';
import { childAccessProblem } from '../../runner/sandbox.js';
import type { FlagValues } from './args.js';
import { SINGLE, existingDir, isolationFor, stringFlag } from './grade-flags.js';

export interface Prestarted {
  executor: IsolatedExecutor;
  /** What the command must ask for to adopt it: the submission directory, backend and sandbox flag. */
  key: string;
}

/**
 * What a single grading of `dir` with `flags` (and the isolation they give) asks of its child; equal
 * keys mean the prestarted executor fits.
 */
export function prestartKey(dir: string, flags: FlagValues, isolation: IsolatedOptions): string {
  return JSON.stringify([
    dir,
    isolation.backend ?? 'wasm',
    stringFlag(flags, 'sandbox') ?? 'auto',
    isolation.limits?.memoryMiB,
  ]);
}

export function prestart(argv: string[]): Prestarted | undefined {
  if (['batch', 'merge', 'regrade-diff'].includes(argv[0] ?? '')) return undefined;
  try {
    const parsed = SINGLE.parse(argv);
    if (parsed === undefined) return undefined;
    const dir = existingDir(parsed.positionals.SUBMISSION_DIR, 'SUBMISSION_DIR');
    const { isolation } = isolationFor(parsed.raw, false);
    if (childAccessProblem(PROJECT_ROOT, isolation.sandbox!) !== undefined) return undefined;
    const executor = new IsolatedExecutor(dir, isolation);
    // Failures surface where the grading awaits the same promise; here they are only started.
    executor.prepare().catch(() => undefined);
    process.on('exit', () => executor.close());
    return {
      executor,
      key: prestartKey(dir, parsed.raw, isolation),
    };
  } catch {
    return undefined;
  }
}
