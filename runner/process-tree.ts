/**
 * The process tree of a child, read from /proc: its resident memory and its descendants, so a
 * watchdog can stop a memory hog (a Buffer hog is not stopped by V8's heap limit) and a kill
 * reaches every process, including one that left the process group. Where there is no /proc
 * (macOS, a container without it), the same figures come from `ps -A -o pid=,ppid=,rss=,time=`
 * (POSIX); where neither works, nothing is claimed: `measurable()` says so, the CPU-time limits
 * fall back to their wall-clock backstops and the memory limit is reported as not enforced.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** Where process figures come from here: /proc, `ps`, or nowhere. */
export type ProcessSource = 'proc' | 'ps' | 'none';

interface PsRow {
  pid: number;
  ppid: number;
  rssBytes: number;
  cpuMs: number;
}

/** `ps`'s cumulative CPU time: `[[dd-]hh:]mm:ss[.cc]` (procps gives whole seconds, BSD centiseconds). */
export function psTime(text: string): number {
  const [days, clock] = text.includes('-') ? text.split('-') : ['0', text];
  const parts = clock!.split(':').map(Number);
  const seconds = parts.reduce((sum, part) => sum * 60 + part, 0);
  return (Number(days) * 86_400 + seconds) * 1000;
}

let psCache: { at: number; rows: PsRow[] } | undefined;

/** Every process, from one run of `ps` (kept 50 ms, so one watchdog tick runs it once); [] when it fails. */
export function psTable(): PsRow[] {
  if (psCache !== undefined && Date.now() - psCache.at < 50) return psCache.rows;
  let listing = '';
  try {
    listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss=,time='], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    /* no ps */
  }
  const rows = listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length === 4 && /^\d+$/.test(f[0]!))
    .map(([pid, ppid, rss, time]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      rssBytes: Number(rss) * 1024,
      cpuMs: psTime(time!),
    }));
  psCache = { at: Date.now(), rows };
  return rows;
}

let source: ProcessSource | undefined;

/** The source of process figures here (checked once): /proc, else `ps` when it lists this process, else none. */
export function processSource(): ProcessSource {
  if (source === undefined) {
    const forced = process.env['OPTNN_PROCESS_SOURCE'];
    if (forced === 'proc' || forced === 'ps' || forced === 'none') source = forced;
    else if (existsSync(`/proc/${process.pid}/stat`)) source = 'proc';
    else source = psTable().some((row) => row.pid === process.pid) ? 'ps' : 'none';
  }
  return source;
}

/** Whether the memory watchdog and the CPU-time limits can measure the child's tree here. */
export function measurable(): boolean {
  return processSource() !== 'none';
}

/** What is not enforced here because it cannot be measured (empty where everything is). */
export function limitNotices(): string[] {
  return measurable()
    ? []
    : [
        'memory limit not enforced here (neither /proc nor ps can read the process tree); CPU-time limits not measured either: each request is stopped by its wall-clock limit instead',
      ];
}

/** Fields of /proc/<pid>/stat after the command name (field 3 onwards), or undefined when gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux build Node supports). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) of `pid` and every descendant (or of the processes
 * `tree`), in ms; with `reaped`, also that of the descendants that ended and were waited for.
 */
export function treeCpuMs(pid: number, reaped = false, tree: readonly number[] = watchedTree(pid)): number {
  if (processSource() === 'ps') {
    const inTree = new Set(tree);
    return psTable()
      .filter((row) => inTree.has(row.pid))
      .reduce((sum, row) => sum + row.cpuMs, 0);
  }
  let ticks = 0;
  for (const p of tree) {
    const fields = statFields(p);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; cutime and cstime follow.
    if (fields !== undefined) ticks += Number(fields[11]) + Number(fields[12]);
    if (fields !== undefined && reaped) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Whether this kernel lists each thread's children in /proc/<pid>/task/<tid>/children. */
const CHILDREN_FILES = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/** The children of `pid`, from its threads' children files. */
function childrenOf(pid: number): number[] {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of threads) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
        if (/^\d+$/.test(word)) children.push(Number(word));
    } catch {
      /* the thread ended */
    }
  }
  return children;
}

/**
 * `pid` and its descendants for the watchdogs, which read them several times a second: through the
 * children files, which cost reads of the tree only, not of every process on the machine (a
 * process forked at that very moment may be missed until the next reading). Where the kernel has
 * no such files, the whole scan of processTree.
 */
export function watchedTree(pid: number): number[] {
  if (processSource() !== 'proc') return processTree(pid);
  return CHILDREN_FILES ? descendants(pid, childrenOf) : processTree(pid);
}

/** `pid` and its descendants, breadth first, each once, with `children` giving a process's children. */
function descendants(pid: number, children: (p: number) => readonly number[]): number[] {
  const tree: number[] = [];
  const queue = [pid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    tree.push(p);
    queue.push(...children(p));
  }
  return tree;
}

/** `pid` and every process descending from it (a scan of every process: for kills, never missing one). */
export function processTree(pid: number): number[] {
  if (processSource() === 'ps') {
    const byParent = new Map<number, number[]>();
    for (const row of psTable()) byParent.set(row.ppid, [...(byParent.get(row.ppid) ?? []), row.pid]);
    return descendants(pid, (p) => byParent.get(p) ?? []);
  }
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [pid];
  }
  const children = new Map<number, number[]>();
  for (const p of pids) {
    const parent = parentOf(p);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  return descendants(pid, (p) => children.get(p) ?? []);
}

/** Resident memory of one process in bytes (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function treeRss(pid: number, tree: readonly number[] = watchedTree(pid)): number {
  if (processSource() === 'ps') {
    const inTree = new Set(tree);
    return psTable()
      .filter((row) => inTree.has(row.pid))
      .reduce((sum, row) => sum + row.rssBytes, 0);
  }
  return tree.reduce((sum, p) => sum + rssOf(p), 0);
}

/** SIGKILL to the process group and to every descendant found. */
export function killTree(pid: number): void {
  const tree = processTree(pid);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* no such group */
  }
  for (const p of tree.reverse()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
