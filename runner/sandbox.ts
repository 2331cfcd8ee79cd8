/**
 * The operating-system layer around the child, where Debian's bubblewrap is installed: new network,
 * PID, IPC, UTS and mount namespaces (only loopback, no other process visible), a read-only view of
 * /usr, the bundle and node_modules, an empty /tmp, all capabilities dropped, and death with the
 * grading process. When the grader runs as root the child also drops to an unprivileged uid.
 */
import { execFileSync } from 'node:child_process';
import type { SandboxCommand } from './isolated.js';

export const SANDBOX_UID = 65534;

let probed: string | null | undefined;

/** The path of a working `bwrap`, or undefined (checked once by running it). */
export function findBubblewrap(): string | undefined {
  if (probed === undefined) {
    probed = null;
    for (const path of ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap']) {
      try {
        execFileSync(path, ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore', timeout: 5000 });
        probed = path;
        break;
      } catch { /* not there or not usable */ }
    }
  }
  return probed ?? undefined;
}

/** Under root: run the child as an unprivileged uid (setpriv, from util-linux). Otherwise nothing. */
export function privilegeDrop(): string[] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['/usr/bin/setpriv', `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--no-new-privs', '--'] : [];
}

/** Without bubblewrap, still never run a submission as root. */
export const unprivileged: SandboxCommand = () => privilegeDrop();

export function bubblewrap(bwrap: string): SandboxCommand {
  return ({ build, modules, modulesReal }) => [
    ...privilegeDrop(), bwrap,
    '--unshare-all', '--die-with-parent', '--new-session',
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
    '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    '--ro-bind', build, build, '--ro-bind', modulesReal, modules,
    ...(modulesReal === modules ? [] : ['--ro-bind', modulesReal, modulesReal]),
    '--chdir', build, '--cap-drop', 'ALL', '--',
  ];
}
