/**
 * The starter's shipped workflows, run as GitHub's runner runs them: every `run:` step in order,
 * by an unprivileged user (uid 1001, as `runner` is), with Node 24 from a hosted-tool-cache path
 * (what actions/setup-node puts first on PATH), in a fresh checkout of the built starter with the
 * reference as its submission. `uses:` steps are the actions' own; `sudo` is a shim that records
 * the command (this machine's setup already installed bubblewrap; a runner's sysctl is GitHub's).
 * Skipped, with the reason, where this process is not root, setpriv is missing or Node 24 cannot
 * be fetched.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchNode } from '../helpers/node-binaries.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNNER = '1001';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

const whyNot = ((): string | undefined => {
  if (process.getuid?.() !== 0) return 'needs root, to run the steps as an unprivileged runner user';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv is not installed';
  return undefined;
})();
const node24 = whyNot === undefined ? fetchNode(24) : { skip: whyNot };
const machineNpm = (): string =>
  realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A runner's machine: Node in the tool cache, npm beside it, a sudo shim, a home it owns. */
function runnerMachine(node: string): { base: string; home: string; path: string; sudoLog: string } {
  const base = mkdtempSync(join(tmpdir(), 'optnn-runner-'));
  scratch.push(base);
  chmodSync(base, 0o755);
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1);
  const bin = join(base, 'opt', 'hostedtoolcache', 'node', version, 'x64', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(node, join(bin, 'node'));
  chmodSync(join(bin, 'node'), 0o755);
  symlinkSync(machineNpm(), join(bin, 'npm'));
  const shims = join(base, 'shims');
  mkdirSync(shims);
  const home = join(base, 'home', 'runner');
  mkdirSync(home, { recursive: true });
  const sudoLog = join(home, 'sudo.log');
  writeFileSync(join(shims, 'sudo'), `#!/bin/sh\necho "sudo $*" >> '${sudoLog}'\n`, { mode: 0o755 });
  // npm's own configuration of this machine (its CA file, its settings), as the runner's image has its own.
  const npmrc = spawnSync('npm', ['config', 'get', 'userconfig'], { encoding: 'utf8' }).stdout.trim();
  if (npmrc !== '' && existsSync(npmrc)) copyFileSync(npmrc, join(home, '.npmrc'));
  return { base, home, path: `${bin}:${shims}:/usr/bin:/bin`, sudoLog };
}

/** Whether bubblewrap starts a sandbox for `uid` on this machine. */
function bwrapWorksFor(uid: string): boolean {
  const probe = ['--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', 'true'];
  return (
    spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'bwrap', ...probe]).status ===
    0
  );
}

/** Runs one `run:` step as the runner user, the way the runner does (bash -e -o pipefail). */
function runStep(step: Step, cwd: string, env: Record<string, string>) {
  return spawnSync(
    'setpriv',
    [
      `--reuid=${RUNNER}`,
      `--regid=${RUNNER}`,
      '--clear-groups',
      'bash',
      '-e',
      '-o',
      'pipefail',
      '-c',
      step.run!,
    ],
    { cwd, env, encoding: 'utf8', timeout: 480_000, maxBuffer: 64 << 20 },
  );
}

describe.skipIf('skip' in node24)('the shipped workflows, step by step as the runner user', () => {
  it('grade.yml and classroom.yml give the reference its 100 points with Node 24 from the tool cache', () => {
    const machine = runnerMachine((node24 as { node: string }).node);
    const repo = join(machine.home, 'work', 'starter', 'starter');
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/release.ts', '--out', repo], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    rmSync(join(repo, 'submission'), { recursive: true, force: true });
    spawnSync('cp', ['-R', join(ROOT, 'reference'), join(repo, 'submission')]);
    expect(spawnSync('chown', ['-R', `${RUNNER}:${RUNNER}`, join(machine.base, 'home')]).status).toBe(0);

    for (const [file, job] of [
      ['grade.yml', 'grade'],
      ['classroom.yml', 'run-autograding-tests'],
    ] as const) {
      // Each job starts on a fresh runner: no install, no outputs of the other workflow.
      for (const left of ['node_modules', 'out']) rmSync(join(repo, left), { recursive: true, force: true });
      const workflow = parse(readFileSync(join(repo, '.github', 'workflows', file), 'utf8')) as Workflow;
      const steps = workflow.jobs[job]!.steps;
      const summary = join(machine.home, `${file}.summary.md`);
      const output = join(machine.home, `${file}.output`);
      const env: Record<string, string> = {
        HOME: machine.home,
        PATH: machine.path,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: repo,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
        MIN_SCORE: '100',
        OPTNN_PROGRESS: '0',
        ...Object.fromEntries(
          ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR']
            .filter((k) => process.env[k] !== undefined)
            .map((k) => [k, process.env[k]!]),
        ),
      };
      for (const name of [summary, output]) writeFileSync(name, '');
      spawnSync('chown', [`${RUNNER}:${RUNNER}`, summary, output]);
      const ran: string[] = [];
      for (const step of steps.filter((s) => s.run !== undefined)) {
        const run = runStep(step, repo, env);
        ran.push(step.name ?? step.run!);
        expect(run.status, `${file}, step ${step.name}:\n${run.stdout}\n${run.stderr}`).toBe(0);
      }
      expect(ran, file).toEqual([
        'Sandbox (bubblewrap)',
        'Install (without the optional native tfjs packages)',
        'Grade',
        ...(file === 'grade.yml' ? ['Job summary'] : []),
      ]);
      const results = JSON.parse(
        readFileSync(join(repo, 'out', 'grades', 'submission', 'results.json'), 'utf8'),
      ) as {
        score: number;
        maxScore: number;
        graderErrors: number;
        versions: Record<string, string>;
        isolation?: { layers: string };
      };
      expect(results).toMatchObject({ score: 100, maxScore: 100, graderErrors: 0 });
      expect(results.versions['node']).toMatch(/^v24\./);
      // The layers the runner user gets here: bubblewrap where it starts unprivileged, as the workflow's sysctl makes it on ubuntu-24.04.
      expect(results.isolation?.layers).toBe(
        bwrapWorksFor(RUNNER) ? 'bubblewrap + Node permission model' : 'Node permission model only',
      );
      if (file === 'grade.yml') expect(readFileSync(summary, 'utf8')).toMatch(/100\s*\/\s*100/);
      else {
        const encoded = /^result=(.+)$/m.exec(readFileSync(output, 'utf8'))?.[1] ?? '';
        const classroom = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
          max_score: number;
        };
        expect(classroom).toMatchObject({ status: 'pass', max_score: 100 });
      }
    }
    expect(readFileSync(machine.sudoLog, 'utf8')).toContain(
      'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
    );
  }, 900_000);
});
