/**
 * The operating-system layer around the child. Where Debian's bubblewrap is installed: new network,
 * PID, IPC, UTS and mount namespaces (only loopback, no other process visible), a read-only view of
 * /usr, the bundle and node_modules, an empty /tmp, all capabilities dropped, and death with the
 * grading process. Without it (the "Node-only" layers), as root: a new PID and mount namespace
 * (util-linux `unshare`), so no child can signal another or the grader, and the uid drop; as an
 * ordinary user: a PID namespace inside a user namespace where the kernel allows one. When the
 * project sits under a directory the dropped uid cannot enter (mode 700, as /root), the bundle goes
 * to a directory it can and node_modules is bound there read-only, inside the child's namespace.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SANDBOX_UID = 65534;

let probed: string | null | undefined;

/** The path of a working `bwrap`, or undefined (checked once by running it). */
export function findBubblewrap(): string | undefined {
  if (probed === undefined) {
    probed = null;
    for (const path of ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap']) {
      try {
        execFileSync(path, ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', 'true'], {
          stdio: 'ignore',
          timeout: 5000,
        });
        probed = path;
        break;
      } catch {
        /* not there or not usable */
      }
    }
  }
  return probed ?? undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Under root: become an unprivileged uid (setpriv, from util-linux); this also drops every capability. */
export function privilegeDrop(): string[] {
  return isRoot()
    ? [
        '/usr/bin/setpriv',
        `--reuid=${SANDBOX_UID}`,
        `--regid=${SANDBOX_UID}`,
        '--clear-groups',
        '--no-new-privs',
        '--',
      ]
    : [];
}

const UNSHARE = '/usr/bin/unshare';
const SH = '/bin/sh';
let namespaces: boolean | undefined;

/** The flags of `unshare` for the child: a PID namespace (and a mount one, for its /proc and binds). */
function unshareFlags(): string[] {
  return [
    ...(isRoot() ? [] : ['--user', '--map-root-user']),
    '--pid',
    '--fork',
    '--kill-child',
    '--mount',
    '--mount-proc',
    '--propagation',
    'private',
  ];
}

/** Whether `unshare` can give the child its own PID namespace here (checked once by running it). */
export function pidNamespaces(): boolean {
  if (namespaces === undefined) {
    try {
      execFileSync(UNSHARE, [...unshareFlags(), SH, '-c', 'test "$$" = 1'], {
        stdio: 'ignore',
        timeout: 5000,
      });
      namespaces = true;
    } catch {
      namespaces = false;
    }
  }
  return namespaces;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Without bubblewrap, still never run a submission as root, and give each child its own PID
 * namespace where `unshare` works: a shell is the namespace's init (so the child is not PID 1,
 * which would ignore its own signals), binds node_modules where the child is told to find it, drops
 * to SANDBOX_UID and runs the child.
 */
/** A command prefix that runs the child in a sandbox, or [] for none. */
export type SandboxCommand = (paths: { build: string; modules: string; modulesReal: string }) => string[];

export const unprivileged: SandboxCommand = ({ modules, modulesReal }) => {
  if (!pidNamespaces()) return privilegeDrop();
  const bind =
    modules !== staging?.modules
      ? ''
      : `mount --rbind ${quote(modulesReal)} ${quote(modules)} && mount -o remount,bind,ro ${quote(modules)} || exit 125\n`;
  const script = `${bind}${privilegeDrop().map(quote).join(' ')} "$@"\nexit $?\n`;
  return [UNSHARE, ...unshareFlags(), SH, '-c', script, 'optnn-init'];
};

let staging: { base: string; modules: string } | null | undefined;

const commands = new WeakMap<SandboxCommand, () => boolean>([[unprivileged, pidNamespaces]]);

/**
 * Whether children started with `sandbox` are isolated from each other (none can signal another or
 * the grading process): bubblewrap, or a PID namespace per child. Batch grading refuses without it
 * unless told `--allow-unsandboxed`.
 */
export function childrenIsolated(sandbox: SandboxCommand | undefined): boolean {
  if (sandbox === undefined) return false;
  return commands.get(sandbox)?.() ?? false;
}

/** Whether every directory above `path` may be entered by a uid that is neither its owner nor in its group. */
function traversableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if ((lstatSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === dirname(dir)) return true;
  }
}

/**
 * Where the child finds the bundle and node_modules. Normally in the project (`undefined`); when the
 * grader is root and the project sits below a directory SANDBOX_UID cannot enter, a directory of
 * its own in the system's temporary directory (mode 755), whose `node_modules` is an empty mount
 * point: the sandbox binds the real one over it, read-only, in the child's namespace only.
 */
export function childStaging(projectRoot: string): { base: string; modules: string } | undefined {
  if (staging === undefined) {
    staging = null;
    const modules = realpathSync(join(projectRoot, 'node_modules'));
    if (
      isRoot() &&
      !(traversableByOthers(join(projectRoot, '.work')) && traversableByOthers(join(modules, 'x')))
    ) {
      const base = mkdtempSync(join(tmpdir(), 'optnn-child-'));
      chmodSync(base, 0o755);
      mkdirSync(join(base, 'node_modules'));
      process.on('exit', () => rmSync(base, { recursive: true, force: true }));
      staging = { base, modules: join(base, 'node_modules') };
    }
  }
  return staging ?? undefined;
}

/**
 * Why a child started with `sandbox` could not read its bundle or node_modules, or undefined when
 * it can: said once, before grading, instead of a grader error on every test.
 */
export function childAccessProblem(
  projectRoot: string,
  sandbox: SandboxCommand | undefined,
): string | undefined {
  if (childStaging(projectRoot) === undefined) return undefined;
  if (sandbox !== undefined && commands.has(sandbox) && (sandbox !== unprivileged || pidNamespaces()))
    return undefined;
  return (
    `the project sits below a directory that uid ${SANDBOX_UID} (which runs the submission) cannot enter ` +
    `(${projectRoot}), and neither bubblewrap nor \`unshare\` (a mount namespace to bind node_modules) works here; ` +
    'clone the project under a directory every user may enter (mode 755, e.g. /srv or /opt), or install bubblewrap'
  );
}

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
  return [...dirs]
    .filter((d) => !['/usr', '/tmp', '/proc', '/dev'].includes(d))
    .sort((a, b) => a.length - b.length)
    .flatMap((d) => ['--perms', '0755', '--dir', d]);
}

export function bubblewrap(bwrap: string): SandboxCommand {
  const root = isRoot();
  const command: SandboxCommand = ({ build, modules, modulesReal }) => [
    bwrap,
    ...(root
      ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try']
      : ['--unshare-all', '--cap-drop', 'ALL']),
    '--die-with-parent',
    '--new-session',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/bin',
    '/bin',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    ...(root ? traversable([build, modules, modulesReal]) : []),
    '--ro-bind',
    build,
    build,
    '--ro-bind',
    modulesReal,
    modules,
    ...(modulesReal === modules ? [] : ['--ro-bind', modulesReal, modulesReal]),
    '--chdir',
    build,
    '--',
    ...privilegeDrop(),
  ];
  commands.set(command, () => true);
  return command;
}
