/**
 * The grader on the Node versions and install locations courses have: Node 22 under an
 * /opt/hostedtoolcache-like path (actions/setup-node) and Node 24 under a mode-700 home
 * (`~/.nvm/versions/...`), each running the grading command itself (so the child runs that binary,
 * with the permission flag that version takes). Each grades the reference once (full marks, no
 * grader error) and two hostile cases, an infinite loop and a Buffer hog, under bubblewrap (where it
 * works) and under the Node-only layers; the current release (fnm-like, mode-700 home) grades the
 * reference. Node 20 is the one the rest of the suite runs on.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBubblewrap } from '../../runner/sandbox.js';
import { NODE_CACHE, fetchNode } from '../helpers/node-binaries.js';
import { PROJECT_ROOT, cleanup, materialise } from '../helpers/materialise.js';

const AREA = 'node-versions';
const installs: string[] = [];
afterAll(() => {
  for (const dir of installs) rmSync(dir, { recursive: true, force: true });
  cleanup(AREA);
});

/** A copy of `node` (a hard link where it can) at `relative` below a fresh directory of mode `mode`. */
function install(node: string, relative: string, mode: number): string {
  mkdirSync(NODE_CACHE, { recursive: true });
  const base = mkdtempSync(join(NODE_CACHE, 'install-'));
  installs.push(base);
  chmodSync(base, mode);
  const path = join(base, relative);
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  try {
    linkSync(node, path);
  } catch {
    copyFileSync(node, path);
    chmodSync(path, 0o755);
  }
  return path;
}

interface Graded {
  status: number | null;
  output: string;
  result: {
    score: number;
    maxScore: number;
    graderErrors: number;
    versions: Record<string, string>;
    isolation?: { layers: string; notices: string[]; memoryMiB?: number };
    tests: { id: string; status: string; message: string }[];
  };
}

/** `npm run grade` as a user with only this Node on PATH would run it. */
function grade(node: string, dir: string, args: string[]): Graded {
  const out = join(PROJECT_ROOT, '.work', AREA, 'out');
  const run = spawnSync(node, ['scripts/run.mjs', 'grade', dir, '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, PATH: `${dirname(node)}:${process.env['PATH'] ?? ''}`, OPTNN_PROGRESS: '0' },
  });
  const output = `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`;
  const results = join(out, dir.split('/').at(-1)!, 'results.json');
  let result: Graded['result'];
  try {
    result = JSON.parse(readFileSync(results, 'utf8')) as Graded['result'];
  } catch {
    throw new Error(`no results.json (exit ${run.status}):\n${output}`);
  }
  rmSync(results);
  return { status: run.status, output, result };
}

const HOSTILE = {
  // Stopped by its CPU-time limit, or on a machine so busy that the child got less than half a core,
  // by the wall-clock backstop (which then says how much CPU time it had): either way, stopped.
  'step-infinite-loop':
    /^timed out after (10 s of CPU time in Adam, case adam-defaults|20 s in Adam, case adam-defaults \(wall clock; it used \d+\.\d s of CPU time\))$/,
  'buffer-hog': /^memory limit 1024 MiB exceeded \(the process tree used \d+ MiB\)$/,
} as const;

const bwrap = findBubblewrap() !== undefined;
const MATRIX = [
  {
    major: 22,
    where: 'an /opt/hostedtoolcache-like path',
    path: 'opt/hostedtoolcache/node/22/x64/bin/node',
    mode: 0o755,
    hostile: true,
  },
  {
    major: 24,
    where: 'a mode-700 home (nvm)',
    path: '.nvm/versions/node/v24/bin/node',
    mode: 0o700,
    hostile: true,
  },
  // The current release (26 when written; its permission model also covers the channel's socket): the reference only.
  {
    major: 'latest',
    where: 'a mode-700 home (fnm)',
    path: '.fnm/node-versions/latest/installation/bin/node',
    mode: 0o700,
    hostile: false,
  },
] as const;

