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
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { childNode } from './node-flags.js';

export const SANDBOX_UID = 65534;

/**
 * What the start-up probe found of bubblewrap: working (`ok`), absent, or installed but refused by
 * the kernel or a security module (Ubuntu 23.10+'s AppArmor rule on unprivileged user namespaces,
 * GitHub's ubuntu-24.04 runners, a container without them), with bwrap's own words and the fix.
 */
export type BubblewrapProbe =
  | { state: 'ok'; path: string }
  | { state: 'missing' }
  | { state: 'refused'; path: string; reason: string; fix: string };

let probed: BubblewrapProbe | undefined;

/** Where bwrap may be: the directories of PATH first (a user's own build, Homebrew), then the system's. */
function bubblewrapCandidates(): string[] {
  const dirs = (process.env['PATH'] ?? '').split(':').filter((d) => d.startsWith('/'));
  const paths = [
    ...dirs.map((d) => join(d, 'bwrap')),
    '/usr/bin/bwrap',
    '/bin/bwrap',
    '/usr/local/bin/bwrap',
  ];
  return [...new Set(paths)].filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** A one-line kernel setting read from /proc/sys, or undefined. */
function sysctl(name: string): string | undefined {
  try {
    return readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The one-line fix for a refused bwrap, from the kernel settings that refuse it. */
function refusalFix(): string {
  if (sysctl('kernel.apparmor_restrict_unprivileged_userns') === '1')
    return 'run `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (AppArmor restricts unprivileged user namespaces; on GitHub Actions as a step before grading), or run the grader as root';
  if (sysctl('kernel.unprivileged_userns_clone') === '0')
    return 'run `sudo sysctl -w kernel.unprivileged_userns_clone=1`, or run the grader as root';
  if (sysctl('user.max_user_namespaces') === '0')
    return 'run `sudo sysctl -w user.max_user_namespaces=15000`, or run the grader as root';
  return 'run the grader where bubblewrap may create namespaces (as root, or in a container started with --privileged or with user namespaces allowed)';
}

/**
 * Tries bubblewrap once (a trivial start with the namespaces a grading uses) and remembers what it
 * found: the first bwrap that works, else why the first one installed was refused.
 */
export function probeBubblewrap(): BubblewrapProbe {
  if (probed !== undefined) return probed;
  let refused: BubblewrapProbe | undefined;
  for (const path of bubblewrapCandidates()) {
    const run = spawnSync(path, [...namespaceFlags(), '--die-with-parent', '--ro-bind', '/', '/', 'true'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (run.status === 0) return (probed = { state: 'ok', path });
    const said = (run.stderr ?? '').trim().split('\n').at(-1) ?? '';
    const reason =
      said !== ''
        ? said
        : run.error !== undefined
          ? run.error.message
          : `it exited with ${run.signal ?? `code ${run.status}`} and said nothing`;
    refused ??= { state: 'refused', path, reason, fix: refusalFix() };
  }
  return (probed = refused ?? { state: 'missing' });
}

/** The path of a working `bwrap`, or undefined (checked once by running it). */
export function findBubblewrap(): string | undefined {
  const probe = probeBubblewrap();
  return probe.state === 'ok' ? probe.path : undefined;
}

/** One line that says why bubblewrap is not in use, and the fix; undefined when it works. */
export function bubblewrapProblem(): string | undefined {
  const probe = probeBubblewrap();
  if (probe.state === 'ok') return undefined;
  if (probe.state === 'missing')
    return 'bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)';
  return `bubblewrap (${probe.path}) is installed but refused here: ${probe.reason}; fix: ${probe.fix}`;
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

/** The paths the child needs, as the child sees them (`build`, `modules`, `node`) and where they really are. */
export interface ChildPaths {
  build: string;
  modules: string;
  modulesReal: string;
  /** The Node binary the child runs, at the path it is run by (staged or real). */
  node: string;
  nodeReal: string;
}

/** A command prefix that runs the child in a sandbox, or [] for none. */
export type SandboxCommand = (paths: ChildPaths) => string[];

/** A bind of `real` over the empty mount point `staged` in the child's mount namespace, read-only. */
const bindLine = (real: string, staged: string): string =>
  `mount --rbind ${quote(real)} ${quote(staged)} && mount -o remount,bind,ro ${quote(staged)} || exit 125\n`;

/**
 * Without bubblewrap, still never run a submission as root, and give each child its own PID
 * namespace where `unshare` works: a shell is the namespace's init (so the child is not PID 1,
 * which would ignore its own signals), binds node_modules and the Node binary where the child is
 * told to find them (when staged), drops to SANDBOX_UID and runs the child.
 */
export const unprivileged: SandboxCommand = ({ modules, modulesReal, node, nodeReal }) => {
  if (!pidNamespaces()) return privilegeDrop();
  const binds =
    (modules === staging?.modules ? bindLine(modulesReal, modules) : '') +
    (node === staging?.node && node !== nodeReal ? bindLine(nodeReal, node) : '');
  const script = `${binds}${privilegeDrop().map(quote).join(' ')} "$@"\nexit $?\n`;
  return [UNSHARE, ...unshareFlags(), SH, '-c', script, 'optnn-init'];
};

interface Staging {
  base: string;
  modules: string;
  node: string;
}
let staging: Staging | null | undefined;

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
 * Where the child finds the bundle, node_modules and the Node binary. Normally where they are
 * (`undefined`); when the grader is root and the project or Node (nvm's ~/.nvm, a mode-700 home)
 * sits below a directory SANDBOX_UID cannot enter, a directory of its own in the system's temporary
 * directory (mode 755), whose `node_modules` and `node` are empty mount points: the sandbox binds
 * the real ones over them, read-only, in the child's namespace only.
 */
export function childStaging(projectRoot: string, node: string = childNode()): Staging | undefined {
  if (staging === undefined) {
    staging = null;
    const modules = realpathSync(join(projectRoot, 'node_modules'));
    if (
      isRoot() &&
      !(
        traversableByOthers(join(projectRoot, '.work')) &&
        traversableByOthers(join(modules, 'x')) &&
        traversableByOthers(node)
      )
    ) {
      const base = mkdtempSync(join(tmpdir(), 'optnn-child-'));
      chmodSync(base, 0o755);
      mkdirSync(join(base, 'node_modules'));
      writeFileSync(join(base, 'node'), '', { mode: 0o755 });
      process.on('exit', () => rmSync(base, { recursive: true, force: true }));
      staging = { base, modules: join(base, 'node_modules'), node: join(base, 'node') };
    }
  }
  return staging ?? undefined;
}

/** The paths of a child of the project at `projectRoot` whose bundle is in `build`. */
export function childPaths(projectRoot: string, build: string): ChildPaths {
  // node_modules may be a symlink (pnpm, a shared install): Node reads through its real path.
  const modulesReal = realpathSync(join(projectRoot, 'node_modules'));
  const nodeReal = childNode();
  const staged = childStaging(projectRoot, nodeReal);
  return {
    build,
    modules: staged?.modules ?? join(projectRoot, 'node_modules'),
    modulesReal,
    node: staged?.node ?? nodeReal,
    nodeReal,
  };
}

/**
 * Why a child started with `sandbox` could not read its bundle, node_modules or Node, or undefined
 * when it can: said once, before grading, instead of a grader error on every test.
 */
export function childAccessProblem(
  projectRoot: string,
  sandbox: SandboxCommand | undefined,
): string | undefined {
  if (childStaging(projectRoot) === undefined) return undefined;
  if (sandbox !== undefined && commands.has(sandbox) && (sandbox !== unprivileged || pidNamespaces()))
    return undefined;
  return (
    `the project (${projectRoot}) or Node (${childNode()}) sits below a directory that uid ${SANDBOX_UID} ` +
    '(which runs the submission) cannot enter, and neither bubblewrap nor `unshare` (a mount namespace to bind them) ' +
    'works here; clone the project and install Node under directories every user may enter (mode 755, e.g. /srv or /opt), ' +
    'or install bubblewrap'
  );
}

/** `--perms 0755 --dir` for every ancestor of the mount points, so the dropped uid can walk to them. */
function traversable(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs]
    .filter((d) => !SYSTEM_DIRS.includes(d))
    .sort((a, b) => a.length - b.length)
    .flatMap((d) => ['--perms', '0755', '--dir', d]);
}

/** Directories the sandbox provides itself: /usr and its mirrors, /proc, /dev and an empty /tmp. */
const SYSTEM_DIRS = ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/sbin', '/tmp', '/proc', '/dev'];
const underSystem = (path: string): boolean =>
  ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/sbin'].some((d) => path === d || path.startsWith(`${d}/`));

/** /lib, /lib64 and /bin as the host has them: symlinks into /usr (merged /usr), or read-only binds. */
function systemMirrors(): string[] {
  return ['lib', 'lib64', 'bin'].flatMap((name) => {
    try {
      const stat = lstatSync(`/${name}`);
      if (stat.isSymbolicLink()) return ['--symlink', readlinkSync(`/${name}`), `/${name}`];
      return stat.isDirectory() ? ['--ro-bind', `/${name}`, `/${name}`] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The shared libraries the Node binary loads that live outside /usr (Homebrew on Linux, a Node
 * built with its own libraries), as the loader names them: `ldd`'s reading, where there is one.
 */
export function nodeLibraries(node: string): string[] {
  let found = libraries.get(node);
  if (found === undefined) libraries.set(node, (found = readLibraries(node)));
  return found;
}

/** nodeLibraries per binary: read once (ldd runs the loader), not at every child's start. */
const libraries = new Map<string, string[]>();

function readLibraries(node: string): string[] {
  let listing: string;
  try {
    listing = execFileSync('ldd', [node], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return [];
  }
  const paths = [...listing.matchAll(/(?:=> |^\s*)(\/\S+) \(0x/gm)].map((m) => m[1]!);
  return [...new Set(paths)].filter((p) => !underSystem(p));
}

/**
 * bubblewrap around the child. Under root, bwrap sets up the mounts as root (so the project and
 * Node may sit in a directory only root can enter) and the child drops to SANDBOX_UID inside it;
 * otherwise bwrap runs unprivileged in a user namespace and drops every capability itself. The Node
 * binary (nvm's, setup-node's under /opt/hostedtoolcache, anywhere) and the libraries it loads from
 * outside /usr are bound read-only where the child runs them.
 */
export function bubblewrap(bwrap: string): SandboxCommand {
  const root = isRoot();
  const command: SandboxCommand = ({ build, modules, modulesReal, node, nodeReal }) => {
    const libraries = nodeLibraries(nodeReal);
    const binds: [string, string][] = [
      [build, build],
      [modulesReal, modules],
      ...(modulesReal === modules ? [] : ([[modulesReal, modulesReal]] as [string, string][])),
      ...(underSystem(node) ? [] : ([[nodeReal, node]] as [string, string][])),
      ...libraries.map((l): [string, string] => [realpathSync(l), l]),
    ];
    return [
      bwrap,
      ...namespaceFlags(),
      '--die-with-parent',
      '--new-session',
      '--ro-bind',
      '/usr',
      '/usr',
      ...systemMirrors(),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--tmpfs',
      '/tmp',
      ...(root ? traversable(binds.map(([, to]) => to)) : []),
      ...binds.flatMap(([from, to]) => ['--ro-bind', from, to]),
      '--chdir',
      build,
      '--',
      ...privilegeDrop(),
    ];
  };
  commands.set(command, () => true);
  return command;
}

/** bwrap's namespaces: under root, no user namespace (the child drops to SANDBOX_UID with setpriv). */
function namespaceFlags(): string[] {
  return isRoot()
    ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try']
    : ['--unshare-all', '--cap-drop', 'ALL'];
}
