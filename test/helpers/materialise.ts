/**
 * Submissions for the self-tests, made real on disk: reference/ with an overlay directory copied
 * over it, under /work/main/.work/ (inside the project, so `#course/...` resolves; gitignored).
 * Also the checks every hostile case shares: which files changed outside a directory, which node
 * processes still mention a path, and `gradeHostile`, which grades one case of
 * test/corpus/hostile/ and says what went against its expected.json.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gradeSubmission, type GradeOptions } from '../../graders/grade.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import type { Verdict } from '../../graders/verdict.js';
import { buildResult, pointsOf } from '../../results/model.js';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const REFERENCE = join(PROJECT_ROOT, 'reference');

/** Copies reference/ then `overlay` (when given, without its expected.json) into `.work/<area>/<id>/` and returns that path. */
export function materialise(area: string, id: string, overlay?: string): string {
  const dir = join(PROJECT_ROOT, '.work', area, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(REFERENCE, dir, { recursive: true });
  if (overlay !== undefined) {
    cpSync(overlay, dir, { recursive: true, filter: (src) => src !== join(overlay, 'expected.json') });
  }
  return dir;
}

/** Makes `name` (inside the submission) a relative symlink to `target` (a path inside the project). */
export function addSymlink(dir: string, name: string, target: string): void {
  const path = join(dir, name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  // An absolute target (a device, a system file) is linked as it is.
  symlinkSync(target.startsWith('/') ? target : relative(dirname(path), join(PROJECT_ROOT, target)), path);
}

/** Replaces `placeholder` with `value` in every .ts file of the submission. */
export function fillPlaceholder(dir: string, placeholder: string, value: string): void {
  for (const path of snapshot(dir).keys()) {
    if (!path.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, path), 'utf8');
    if (text.includes(placeholder)) writeFileSync(join(dir, path), text.split(placeholder).join(value));
  }
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
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      if (SKIP.has(name) || skip(path)) continue;
      let stat;
      try {
        stat = statSync(path, { throwIfNoEntry: false });
      } catch {
        continue;
      }
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
    } catch {
      /* gone */
    }
  }
  return found;
}

/** Waits (bounded) until no process mentions `needle`; returns the survivors. */
export async function survivors(
  needle: string,
  waitMs = 2000,
): Promise<Array<{ pid: number; cmdline: string }>> {
  const until = Date.now() + waitMs;
  let left = processesMentioning(needle);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesMentioning(needle);
  }
  return left;
}

/**
 * Watches, while a grading runs, for the child processes this process starts on a build under
 * `.work/builds/` (or staged under the system's temporary directory), and returns their build directories when stopped (the executor names them at
 * random, so a test finds them this way).
 */
export function watchBuilds(intervalMs = 50): { stop: () => string[]; seen: () => string[] } {
  const builds = new Set<string>();
  const scan = (): void => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== process.pid) continue;
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        const match = /\/\.work\/builds\/(?:\d+-)?[0-9a-f-]{36}/.exec(cmdline);
        if (match) builds.add(join(PROJECT_ROOT, match[0]));
        // A clone the child's uid cannot enter (under a mode-700 home) stages builds in the system's
        // temporary directory (runner/sandbox.ts, childStaging): an absolute path in an argument.
        for (const arg of cmdline.split('\0')) {
          const staged = /^(?:--[a-z-]+=)?(\/.*\/optnn-child-[^/]+\/(?:\d+-)?[0-9a-f-]{36})/.exec(arg);
          if (staged) builds.add(staged[1]!);
        }
      } catch {
        /* gone */
      }
    }
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      scan();
      return [...builds];
    },
    seen: () => [...builds],
  };
}

// ---------------------------------------------------------------------------------------------
// The hostile corpus: test/corpus/hostile/<id>/ holds an overlay on reference/ and expected.json.

export const HOSTILE_CORPUS = join(PROJECT_ROOT, 'test', 'corpus', 'hostile');

/** The limits the hostile tests grade with (short, so a hang costs 10 s, a hog 1 GiB). */
export const TEST_LIMITS = { memoryMiB: 1024, heapMiB: 512, loadMs: 10_000, outputBytes: 16_384 };

