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
import { gradeSubmission } from '../../graders/grade.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { buildResult } from '../../results/model.js';
import { writeSubmissionOutputs } from '../../services/grading/outputs.js';
import type { Verdict } from '../../graders/verdict.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';
import {
  bubblewrap,
  childrenIsolated,
  findBubblewrap,
  pidNamespaces,
  unprivileged,
} from '../../runner/sandbox.js';
import {
  HOSTILE_CORPUS,
  PROJECT_ROOT,
  TEST_LIMITS,
  cleanup,
  correctVerdicts,
  fillPlaceholder,
  gradeHostile,
  hostileCases,
  hostileOnly,
  hostileProblems,
  loadHostile,
  materialise,
  processesMentioning,
  survivors,
  watchBuilds,
} from '../helpers/materialise.js';

afterAll(() => {
  for (const area of [
    'hostile/special',
    'hostile/batch',
    'hostile-correct-batch',
    'hostile-out/hostile-special',
    'hostile-out/hostile-batch',
  ])
    cleanup(area);
});

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
      const files = readdirSync(join(HOSTILE_CORPUS, id), { recursive: true, withFileTypes: true }).filter(
        (f) => f.isFile() && f.name !== 'expected.json',
      );
      expect(files.length + Object.keys(e.symlinks ?? {}).length, `${id} changes nothing`).toBeGreaterThan(0);
    }
  });
});

describe('a batch of hostile submissions changes nothing for a correct one', () => {
  const batch = [
    'kill-others',
    'kill-self',
    'buffer-hog',
    'heap-hog',
    'channel-flood',
    'exit-midway',
    'fork-bomb',
    'keeps-alive',
    'write-results',
    'forge-ipc-fd',
    'channel-garbage',
    'patch-tf-ops',
    'huge-output',
  ];

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
  }, 240_000);

  it('under the Node-only layers too: kill(-1) and a channel flood beside a correct submission change none of its verdicts', async () => {
    const alone = await correctVerdicts('hostile-correct-batch', nodeOnly);
    const [during, ...outcomes] = await Promise.all([
      correctVerdicts('hostile-correct-batch', nodeOnly),
      ...['kill-others', 'channel-flood'].map((id) =>
        gradeHostile(id, { area: 'hostile/batch', watch: false, isolation: nodeOnly }),
      ),
    ]);
    expect(during).toEqual(alone);
    expect(hostileProblems(loadHostile('kill-others'), outcomes[0]!)).toEqual([]);
    expect(hostileProblems(loadHostile('channel-flood'), outcomes[1]!)).toEqual([]);
    // Each child has its own PID namespace, so children are isolated from each other; batch grading may rely on it.
    if (root && bwrap !== undefined) expect(pidNamespaces() && childrenIsolated(nodeOnly.sandbox)).toBe(true);
  }, 180_000);
});

