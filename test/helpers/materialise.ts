/**
 * Submissions for the self-tests, made real on disk: reference/ with an overlay directory copied
 * over it, under /work/main/.work/ (inside the project, so `#course/...` resolves; gitignored).
 * Also the checks every hostile case shares: which files changed outside a directory, and which
 * node processes still mention a path.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const REFERENCE = join(PROJECT_ROOT, 'reference');

/** Copies reference/ then `overlay` (when given) into `.work/<area>/<id>/` and returns that path. */
export function materialise(area: string, id: string, overlay?: string): string {
  const dir = join(PROJECT_ROOT, '.work', area, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(REFERENCE, dir, { recursive: true });
  if (overlay !== undefined) {
    cpSync(overlay, dir, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
  }
  return dir;
}

/** Adds a symlink `name` (relative to the submission) pointing at `target` (kept as given). */
export function addSymlink(dir: string, name: string, target: string): void {
  const path = join(dir, name);
  rmSync(path, { force: true });
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

export function cleanup(area: string): void {
  rmSync(join(PROJECT_ROOT, '.work', area), { recursive: true, force: true });
}

/** Every regular file below `dir` (not following symlinks) with its size and mtime. */
export type Snapshot = Map<string, string>;

const SKIP = new Set(['node_modules', '.git']);

export function snapshot(dir: string, skip: (path: string) => boolean = () => false): Snapshot {
  const seen: Snapshot = new Map();
  const walk = (d: string): void => {
    let names: string[];
    try { names = readdirSync(d); } catch { return; }
    for (const name of names) {
      const path = join(d, name);
      if (SKIP.has(name) || skip(path)) continue;
      let stat;
      try { stat = statSync(path, { throwIfNoEntry: false }); } catch { continue; }
      if (stat === undefined) continue;
      if (stat.isDirectory()) walk(path);
      else seen.set(relative(dir, path), `${stat.size}:${stat.mtimeMs}`);
    }
  };
  walk(dir);
  return seen;
}

/** Paths added, removed or changed between two snapshots. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [path, sig] of after) if (before.get(path) !== sig) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(path);
  return changed.sort();
}

/** Pids of live processes whose command line contains `needle`. */
export function processesMentioning(needle: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle)) found.push({ pid: Number(entry), cmdline });
    } catch { /* gone */ }
  }
  return found;
}

/** Waits (bounded) until no process mentions `needle`; returns the survivors. */
export async function survivors(needle: string, waitMs = 2000): Promise<Array<{ pid: number; cmdline: string }>> {
  const until = Date.now() + waitMs;
  let left = processesMentioning(needle);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesMentioning(needle);
  }
  return left;
}

export const exists = existsSync;

/**
 * Watches, while a grading runs, for the child processes this process starts on a build under
 * `.work/builds/`, and returns their build directories when stopped (the executor names them at
 * random, so a test finds them this way).
 */
export function watchBuilds(intervalMs = 50): { stop: () => string[] } {
  const builds = new Set<string>();
  const scan = (): void => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== process.pid) continue;
        const match = /\/\.work\/builds\/[0-9a-f-]{36}/.exec(readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
        if (match) builds.add(join(PROJECT_ROOT, match[0]));
      } catch { /* gone */ }
    }
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  return { stop: () => { clearInterval(timer); scan(); return [...builds]; } };
}
