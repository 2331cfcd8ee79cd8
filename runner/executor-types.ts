/**
 * What an executor is and returns (runner/executor.ts, runner/isolated-executor.ts), and how an
 * answer is taken: validated against the protocol's schema for its request, then decoded
 * (non-finite numbers back from strings); a malformed one is the submission's failure.
 */
import type { Prepared } from './isolated.js';
import { decode, PackedLengthError, responseProblems, type Request } from './protocol.js';

export type ExecOutcome = (
  { ok: true; result: unknown } | { ok: false; status: 'failed' | 'error'; message: string }
) & {
  /** What the submission printed while serving the request (capped; the grading process shows it only for visible tests). */
  printed?: string;
};

export interface Executor {
  /** Builds and loads the submission; a failure here is the submission's (it fails every test). */
  prepare(): Promise<Prepared>;
  /**
   * One request; `group` (default "visible") names which child may serve it: a child serves one
   * group only. `served` is called when a child takes it up (after any wait for a free one).
   */
  run(request: Request, label: string, group?: string, served?: () => void): Promise<ExecOutcome>;
  close(): void;
  /** How many requests it serves at once (default 1: the grading loop then runs one check at a time). */
  readonly lanes?: number;
}

export function checked(kind: Request['kind'], raw: unknown): ExecOutcome {
  const problems = responseProblems(kind, raw);
  if (problems.length > 0)
    return {
      ok: false,
      status: 'failed',
      message: `the submission's process returned a malformed answer: ${problems.slice(0, 3).join('; ')}`,
    };
  try {
    return { ok: true, result: decode(raw) };
  } catch (error) {
    if (!(error instanceof PackedLengthError)) throw error;
    return {
      ok: false,
      status: 'failed',
      message: `the submission's process returned a malformed answer: ${error.message}`,
    };
  }
}
