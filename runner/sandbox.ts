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

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Under root: become an unprivileged uid (setpriv, from util-linux); this also drops every capability. */
export function privilegeDrop(): string[] {
  return isRoot() ? ['/usr/bin/setpriv', `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--no-new-privs', '--'] : [];
}

/** Without bubblewrap, still never run a submission as root. */
export const unprivileged: SandboxCommand = () => privilegeDrop();

/**
 * bubblewrap around the child. Under root, bwrap sets up the mounts as root (so the project may sit
 * in a directory only root can enter) and the child drops to SANDBOX_UID inside it; otherwise bwrap
 * runs unprivileged in a user namespace and drops every capability itself.
 */
/** `--perms 0755 --dir` for every ancestor of the mount points, so the dropped uid can walk to them. */
function traversable(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs].filter((d) => !['/usr', '/tmp', '/proc', '/dev'].includes(d)).sort((a, b) => a.length - b.length)
    .flatMap((d) => ['--perms', '0755', '--dir', d]);
}

export function bubblewrap(bwrap: string): SandboxCommand {
  const root = isRoot();
  return ({ build, modules, modulesReal }) => [
    bwrap,
    ...(root ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try'] : ['--unshare-all', '--cap-drop', 'ALL']),
    '--die-with-parent', '--new-session',
    '--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
    '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    ...(root ? traversable([build, modules, modulesReal]) : []),
    '--ro-bind', build, build, '--ro-bind', modulesReal, modules,
    ...(modulesReal === modules ? [] : ['--ro-bind', modulesReal, modulesReal]),
    '--chdir', build, '--',
    ...privilegeDrop(),
  ];
}
