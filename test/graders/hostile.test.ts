/**
 * The hostile corpus as a whole, and the cases that need more than grading: every case is well
 * formed and graded by one test file; a batch of hostile submissions graded at the same time as a
 * correct one (and around it, in this process) changes none of its verdicts and leaves no process;
 * the environment's secrets stay in the grading process; a network connection and a kill aimed at
 * the grading process, under the Node-only layers (with the uid drop when run as root) and under
 * bubblewrap. Groups "broken", "resources" and "integrity" are graded in hostile-<group>.test.ts
 * with the default layers, and again with the Node-only layers in hostile-node-only.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../graders/manifest-schema.js';
import type { Verdict } from '../../graders/verdict.js';
import { bubblewrap, findBubblewrap, unprivileged } from '../../runner/sandbox.js';
import {
  HOSTILE_CORPUS, PROJECT_ROOT, TEST_LIMITS, cleanup, correctVerdicts, fillPlaceholder, gradeHostile, hostileCases, hostileOnly,
  hostileProblems, loadHostile, materialise, survivors, watchBuilds,
} from '../helpers/materialise.js';

afterAll(() => { for (const area of ['hostile/special', 'hostile/batch', 'hostile-correct-batch', 'hostile-out/hostile-special', 'hostile-out/hostile-batch']) cleanup(area); });

const bwrap = findBubblewrap();
const sandboxed = bwrap === undefined ? undefined : { sandbox: bubblewrap(bwrap) };
/** The Node-level layers only (permission model, empty environment, limits), as uid 65534 when the grader is root. */
const nodeOnly = { sandbox: unprivileged };
const root = process.getuid?.() === 0;
const securityModel = readFileSync(join(PROJECT_ROOT, 'docs', 'security-model.md'), 'utf8');

describe('the hostile corpus', () => {
  it('every case has an overlay and an expected.json the tests understand', () => {
    const testIds = new Set(loadManifest().tests.map((t) => t.id));
    const ids = hostileCases();
    expect(ids.length).toBeGreaterThanOrEqual(40);
    for (const id of ids) {
      const e = loadHostile(id);
      expect(e.description.length, id).toBeGreaterThan(20);
      expect(['broken', 'resources', 'integrity', 'special'], id).toContain(e.group);
      expect(() => new RegExp(e.messageMatches), id).not.toThrow();
      for (const t of hostileOnly(e)) expect(testIds.has(t), `${id}: ${t}`).toBe(true);
      const files = readdirSync(join(HOSTILE_CORPUS, id), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
      expect(files.length + Object.keys(e.symlinks ?? {}).length, `${id} changes nothing`).toBeGreaterThan(0);
    }
  });
});

describe('a batch of hostile submissions changes nothing for a correct one', () => {
  const batch = ['kill-self', 'exit-midway', 'buffer-hog', 'heap-hog', 'fork-bomb', 'keeps-alive', 'write-results', 'forge-ipc-fd', 'patch-tf-ops', 'huge-output'];

  it('graded one after another around a correct submission, and at the same time as it, in this process', async () => {
    const alone = await correctVerdicts('hostile-correct-batch');
    const watch = watchBuilds();
    // At the same time: the correct one among hostile ones (as a worker pool would run them).
    const [during, ...outcomes] = await Promise.all([
      correctVerdicts('hostile-correct-batch'),
      ...batch.slice(0, 5).map((id) => gradeHostile(id, { area: 'hostile/batch', watch: false })),
    ]);
    // One after another, the correct one in between.
    const between: string[][] = [];
    for (const id of batch.slice(5)) {
      outcomes.push(await gradeHostile(id, { area: 'hostile/batch', watch: false }));
      between.push(await correctVerdicts('hostile-correct-batch'));
    }
    const builds = watch.stop();
    expect(during).toEqual(alone);
    for (const b of between) expect(b).toEqual(alone);
    batch.forEach((id, i) => {
      const problems = hostileProblems(loadHostile(id), outcomes[i]!);
      // patch-tf-ops and forge-ipc-fd are graded as their own test files expect; here only their isolation matters.
      if (loadHostile(id).knownHole === undefined) expect(problems, id).toEqual([]);
    });
    expect(builds.length).toBeGreaterThanOrEqual(batch.length + 1 + between.length);
    expect((await Promise.all(builds.map((b) => survivors(b)))).flat()).toEqual([]);
    expect(builds.filter((b) => existsSync(b))).toEqual([]);
  }, 180_000);
});

describe('the grading process keeps its secrets', () => {
  for (const [layers, isolation] of [['the Node-only layers', nodeOnly], ['bubblewrap', sandboxed]] as const) {
    it.skipIf(isolation === undefined)(`env-secret, under ${layers}: the child sees no environment variable of the grader`, async () => {
      process.env['OPTNN_HOSTILE_SECRET'] = `secret-${process.pid}-${Date.now()}`;
      try {
        const outcome = await gradeHostile('env-secret', { isolation: isolation! });
        expect(hostileProblems(loadHostile('env-secret'), outcome)).toEqual([]);
      } finally {
        delete process.env['OPTNN_HOSTILE_SECRET'];
      }
    }, 60_000);
  }
});

/** Listens on 127.0.0.1 (a free port) and records what arrives; closed (and its sockets destroyed) by `close`. */
async function listener(): Promise<{ port: number; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    received.push('(connection)');
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (d) => received.push(d.toString('utf8').slice(0, 200)));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port, received,
    close: () => new Promise<void>((ok) => { for (const s of sockets) s.destroy(); server.close(() => ok()); }),
  };
}