for (const { major, where, path, mode, hostile } of MATRIX) {
  const fetched = fetchNode(major);
  if ('skip' in fetched) console.warn(`node-versions: Node ${major} skipped: ${fetched.skip}`);
  describe.skipIf('skip' in fetched)(`Node ${major} installed under ${where}`, () => {
    const node = 'node' in fetched ? install(fetched.node, path, mode) : '';

    it('grades the reference with full marks and no grader error, under bubblewrap where it works', () => {
      const { status, output, result } = grade(node, join(PROJECT_ROOT, 'reference'), []);
      expect(status, output).toBe(0);
      if (major !== 'latest') expect(result.versions['node']).toMatch(new RegExp(`^v${major}\\.`));
      expect(result.graderErrors, output).toBe(0);
      expect(result.score).toBe(result.maxScore);
      expect(result.isolation?.layers).toBe(
        bwrap ? 'bubblewrap + Node permission model' : 'Node permission model only',
      );
    }, 240_000);

    for (const layers of hostile ? [...(bwrap ? ['bwrap'] : []), 'none'] : []) {
      for (const [id, message] of Object.entries(HOSTILE)) {
        it(`stops ${id} (--sandbox ${layers})`, () => {
          const dir = materialise(AREA, id, join(PROJECT_ROOT, 'test', 'corpus', 'hostile', id));
          const { status, output, result } = grade(node, dir, [
            '--only',
            'optimizer.Adam.steps',
            '--lanes',
            '1',
            '--sandbox',
            layers,
            // Faulting pages in costs CPU time: 2 GiB took 8 s of it on a quiet 2-core CI machine, near
            // the 10 s limit; 1 GiB (as test/graders/hostile-resources.test.ts) leaves no race.
            '--memory-mib',
            '1024',
          ]);
          expect(status, output).toBe(0);
          expect(result.graderErrors, output).toBe(0);
          expect(result.isolation?.memoryMiB).toBe(1024);
          const [test] = result.tests;
          expect(test?.status, output).toBe('failed');
          expect(test?.message).toMatch(message);
        }, 120_000);
      }
    }
  });
}

/**
 * A user who is not root, with Node in their own mode-700 home and their own clone (what a student
 * or a TA has): uid 65534 through setpriv, a copy of the tracked files it owns, node_modules a
 * symlink to the project's (read-only to it, as an install shared by others would be).
 */
const root = process.getuid?.() === 0;
const node24 = fetchNode(24);
describe.skipIf(!root || 'skip' in node24)('Node 24 in the home of an unprivileged user', () => {
  it('grades with full marks under bubblewrap (where it works) and the Node-only layers', () => {
    // Not below node_modules/ (the grader treats any path there as a package's).
    const home = mkdtempSync(join(tmpdir(), 'optnn-user-'));
    installs.push(home);
    const clone = join(home, 'optnn');
    const files = spawnSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
      .stdout.split('\0')
      .filter((f) => f !== '' && !f.startsWith('test/'));
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      try {
        copyFileSync(join(PROJECT_ROOT, file), join(clone, file));
      } catch {
        /* deleted in the work tree */
      }
    }
    const node = join(home, '.nvm', 'versions', 'node', 'v24', 'bin', 'node');
    mkdirSync(dirname(node), { recursive: true });
    copyFileSync((node24 as { node: string }).node, node);
    chmodSync(node, 0o755);
    expect(spawnSync('chown', ['-R', '65534:65534', home]).status).toBe(0);
    // The project's node_modules, shared (as a pnpm store or a TA's shared install): read-only to the user.
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'));
    for (const sandbox of [...(bwrap ? ['bwrap'] : []), 'none']) {
      const run = spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          node,
          'scripts/run.mjs',
          'grade',
          'reference',
          '--out',
          join(home, 'out'),
          '--sandbox',
          sandbox,
          '--only',
          'optimizer.GD.steps,optimizer.Adam.steps',
        ],
        {
          cwd: clone,
          encoding: 'utf8',
          timeout: 120_000,
          env: { HOME: home, PATH: `${dirname(node)}:/usr/bin:/bin`, OPTNN_PROGRESS: '0' },
        },
      );
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const result = JSON.parse(
        readFileSync(join(home, 'out', 'reference', 'results.json'), 'utf8'),
      ) as Graded['result'];
      expect(result.graderErrors).toBe(0);
      expect(result.score).toBe(result.maxScore);
      expect(result.versions['node']).toMatch(/^v24\./);
      expect(result.isolation?.layers).toBe(
        sandbox === 'bwrap' ? 'bubblewrap + Node permission model' : 'Node permission model only',
      );
    }
  }, 240_000);
});
