/**
 * The grader where the machine takes layers away, simulated with real mount namespaces (as root,
 * with util-linux's `unshare`): bubblewrap installed but refused (a bwrap that fails as Ubuntu
 * 24.04's AppArmor rule makes it fail, bound over the real one), and no /proc (as on macOS: a
 * tmpfs over it, so neither /proc nor ps can read the process tree).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelFlags, permissionFlag } from '../../runner/node-flags.js';
import { findBubblewrap } from '../../runner/sandbox.js';
import { PROJECT_ROOT, cleanup, materialise } from '../helpers/materialise.js';

const AREA = 'sandbox-probe';
const work = join(PROJECT_ROOT, '.work', AREA);
afterAll(() => cleanup(AREA));

const root = process.getuid?.() === 0;
const unshare = spawnSync('unshare', ['--mount', 'true']).status === 0;
const bwrapPath = findBubblewrap();

interface Result {
  graderErrors: number;
  score: number;
  maxScore: number;
  isolation?: { layers: string; notices: string[] };
  tests: { status: string; message: string }[];
}

/** The grading command in a new mount namespace after `setup` (shell), as `npm run grade` runs it. */
function gradeIn(
  setup: string,
  dir: string,
  args: string[],
): { status: number | null; stderr: string; result?: Result } {
  const out = join(work, 'out');
  const id = dir.split('/').at(-1)!;
  rmSync(join(out, id), { recursive: true, force: true });
  const command = [process.execPath, 'scripts/run.mjs', 'grade', dir, '--out', out, '--lanes', '1', ...args]
    .map((w) => `'${w}'`)
    .join(' ');
  const run = spawnSync(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', `${setup} && exec ${command}`],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, OPTNN_PROGRESS: '0' },
    },
  );
  let result: Result | undefined;
  try {
    result = JSON.parse(readFileSync(join(out, id, 'results.json'), 'utf8')) as Result;
  } catch {
    result = undefined;
  }
  return { status: run.status, stderr: `${run.stdout.slice(-2000)}\n${run.stderr.slice(-3000)}`, result };
}

describe('the permission flag', () => {
  it('is the one the running Node accepts, chosen from its flags', () => {
    expect(permissionFlag(new Set(['--permission', '--experimental-permission']))).toBe('--permission');
    expect(permissionFlag(new Set(['--experimental-permission']))).toBe('--experimental-permission');
    expect(() => permissionFlag(new Set())).toThrow(/no permission model/);
    expect(channelFlags(new Set(['--permission', '--allow-net']))).toEqual(['--allow-net']);
    expect(channelFlags(new Set(['--permission']))).toEqual([]);
    // The flag chosen for this Node starts it.
    const run = spawnSync(process.execPath, [
      permissionFlag(),
      '-e',
      'process.exit(process.permission ? 0 : 3)',
    ]);
    expect(run.status, run.stderr.toString()).toBe(0);
  });
});

describe.skipIf(!root || !unshare || bwrapPath === undefined)('bubblewrap installed but refused', () => {
  const fake = join(work, 'bwrap');
  const setup = (): string => {
    mkdirSync(work, { recursive: true });
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    return `mount --bind '${fake}' '${bwrapPath!}'`;
  };

  it("--sandbox bwrap fails in one line with bwrap's own words and the fix, exit 1", () => {
    const run = gradeIn(setup(), join(PROJECT_ROOT, 'reference'), [
      '--sandbox',
      'bwrap',
      '--only',
      'optimizer.GD.steps',
    ]);
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error \[OPTNN_SANDBOX\]: --sandbox bwrap was asked for, but bubblewrap \(.+\) is installed but refused here: bwrap: setting up uid map: Permission denied; fix: .+/,
    );
    expect(run.stderr).not.toMatch(/not installed/);
  });

  it('by default grades with the Node-only layers and says so on stderr and in results.json', () => {
    const run = gradeIn(setup(), join(PROJECT_ROOT, 'reference'), ['--only', 'optimizer.GD.steps']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^grade: bubblewrap \(.+\) is installed but refused here: .+; fix: .+$/m);
    expect(run.result?.score).toBe(run.result?.maxScore);
    expect(run.result?.isolation?.layers).toBe('Node permission model only');
    expect(run.result?.isolation?.notices.join('\n')).toMatch(/refused here: bwrap: setting up uid map/);
  });
});

describe.skipIf(!root || !unshare || bwrapPath === undefined)('a child that cannot start', () => {
  it('makes each test a grader error and the command exit 1, with no stack trace (was exit 7)', () => {
    mkdirSync(work, { recursive: true });
    const fake = join(work, 'bwrap-starts-nothing');
    // Passes the start-up probe (its last word is `true`), fails every real start.
    writeFileSync(
      fake,
      '#!/bin/sh\nfor last; do :; done\n[ "$last" = true ] && exit 0\necho "bwrap: execvp /nowhere/node: No such file or directory" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const run = gradeIn(`mount --bind '${fake}' '${bwrapPath!}'`, join(PROJECT_ROOT, 'reference'), [
      '--only',
      'optimizer.GD.steps,optimizer.Adam.steps',
      '--lanes',
      '2',
    ]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.result?.graderErrors).toBe(2);
    for (const test of run.result?.tests ?? [])
      expect(test.message).toMatch(
        /^grader error: could not start the submission's process: .*execvp \/nowhere\/node/,
      );
  });
});

describe.skipIf(!root || !unshare)('no /proc (Node-only layers)', () => {
  const noProc = 'mount -t tmpfs none /proc';

  it('grades the reference with full marks and says the memory limit is not enforced', () => {
    const run = gradeIn(noProc, join(PROJECT_ROOT, 'reference'), [
      '--sandbox',
      'none',
      '--only',
      'optimizer.GD.steps,optimizer.Adam.steps',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.result?.graderErrors).toBe(0);
    expect(run.result?.score).toBe(run.result?.maxScore);
    expect(run.stderr).toMatch(/^grade: memory limit not enforced here/m);
    expect(run.result?.isolation?.notices.join('\n')).toMatch(/memory limit not enforced here/);
  });

  it('stops an infinite loop by the wall clock and claims no CPU time it did not measure', () => {
    const dir = materialise(
      AREA,
      'step-infinite-loop',
      join(PROJECT_ROOT, 'test', 'corpus', 'hostile', 'step-infinite-loop'),
    );
    const run = gradeIn(noProc, dir, ['--sandbox', 'none', '--only', 'optimizer.Adam.steps']);
    expect(run.status, run.stderr).toBe(0);
    const [test] = run.result?.tests ?? [];
    expect(test?.status).toBe('failed');
    expect(test?.message).toBe(
      'timed out after 20 s in Adam, case adam-defaults (wall clock; its CPU time cannot be measured here)',
    );
  }, 120_000);
});
