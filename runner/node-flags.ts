/**
 * The child's Node executable and the flags that differ between Node versions, read from the Node
 * that runs the grader (the child runs the same binary), never guessed from a version string:
 *   - the permission model is `--experimental-permission` on Node 20, `--permission` from 22.13 and
 *     23.5 (22 accepts both), and Node 24 rejects the old name ("bad option");
 *   - from Node 25 the permission model also covers the network, and a socket over the pipe the
 *     grader hands the child (its channel, fd 3) counts as network ("Use --allow-net"): the child
 *     gets `--allow-net` where the flag exists, which is no more than Node 20 to 24 allow (they
 *     have no network permission at all); bubblewrap's network namespace is the network layer;
 * measured with 20.20, 22.23, 24.22 and 26.12 (test/runner/node-versions.test.ts grades with each).
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { HarnessError } from '../course/errors.js';

/** The flags this Node accepts (Node lists every flag it allows in NODE_OPTIONS, the permission flags among them). */
type FlagSet = Pick<ReadonlySet<string>, 'has'>;

/** The flag that turns the permission model on, for the Node whose flags are `flags` (default: this one). */
export function permissionFlag(flags: FlagSet = process.allowedNodeEnvironmentFlags): string {
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  throw new HarnessError(
    'OPTNN_SANDBOX',
    `this Node (${process.version}) has no permission model (neither --permission nor --experimental-permission); use Node 20 or later`,
  );
}

/** The flags for the child's channel (fd 3, a socket over a pipe) under this Node's permission model. */
export function channelFlags(flags: FlagSet = process.allowedNodeEnvironmentFlags): string[] {
  return flags.has('--allow-net') ? ['--allow-net'] : [];
}

let executable: string | undefined;

/** Where `name` is on PATH (the first executable file of that name), or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * The real path of the Node binary the child runs: the grader's own (`process.execPath`), symlinks
 * resolved (nvm, fnm, volta and Homebrew link it from elsewhere), so the sandbox can make that very
 * file visible inside it. Without /proc, Node cannot read its own path (execPath is then the bare
 * name it was started by): PATH says where that name is.
 */
export function childNode(): string {
  if (executable !== undefined) return executable;
  const named = isAbsolute(process.execPath) ? process.execPath : onPath(process.execPath);
  try {
    if (named === undefined) throw new Error(`${process.execPath} is not on PATH`);
    return (executable = realpathSync(named));
  } catch (error) {
    throw new HarnessError(
      'OPTNN_SANDBOX',
      `cannot find the Node binary that runs the grader (${process.execPath}), which the submission's process runs too: ${(error as Error).message}; run the grader with Node's full path`,
    );
  }
}