export interface HostileExpectation {
  description: string;
  /** Which test file grades it: broken, resources, integrity; special ones have their own test. */
  group: 'broken' | 'resources' | 'integrity' | 'special';
  /** The tests the case breaks (or passes, see `status`), or "all" when nothing can be graded. */
  affects: string[] | 'all';
  /** What the affected tests end as; a list when more than one is right. */
  status: Verdict['status'] | Array<Verdict['status']>;
  /** A regular expression every affected test's message matches. */
  messageMatches: string;
  /** Whether the unaffected tests graded with it still pass. */
  unaffectedPass: boolean;
  /** Other tests graded with their expected status (e.g. a leaky but correct optimizer's steps). */
  alsoGraded?: Record<string, Verdict['status']>;
  /** Symlinks the test makes in the materialised copy: name inside the submission → path inside the project (or absolute). */
  symlinks?: Record<string, string>;
  /** Set while the case is a known hole in the isolation: what lets it through. */
  knownHole?: string;
}

export function hostileCases(): string[] {
  return readdirSync(HOSTILE_CORPUS)
    .filter((id) => statSync(join(HOSTILE_CORPUS, id)).isDirectory())
    .sort();
}

export function loadHostile(id: string): HostileExpectation {
  return JSON.parse(readFileSync(join(HOSTILE_CORPUS, id, 'expected.json'), 'utf8')) as HostileExpectation;
}

/** Tests graded with every case that does not name them: one before Adam's in the manifest, one after. */
export const UNAFFECTED = ['optimizer.GD.steps', 'nets'];
/** The tests graded for a case that breaks everything. */
const ALL_SAMPLE = ['optimizer.GD.steps', 'optimizer.Adam.steps', 'nets'];

export interface HostileOutcome {
  verdicts: Verdict[];
  /** Build directories of the child processes started (at random names, found through /proc). */
  builds: string[];
  /** Processes still mentioning one of them after grading (and a short wait). */
  survivors: Array<{ pid: number; cmdline: string }>;
  /** Files that changed where nothing may change: reference/, fixtures/, the submission, the output directory. */
  written: string[];
  /** Files named like the markers the cases try to write, found anywhere in the project or /tmp. */
  markers: string[];
  /** Build directories left on disk. */
  leftBuilds: string[];
  durationMs: number;
}

const MARKER = 'HOSTILE-WROTE';

function findMarkers(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    if (name === 'node_modules' || name === '.git') continue;
    const path = join(dir, name);
    if (name.startsWith(MARKER)) found.push(path);
    let stat;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (stat?.isDirectory()) found.push(...findMarkers(path, depth + 1));
  }
  return found;
}

export function hostileOnly(expectation: HostileExpectation): string[] {
  const affected = expectation.affects === 'all' ? ALL_SAMPLE : expectation.affects;
  const also = Object.keys(expectation.alsoGraded ?? {});
  return [...new Set([...affected, ...also, ...UNAFFECTED])];
}

/**
 * Grades hostile case `id` in `.work/hostile/<group>/<id>/` (made from reference/ + its overlay),
 * with an output directory `.work/hostile-out/<area>/<id>/` holding a results.json that must survive, and
 * reports everything a test checks. `prepare` may change the materialised copy first. Both
 * directories are removed afterwards unless `keep`.
 */
export interface HostileOptions {
  isolation?: GradeOptions['isolation'];
  /** Changes the materialised copy before grading. */
  prepare?: (dir: string) => void;
  area?: string;
  keep?: boolean;
  /** false when other gradings run at the same time (their children would be taken for this one's): the caller checks processes. */
  watch?: boolean;
}

