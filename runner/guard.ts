/**
 * A second watchdog on a thread of its own. The grading process's own watchdog (a timer in
 * runner/isolated.ts) shares an event loop with everything else the process does, parsing what a
 * child wrote among it: while a long frame is parsed, that timer cannot run, and a child could grow
 * past its memory limit or run past its time meanwhile. The guard runs on a worker thread, reads
 * the same /proc figures on its own clock, and kills the child's tree itself when a limit is
 * passed, leaving what it saw in shared memory for the grading process to report once it is free.
 * Its code is a string of plain JavaScript (no module of the project), so it runs the same from the
 * sources, from the bundled grading command and from a release. Where /proc is missing it watches
 * only the wall clock; runner/isolated.ts says what is measured where.
 */
import { Worker } from 'node:worker_threads';

/** How often the guard reads the trees it watches. */
const TICK_MS = 100;
/** Children one grading process can put under the guard; a slot is never used twice, so no verdict is stale. */
const SLOTS = 4096;
/** The guard acts this much after the limit, so that the grading process's own check comes first when it can. */
export const GUARD_GRACE_MS = 1000;

export type GuardVerdict =
  { kind: 'memory'; rssBytes: number } | { kind: 'cpu'; cpuMs: number } | { kind: 'wall'; wallMs: number };

const CODES = { memory: 1, cpu: 2, wall: 3 } as const;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const status = new Int32Array(workerData.status);
const figure = new Float64Array(workerData.figure);
const watched = new Map();
const fields = (pid) => {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch { return undefined; }
};
const childrenOf = (pid) => {
  const out = [];
  let tasks = [];
  try { tasks = fs.readdirSync('/proc/' + pid + '/task'); } catch { return out; }
  for (const tid of tasks) {
    try {
      for (const word of fs.readFileSync('/proc/' + pid + '/task/' + tid + '/children', 'utf8').split(' '))
        if (/^[0-9]+$/.test(word)) out.push(Number(word));
    } catch {}
  }
  return out;
};
const treeOf = (pid) => {
  const tree = [pid];
  const seen = new Set(tree);
  for (let i = 0; i < tree.length && tree.length < 100000; i++)
    for (const child of childrenOf(tree[i])) if (!seen.has(child)) { seen.add(child); tree.push(child); }
  return tree;
};
const rssOf = (pid) => {
  try {
    const match = /VmRSS:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch { return 0; }
};
const cpuOf = (tree) => {
  let ticks = 0;
  for (const p of tree) { const f = fields(p); if (f !== undefined) ticks += Number(f[11]) + Number(f[12]); }
  return ticks * 10;
};
const kill = (pid, tree) => {
  try { process.kill(-pid, 'SIGKILL'); } catch {}
  for (const p of tree.reverse()) { try { process.kill(p, 'SIGKILL'); } catch {} }
};
const verdict = (slot, code, value, pid, tree) => {
  figure[slot] = value;
  Atomics.store(status, slot, code);
  kill(pid, tree);
  watched.delete(slot);
};
parentPort.on('message', (m) => {
  if (m.type === 'watch') watched.set(m.slot, { pid: m.pid, memoryBytes: m.memoryBytes, limit: undefined });
  const w = watched.get(m.slot);
  if (w === undefined) return;
  if (m.type === 'limit')
    w.limit = { cpuMs: m.cpuMs, cpuStart: cpuOf(treeOf(w.pid)), wallEnd: Date.now() + m.wallMs, wallMs: m.wallMs };
  else if (m.type === 'unlimit') w.limit = undefined;
  else if (m.type === 'release') watched.delete(m.slot);
});
setInterval(() => {
  for (const [slot, w] of [...watched]) {
    const tree = treeOf(w.pid);
    const rss = tree.reduce((sum, p) => sum + rssOf(p), 0);
    if (rss > w.memoryBytes) { verdict(slot, ${CODES.memory}, rss, w.pid, tree); continue; }
    if (w.limit === undefined) continue;
    const used = cpuOf(tree) - w.limit.cpuStart;
    if (used > w.limit.cpuMs) verdict(slot, ${CODES.cpu}, used, w.pid, tree);
    else if (Date.now() > w.limit.wallEnd) verdict(slot, ${CODES.wall}, w.limit.wallMs, w.pid, tree);
  }
}, ${TICK_MS});
`;

let shared: { worker: Worker; status: Int32Array; figure: Float64Array; next: number } | undefined;

function guardThread(): NonNullable<typeof shared> {
  if (shared !== undefined) return shared;
  const status = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const figure = new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT);
  const worker = new Worker(SOURCE, { eval: true, workerData: { status, figure } });
  // It never keeps the grading process alive, and its failure is never the submission's.
  worker.unref();
  worker.on('error', () => undefined);
  shared = {
    worker,
    status: new Int32Array(status),
    figure: new Float64Array(figure),
    next: 0,
  };
  return shared;
}

/** One child under the guard: its limits while a request runs, and what the guard did. */
export class Guarded {
  private released = false;

  private constructor(private readonly slot: number | undefined) {}

  /** Watches `pid`'s tree for `memoryBytes` of resident memory (no guard when every slot is taken). */
  static watch(pid: number, memoryBytes: number): Guarded {
    const thread = guardThread();
    if (thread.next >= SLOTS) return new Guarded(undefined);
    const slot = thread.next++;
    thread.worker.postMessage({ type: 'watch', slot, pid, memoryBytes });
    return new Guarded(slot);
  }

  /** A request runs: its CPU-time and wall-clock limits, which the guard enforces GUARD_GRACE_MS late. */
  limit(cpuMs: number, wallMs: number): void {
    if (this.slot === undefined || this.released) return;
    guardThread().worker.postMessage({
      type: 'limit',
      slot: this.slot,
      cpuMs: cpuMs + GUARD_GRACE_MS,
      wallMs: wallMs + GUARD_GRACE_MS,
    });
  }

  unlimit(): void {
    if (this.slot === undefined || this.released) return;
    guardThread().worker.postMessage({ type: 'unlimit', slot: this.slot });
  }

  /** What the guard did, when it killed the child. */
  verdict(): GuardVerdict | undefined {
    if (this.slot === undefined) return undefined;
    const thread = guardThread();
    const code = Atomics.load(thread.status, this.slot);
    const value = thread.figure[this.slot]!;
    if (code === CODES.memory) return { kind: 'memory', rssBytes: value };
    if (code === CODES.cpu) return { kind: 'cpu', cpuMs: value };
    if (code === CODES.wall) return { kind: 'wall', wallMs: value };
    return undefined;
  }

  /** The child is done with: the guard stops watching it (its verdict stays readable). */
  release(): void {
    if (this.slot === undefined || this.released) return;
    this.released = true;
    guardThread().worker.postMessage({ type: 'release', slot: this.slot });
  }
}