describe('network', () => {
  it.skipIf(sandboxed === undefined)('under bubblewrap, a connection to 127.0.0.1 on the grader\'s port never arrives (new network namespace)', async () => {
    const server = await listener();
    try {
      const outcome = await gradeHostile('network', { isolation: sandboxed!, prepare: (dir) => fillPlaceholder(dir, '__HOSTILE_PORT__', String(server.port)) });
      await new Promise((r) => setTimeout(r, 300));
      expect(hostileProblems(loadHostile('network'), outcome)).toEqual([]);
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('under the Node-only layers the connection arrives: a known limit (Node 20 has no network permission), said in the case and the security model', async () => {
    const server = await listener();
    try {
      const outcome = await gradeHostile('network', { isolation: nodeOnly, prepare: (dir) => fillPlaceholder(dir, '__HOSTILE_PORT__', String(server.port)) });
      await new Promise((r) => setTimeout(r, 300));
      expect(hostileProblems(loadHostile('network'), outcome)).toEqual([]);
      if (server.received.length > 0) {
        expect(server.received.join(' ')).toMatch(/hostile-network: at import/);
        expect(loadHostile('network').description).toMatch(/Node-only layers the connection arrives.*known limit/);
        expect(securityModel).toMatch(/Without bubblewrap, Node 20's permission model does not stop network access/);
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});

/**
 * kill-parent kills whatever process graded it, so it is graded by a separate driver process:
 * the driver must survive, print its verdicts and leave no child behind.
 */
function gradeInDriver(mode: 'node' | 'bwrap'): { signal: NodeJS.Signals | null; status: number | null; verdicts: Verdict[] | undefined; builds: string[]; stderr: string } {
  const dir = materialise('hostile/special', `kill-parent-${mode}`, join(HOSTILE_CORPUS, 'kill-parent'));
  const driver = join(PROJECT_ROOT, '.work', 'hostile', 'special', `driver-${mode}.ts`);
  writeFileSync(driver, `
import { gradeSubmission } from ${JSON.stringify(join(PROJECT_ROOT, 'graders', 'grade.ts'))};
import { bubblewrap, findBubblewrap, unprivileged } from ${JSON.stringify(join(PROJECT_ROOT, 'runner', 'sandbox.ts'))};
import { watchBuilds } from ${JSON.stringify(join(PROJECT_ROOT, 'test', 'helpers', 'materialise.ts'))};
const watch = watchBuilds(20);
const sandbox = ${JSON.stringify(mode)} === 'bwrap' ? bubblewrap(findBubblewrap()!) : unprivileged;
const verdicts = await gradeSubmission(${JSON.stringify(dir)}, {
  only: ${JSON.stringify(hostileOnly(loadHostile('kill-parent')))},
  isolation: { limits: ${JSON.stringify(TEST_LIMITS)}, sandbox },
  onTest: () => process.stderr.write('BUILDS ' + JSON.stringify(watch.seen()) + '\\n'),
});
process.stderr.write('BUILDS ' + JSON.stringify(watch.stop()) + '\\n');
process.stdout.write(JSON.stringify(verdicts));
`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', driver], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL' });
  rmSync(driver, { force: true });
  const builds = [...run.stderr.matchAll(/^BUILDS (.*)$/gm)].flatMap((m) => JSON.parse(m[1]!) as string[]);
  let verdicts: Verdict[] | undefined;
  try { verdicts = JSON.parse(run.stdout) as Verdict[]; } catch { verdicts = undefined; }
  return { signal: run.signal, status: run.status, verdicts, builds: [...new Set(builds)], stderr: run.stderr.slice(-500) };
}

describe('kill-parent: a submission that kills the grading process', () => {
  it.skipIf(bwrap === undefined)('under bubblewrap the grader survives (its pid is outside the child\'s PID namespace), grades it, and no process is left', async () => {
    const run = gradeInDriver('bwrap');
    expect(run.signal, run.stderr).toBe(null);
    expect(run.status, run.stderr).toBe(0);
    const expectation = loadHostile('kill-parent');
    expect(hostileProblems(expectation, { verdicts: run.verdicts ?? [], builds: run.builds, survivors: [], written: [], markers: [], leftBuilds: [], durationMs: 0 })).toEqual([]);
    expect((await Promise.all(run.builds.map((b) => survivors(b)))).flat()).toEqual([]);
  }, 120_000);

  it('under the Node-only layers, whatever happens to the grader, no child outlives it', async () => {
    const run = gradeInDriver('node');
    expect(run.builds.length, run.stderr).toBeGreaterThan(0);
    expect((await Promise.all(run.builds.map((b) => survivors(b, 5000)))).flat()).toEqual([]);
    if (!root) {
      // Known limit: an ordinary user's grader without bubblewrap shares its uid with the child, which may kill it.
      expect(securityModel).toMatch(/does not stop network access or `process.kill` of\s+other processes of the same user/);
      return;
    }
    // As root, the child runs as uid 65534 and may not signal the grader.
    expect(run.signal, run.stderr).toBe(null);
    expect(run.status, run.stderr).toBe(0);
    expect(hostileProblems(loadHostile('kill-parent'), { verdicts: run.verdicts ?? [], builds: run.builds, survivors: [], written: [], markers: [], leftBuilds: [], durationMs: 0 })).toEqual([]);
  }, 120_000);
});