export async function gradeHostile(id: string, options: HostileOptions = {}): Promise<HostileOutcome> {
  const expectation = loadHostile(id);
  const area = options.area ?? `hostile/${expectation.group}`;
  const dir = materialise(area, id, join(HOSTILE_CORPUS, id));
  for (const [name, target] of Object.entries(expectation.symlinks ?? {})) addSymlink(dir, name, target);
  options.prepare?.(dir);
  const out = join(PROJECT_ROOT, '.work', 'hostile-out', area.replace(/\//g, '-'), id);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const previous = JSON.stringify({ note: 'results of an earlier run, which the submission must not touch' });
  writeFileSync(join(out, 'results.json'), previous);
  const protectedDirs = [REFERENCE, join(PROJECT_ROOT, 'fixtures'), dir, out];
  const before = protectedDirs.map((d) => snapshot(d));
  const started = performance.now();
  const watch = options.watch === false ? undefined : watchBuilds();
  let verdicts: Verdict[];
  try {
    verdicts = await gradeSubmission(dir, {
      only: hostileOnly(expectation),
      isolation: { limits: TEST_LIMITS, ...options.isolation },
    });
  } finally {
    watch?.stop();
  }
  const durationMs = performance.now() - started;
  const builds = watch?.stop() ?? [];
  const left = (await Promise.all(builds.map((b) => survivors(b)))).flat();
  const written = protectedDirs.flatMap((d, i) => changes(before[i]!, snapshot(d)).map((p) => join(d, p)));
  if (readFileSync(join(out, 'results.json'), 'utf8') !== previous) written.push(join(out, 'results.json'));
  const markers = [...findMarkers(PROJECT_ROOT), ...findMarkers('/tmp', 5)];
  const manifest = loadManifest();
  const result = buildResult(
    verdicts,
    { ...manifest, tests: manifest.tests.filter((t) => verdicts.some((v) => v.id === t.id)) },
    {
      submission: { id, path: dir },
      backend: { name: 'test', package: 'test', version: '0' },
      versions: {},
      seeds: { training: 1, fixtures: [1001] },
      hiddenFixtures: false,
      timings: { totalMs: durationMs },
    },
  );
  writeFileSync(join(out, 'results.json'), JSON.stringify(result, null, 1));
  if (!options.keep) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  return {
    verdicts,
    builds,
    survivors: left,
    written,
    markers,
    leftBuilds: builds.filter((b) => existsSync(b)),
    durationMs,
  };
}

/** Every way `outcome` goes against `expectation` (empty: as expected). */
export function hostileProblems(expectation: HostileExpectation, outcome: HostileOutcome): string[] {
  const problems: string[] = [];
  const manifest = loadManifest();
  const pointsOfTest = (v: Verdict): number =>
    pointsOf(v, manifest.tests.find((t) => t.id === v.id)?.points ?? 1);
  const affected = expectation.affects === 'all' ? ALL_SAMPLE : expectation.affects;
  const statuses = Array.isArray(expectation.status) ? expectation.status : [expectation.status];
  const pattern = new RegExp(expectation.messageMatches);
  const byId = new Map(outcome.verdicts.map((v) => [v.id, v]));
  for (const id of hostileOnly(expectation)) if (!byId.has(id)) problems.push(`${id}: no verdict`);
  for (const id of affected) {
    const v = byId.get(id);
    if (v === undefined) continue;
    if (!statuses.includes(v.status))
      problems.push(`${id}: ${v.status}, expected ${statuses.join(' or ')} (${v.message})`);
    if (!statuses.includes('passed') && pointsOfTest(v) !== 0)
      problems.push(`${id}: scored ${pointsOfTest(v)}, expected 0`);
    if (!pattern.test(v.message))
      problems.push(
        `${id}: message ${JSON.stringify(v.message)} does not match /${expectation.messageMatches}/`,
      );
  }
  for (const [id, status] of Object.entries(expectation.alsoGraded ?? {})) {
    const v = byId.get(id);
    if (v !== undefined && v.status !== status)
      problems.push(`${id}: ${v.status}, expected ${status} (${v.message})`);
  }
  if (expectation.unaffectedPass && expectation.affects !== 'all') {
    for (const id of UNAFFECTED.filter((u) => !affected.includes(u))) {
      const v = byId.get(id);
      if (v !== undefined && v.status !== 'passed')
        problems.push(`unaffected ${id}: ${v.status} (${v.message})`);
    }
  }
  for (const s of outcome.survivors)
    problems.push(`process ${s.pid} left behind: ${s.cmdline.slice(0, 200)}`);
  for (const w of outcome.written) problems.push(`written: ${w}`);
  for (const m of outcome.markers) problems.push(`marker written: ${m}`);
  for (const b of outcome.leftBuilds) problems.push(`build directory left: ${b}`);
  return problems;
}

/**
 * A correct but differently written submission (test/corpus/correct/fresh-tensors), graded on a
 * few tests, as `id: status: message` lines: graded before and after hostile cases in one process,
 * the lines must not change.
 */
export async function correctVerdicts(
  area = 'hostile-correct',
  isolation: GradeOptions['isolation'] = {},
): Promise<string[]> {
  const dir = materialise(
    area,
    `fresh-tensors-${process.pid}`,
    join(PROJECT_ROOT, 'test', 'corpus', 'correct', 'fresh-tensors'),
  );
  try {
    const verdicts = await gradeSubmission(dir, {
      only: ['optimizer.GD.steps', 'optimizer.Adam.steps', 'optimizer.Adam.properties', 'nets'],
      isolation: { limits: TEST_LIMITS, ...isolation },
    });
    return verdicts.map((v) => `${v.id}: ${v.status}: ${v.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
