/**
 * Whether the children a batch runs side by side are isolated from each other. Under bubblewrap each
 * child has its own PID, IPC and network namespaces, so one submission cannot see or signal another.
 * Under Node's layers alone every child runs as the same uid: one submission's `kill(-1, SIGKILL)` or
 * a read of `/proc` reaches the others graded at the same time. (The sandbox layer is to report this
 * itself, from runner/sandbox.ts; until it does, this is the one place that decides it.)
 */
import { bubblewrapProblem, findBubblewrap } from '../../runner/sandbox.js';

export interface ChildIsolation {
  isolated: boolean;
  /** What is missing and what that risks, for the refusal message. */
  risk: string;
}

export function childIsolation(sandbox: 'auto' | 'bwrap' | 'none'): ChildIsolation {
  if (sandbox !== 'none' && findBubblewrap() !== undefined) return { isolated: true, risk: '' };
  const why =
    sandbox === 'none'
      ? '--sandbox none turns bubblewrap off'
      : (bubblewrapProblem() ?? 'bubblewrap is not usable here');
  return {
    isolated: false,
    risk:
      `${why}, so the submissions graded at the same time are not isolated from each other: every child runs ` +
      'as the same uid, and one submission can kill the processes of the others (kill(-1, SIGKILL)) or read their ' +
      '/proc entries, changing their grades',
  };
}