describe('the grading process keeps its secrets', () => {
  for (const [layers, isolation] of [
    ['the Node-only layers', nodeOnly],
    ['bubblewrap', sandboxed],
  ] as const) {
    it.skipIf(isolation === undefined)(
      `env-secret, under ${layers}: the child sees no environment variable of the grader`,
      async () => {
        process.env['OPTNN_HOSTILE_SECRET'] = `secret-${process.pid}-${Date.now()}`;
        try {
          const outcome = await gradeHostile('env-secret', { isolation: isolation! });
          expect(hostileProblems(loadHostile('env-secret'), outcome)).toEqual([]);
        } finally {
          delete process.env['OPTNN_HOSTILE_SECRET'];
        }
      },
      60_000,
    );
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
    port: address.port,
    received,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

describe('network', () => {
  it.skipIf(sandboxed === undefined)(
    "under bubblewrap, a connection to 127.0.0.1 on the grader's port never arrives (new network namespace)",
    async () => {
      const server = await listener();
      try {
        const outcome = await gradeHostile('network', {
          isolation: sandboxed!,
          prepare: (dir) => fillPlaceholder(dir, '__HOSTILE_PORT__', String(server.port)),
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(hostileProblems(loadHostile('network'), outcome)).toEqual([]);
        expect(server.received).toEqual([]);
      } finally {
        await server.close();
      }
    },
    60_000,
  );

  it('under the Node-only layers the connection arrives: a known limit (Node 20 has no network permission), said in the case and the security model', async () => {
    const server = await listener();
    try {
      const outcome = await gradeHostile('network', {
        isolation: nodeOnly,
        prepare: (dir) => fillPlaceholder(dir, '__HOSTILE_PORT__', String(server.port)),
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(hostileProblems(loadHostile('network'), outcome)).toEqual([]);
      if (server.received.length > 0) {
        expect(server.received.join(' ')).toMatch(/hostile-network: at import/);
        expect(loadHostile('network').description).toMatch(
          /Node-only layers the connection arrives.*known limit/,
        );
        expect(securityModel).toMatch(
          /Without bubblewrap, Node 20's permission model does not stop network access/,
        );
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
function gradeInDriver(mode: 'node' | 'bwrap'): {
  signal: NodeJS.Signals | null;
  status: number | null;
  verdicts: Verdict[] | undefined;
  builds: string[];
  stderr: string;
} {
  const dir = materialise('hostile/special', `kill-parent-${mode}`, join(HOSTILE_CORPUS, 'kill-parent'));
  const driver = join(PROJECT_ROOT, '.work', 'hostile', 'special', `driver-${mode}.ts`);
  writeFileSync(
    driver,
    `
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
`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', driver], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    killSignal: 'SIGKILL',
  });
  rmSync(driver, { force: true });
  const builds = [...run.stderr.matchAll(/^BUILDS (.*)$/gm)].flatMap((m) => JSON.parse(m[1]!) as string[]);
  let verdicts: Verdict[] | undefined;
  try {
    verdicts = JSON.parse(run.stdout) as Verdict[];
  } catch {
    verdicts = undefined;
  }
  return {
    signal: run.signal,
    status: run.status,
    verdicts,
    builds: [...new Set(builds)],
    stderr: run.stderr.slice(-500),
  };
}

describe('kill-parent: a submission that kills the grading process', () => {
  it.skipIf(bwrap === undefined)(
    "under bubblewrap the grader survives (its pid is outside the child's PID namespace), grades it, and no process is left",
    async () => {
      const run = gradeInDriver('bwrap');
      expect(run.signal, run.stderr).toBe(null);
      expect(run.status, run.stderr).toBe(0);
      const expectation = loadHostile('kill-parent');
      expect(
        hostileProblems(expectation, {
          verdicts: run.verdicts ?? [],
          builds: run.builds,
          survivors: [],
          written: [],
          markers: [],
          leftBuilds: [],
          durationMs: 0,
        }),
      ).toEqual([]);
      expect((await Promise.all(run.builds.map((b) => survivors(b)))).flat()).toEqual([]);
    },
    120_000,
  );

  it('under the Node-only layers, whatever happens to the grader, no child outlives it', async () => {
    const run = gradeInDriver('node');
    expect(run.builds.length, run.stderr).toBeGreaterThan(0);
    expect((await Promise.all(run.builds.map((b) => survivors(b, 5000)))).flat()).toEqual([]);
    if (!root) {
      // Known limit: an ordinary user's grader without bubblewrap shares its uid with the child, which may kill it.
      expect(securityModel).toMatch(
        /does not stop network access[^.]*?\) or `process.kill` of\s+other processes of the same user/,
      );
      return;
    }
    // As root, the child runs as uid 65534 and may not signal the grader.
    expect(run.signal, run.stderr).toBe(null);
    expect(run.status, run.stderr).toBe(0);
    expect(
      hostileProblems(loadHostile('kill-parent'), {
        verdicts: run.verdicts ?? [],
        builds: run.builds,
        survivors: [],
        written: [],
        markers: [],
        leftBuilds: [],
        durationMs: 0,
      }),
    ).toEqual([]);
  }, 120_000);
});

describe("escape-text: a submission's text is neutralised once, in the results model", () => {
  it('no report, summary or gradebook carries an escape, NUL, CR or a line GitHub would run as a workflow command', async () => {
    const outcome = await gradeHostile('escape-text', { area: 'hostile/special' });
    expect(hostileProblems(loadHostile('escape-text'), outcome)).toEqual([]);
    const manifest = loadManifest();
    const result = buildResult(
      outcome.verdicts,
      { ...manifest, tests: manifest.tests.filter((t) => outcome.verdicts.some((v) => v.id === t.id)) },
      {
        submission: { id: 'escape-text', path: '/x' },
        backend: { name: 'test', package: 'test', version: '0' },
        versions: {},
        seeds: { training: 1, fixtures: [1001] },
        hiddenFixtures: false,
        timings: { totalMs: 1 },
      },
    );
    const raw = outcome.verdicts.find((v) => v.id === 'optimizer.Adam.steps')!.message;
    // eslint-disable-next-line no-control-regex
    expect(raw).toMatch(/\x1b\]52;/);
    const out = join(PROJECT_ROOT, '.work', 'hostile', 'special', 'escape-text-out');
    rmSync(out, { recursive: true, force: true });
    const paths = writeSubmissionOutputs(result, out);
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const path of paths) {
      const text = readFileSync(path, 'utf8');
      // eslint-disable-next-line no-control-regex
      expect(text, path).not.toMatch(/[\x00\x1b\x07\x9b]|\r(?!\n)/);
      expect(text, path).not.toMatch(/^\s*::(warning|set-output)/m);
      if (!path.endsWith('.csv')) expect(text, path).toMatch(/HOSTILE-escape/);
    }
    expect(result.tests.find((t) => t.id === 'optimizer.Adam.steps')!.message).toMatch(
      /HOSTILE-escapePASS optimizer\.Adam\.stepsnul\\x0dcr\n {3}: :warning file=x::HOSTILE-annotation\n: :set-output name=score::100\\x9b31m/,
    );
    rmSync(out, { recursive: true, force: true });
  }, 90_000);
});

describe('the time budget is a deadline', () => {
  it('a step that loops forever is killed when the budget runs out, mid-request, not when the next request starts', async () => {
    const started = performance.now();
    const outcome = await gradeHostile('step-infinite-loop', {
      area: 'hostile/special',
      isolation: { budgetMs: 4000 },
    });
    const seconds = (performance.now() - started) / 1000;
    const adam = outcome.verdicts.find((v) => v.id === 'optimizer.Adam.steps')!;
    expect(adam.status).toBe('failed');
    expect(adam.message).toBe(
      "the submission's time budget of 4 s ran out (during Adam, case adam-defaults)",
    );
    // The rest is not run: its budget is spent.
    expect(outcome.verdicts.find((v) => v.id === 'nets')!.message).toBe(
      "not run: the submission's time budget of 4 s ran out",
    );
    expect(seconds).toBeLessThan(9);
    expect(outcome.survivors).toEqual([]);
  }, 60_000);
});

describe('a kill from outside is not charged to the submission', () => {
  for (const [layers, isolation, target] of [
    ['the Node-only layers', nodeOnly, 'node'],
    ['bubblewrap', sandboxed, 'node'],
    // unshare cannot re-raise its child's SIGKILL on itself: it prints so and exits 1.
    ["the Node-only layers (the namespace's init shell killed)", nodeOnly, 'sh'],
  ] as const) {
    it.skipIf(isolation === undefined)(
      `under ${layers}, a correct child killed by SIGKILL mid-request is retried in a fresh process and passes`,
      async () => {
        const dir = materialise(
          'hostile/special',
          `outside-kill-${layers.length}-${target}`,
          join(HOSTILE_CORPUS, 'step-infinite-loop'),
        );
        // A correct Adam, slowed down for its first 60 parameter updates in each process: the outside
        // kill lands while the first case runs, and the retry's cases (the 160-step one included)
        // stay well within the case limit.
        writeFileSync(
          join(dir, 'optimizers', 'adam.ts'),
          readFileSync(join(PROJECT_ROOT, 'reference', 'optimizers', 'adam.ts'), 'utf8').replace(
            'const { m, s } = state;',
            'const slow = globalThis as { slowUpdates?: number };\n    slow.slowUpdates = (slow.slowUpdates ?? 0) + 1;\n    if (slow.slowUpdates <= 60) for (const until = Date.now() + 80; Date.now() < until;) { /* slow */ }\n    const { m, s } = state;',
          ),
        );
        const watch = watchBuilds(20);
        let killed = 0;
        const killer = setInterval(() => {
          if (killed > 0) return;
          for (const build of watch.seen()) {
            // The target (node itself, or the init shell above it) once node runs: its wrappers
            // mention the build too, and start first.
            const running = processesMentioning(build);
            const argv0 = (p: { cmdline: string }): string => p.cmdline.split(' ')[0] ?? '';
            if (!running.some((p) => /(^|\/)node$/.test(argv0(p)))) continue;
            const pids = running
              .filter((p) => new RegExp(`(^|/)${target}$`).test(argv0(p)) && p.cmdline.includes('child.mjs'))
              .map((p) => p.pid);
            const node = pids.at(-1);
            if (node !== undefined && killed === 0) {
              setTimeout(() => {
                try {
                  process.kill(node, 'SIGKILL');
                } catch {
                  /* gone */
                }
              }, 3000);
              killed = node;
            }
          }
        }, 50);
        try {
          const verdicts = await gradeSubmission(dir, {
            only: ['optimizer.Adam.steps'],
            isolation: { limits: TEST_LIMITS, ...isolation! },
          });
          expect(killed).toBeGreaterThan(0);
          // The public cases, and in the TA's copy (which has reference/) a fresh case too.
          expect(verdicts.map((v) => `${v.status}: ${v.message}`)).toEqual([
            expect.stringMatching(/^passed: Adam: \d+ cases agree with the reference at every step$/),
          ]);
        } finally {
          clearInterval(killer);
          watch.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
      90_000,
    );
  }
});

describe('hidden inputs stay hidden', () => {
  it("hidden cases run last, after every visible test is decided: no visible test's message shows a hidden hyperparameter", async () => {
    const hidden = join(PROJECT_ROOT, '.work', 'hostile', 'special', 'hidden-fixtures');
    rmSync(hidden, { recursive: true, force: true });
    await makeHiddenFixtures(hidden, 4242);
    const dir = materialise('hostile/special', 'hidden-leak', join(HOSTILE_CORPUS, 'kill-self'));
    // An Adam that remembers every constructor's arguments in its process and throws them all from each step.
    writeFileSync(
      join(dir, 'optimizers', 'adam.ts'),
      readFileSync(join(PROJECT_ROOT, 'reference', 'optimizers', 'adam.ts'), 'utf8')
        .replace('export class Adam', 'const seen: string[] = [];\nexport class Adam')
        .replace(
          "super(['m', 's']",
          "seen.push(JSON.stringify([lr, gradDecay, squaredGradDecay, eps]));\n    super(['m', 's']",
        )
        .replace('const { m, s } = state;', 'throw new Error(`HOSTILE-seen ${seen.join(" ")}`);'),
    );
    // The tuning test, after the hidden ones in the manifest, retrains with this Adam too.
    writeFileSync(
      join(dir, 'tuning.json'),
      JSON.stringify({
        optimizer: 'Adam',
        hyperparameters: { lr: 0.002 },
        batchSize: 64,
        claimed: { valLoss: 0.2, testAccuracy: 0.9 },
      }),
    );
    try {
      const only = [
        'optimizer.Adam.steps',
        'optimizer.Adam.hidden',
        'optimizer.Adam.closed-loop',
        'optimizer.Adam.properties',
        'tuning',
      ];
      const verdicts = await gradeSubmission(dir, {
        only,
        hiddenDir: hidden,
        isolation: { limits: TEST_LIMITS, ...nodeOnly },
      });
      expect(verdicts.map((v) => v.id)).toEqual(
        loadManifest()
          .tests.map((t) => t.id)
          .filter((id) => only.includes(id)),
      );
      const hiddenArgs = readdirSync(hidden)
        .flatMap((f) =>
          (
            JSON.parse(readFileSync(join(hidden, f), 'utf8')) as {
              cases: Array<{ input: { optimizer: string; args: number[] } }>;
            }
          ).cases
            .filter((c) => c.input.optimizer === 'Adam')
            .map((c) => JSON.stringify(c.input.args)),
        )
        .filter(
          (args) =>
            !readFileSync(join(PROJECT_ROOT, 'fixtures', 'public', 'adam.json'), 'utf8').includes(
              args.slice(1, -1),
            ) && args !== '[0.01,0.9,0.999,1e-8]',
        );
      expect(hiddenArgs.length).toBeGreaterThan(0);
      for (const v of verdicts) {
        expect(v.status, v.id).toBe('failed');
        expect(v.message, v.id).toMatch(/HOSTILE-seen/);
        if (!v.id.endsWith('.hidden'))
          for (const args of hiddenArgs) expect(v.message, v.id).not.toContain(args);
      }
      // The hidden test's own message may show them: it is as visible as the hidden test.
      expect(
        hiddenArgs.some((args) =>
          verdicts.find((v) => v.id === 'optimizer.Adam.hidden')!.message.includes(args),
        ),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(hidden, { recursive: true, force: true });
    }
  }, 240_000);
});
