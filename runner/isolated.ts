/**
 * Runs a built submission in a child process under Node's permission model and answers requests
 * with what the child observed. Always-on layers: an empty environment; read access only to the
 * bundle and node_modules; no write, child-process, worker or addon permission; a V8 heap limit; a
 * wall-clock timeout per request that kills the whole process tree; a memory watchdog over the tree;
 * capped output. Where bubblewrap is given, the child also runs in fresh network, PID, IPC and mount
 * namespaces (see `sandboxCommand`).
 */
import { execa, type ResultPromise } from 'execa';
import type { FromChild, ToChild } from './child.js';
import { PROJECT_ROOT, type BuildResult } from './build.js';
import { newKey, unseal } from './channel-auth.js';
import { killTree, treeRss } from './process-tree.js';
import type { Request } from './protocol.js';
import { realpathSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';

export interface IsolationLimits {
  /** Resident memory of the whole tree, MiB. */
  memoryMiB: number;
  /** V8 old-space limit of the child, MiB. */
  heapMiB: number;
  /** Starting the child and loading the submission, ms. */
  loadMs: number;
  /** Bytes of stdout and of stderr kept (the rest is counted and dropped). */
  outputBytes: number;
}

export const DEFAULT_LIMITS: IsolationLimits = { memoryMiB: 2048, heapMiB: 1024, loadMs: 30_000, outputBytes: 16_384 };

/** A loaded submission's exports (name → typeof), or why it did not load. */
export type Prepared = { ok: true; exports: Record<string, string> } | { ok: false; message: string };

export type Failure = { kind: 'timeout' | 'memory' | 'exit' | 'protocol'; message: string };
export type ChildOutcome = { ok: true; result: unknown } | { ok: false; error: string } | { ok: false; failure: Failure };

/** A command prefix that runs the child in a sandbox, or [] for none. */
export type SandboxCommand = (paths: { build: string; modules: string; modulesReal: string }) => string[];

interface Pending {
  resolve: (outcome: ChildOutcome) => void;
  timer: NodeJS.Timeout;
  label: string;
  timeoutMs: number;
}

export class IsolatedChild {
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Failure | undefined;
  private readonly watchdog: NodeJS.Timeout;
  private readonly output = { stdout: '', stderr: '', droppedBytes: 0 };
  private waiters: Array<(message: FromChild) => void> = [];

  private constructor(private readonly child: ResultPromise, private readonly limits: IsolationLimits, private readonly key: Buffer) {
    child.on('message', (raw: unknown) => this.onMessage(raw));
    // 'close' comes after the output streams end, so the last words on stderr are there.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => this.onExit(code, signal));
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.on('data', (chunk: Buffer) => {
        const room = limits.outputBytes - this.output[stream].length;
        if (room > 0) this.output[stream] += chunk.toString('utf8', 0, Math.min(room, chunk.length));
        if (chunk.length > room) this.output.droppedBytes += chunk.length - Math.max(room, 0);
      });
    }
    this.watchdog = setInterval(() => {
      const pid = child.pid;
      if (pid === undefined || this.dead) return;
      const rss = treeRss(pid);
      if (rss > limits.memoryMiB * 1024 * 1024) {
        this.fail({ kind: 'memory', message: `memory limit ${limits.memoryMiB} MiB exceeded (the process tree used ${Math.round(rss / 1048576)} MiB)` });
      }
    }, 200);
  }

  /** Starts the child on a built submission and waits until its channel is up. */
  static async start(build: BuildResult, backend: string, limits: IsolationLimits = DEFAULT_LIMITS, sandbox?: SandboxCommand): Promise<IsolatedChild> {
    const modules = join(PROJECT_ROOT, 'node_modules');
    // node_modules may be a symlink (pnpm, a shared install): Node reads through its real path.
    const modulesReal = realpathSync(modules);
    const nodeArgs = [
      '--experimental-permission', `--allow-fs-read=${build.dir}/`, `--allow-fs-read=${modules}/`,
      // (Node 20 aborts when the same path is allowed twice.)
      ...(modulesReal === modules ? [] : [`--allow-fs-read=${modulesReal}/`]),
      `--max-old-space-size=${limits.heapMiB}`, '--no-warnings', build.entry, backend,
    ];
    const prefix = sandbox?.({ build: build.dir, modules, modulesReal }) ?? [];
    const [file, ...args] = prefix.length > 0 ? [...prefix, process.execPath, ...nodeArgs] : [process.execPath, ...nodeArgs];
    const child = execa(file!, args, {
      ipc: true, serialization: 'json', env: {}, extendEnv: false, detached: true, cwd: build.dir,
      stdin: 'ignore', buffer: false, reject: false, cleanup: false,
    });
    const key = newKey();
    const isolated = new IsolatedChild(child, limits, Buffer.from(key, 'hex'));
    child.send({ type: 'hello', key } satisfies ToChild);
    const ready = await isolated.nextMessage(limits.loadMs, 'starting the child process');
    if (ready.type !== 'ready') throw new Error(`the child process did not start: ${isolated.describe(ready)}`);
    return isolated;
  }

  /** Loads the submission's module (its top-level code runs now). */
  async load(): Promise<Prepared> {
    if (this.dead) return { ok: false, message: this.dead.message };
    this.child.send({ type: 'load' } satisfies ToChild);
    const message = await this.nextMessage(this.limits.loadMs, 'loading the submission (its top-level code)');
    if (message.type === 'loaded') return { ok: true, exports: message.exports };
    if (message.type === 'load-failed') return { ok: false, message: `the submission failed to load: ${message.message}` };
    return { ok: false, message: this.describe(message) };
  }

  /** One request; resolves with the child's answer or with how the child failed. */
  request(request: Request, timeoutMs: number, label: string): Promise<ChildOutcome> {
    if (this.dead) return Promise.resolve({ ok: false, failure: this.dead });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.fail({ kind: 'timeout', message: `timed out after ${timeoutMs / 1000} s in ${label}` });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer, label, timeoutMs });
      try {
        this.child.send({ type: 'request', id, request } satisfies ToChild);
      } catch (error) {
        this.fail({ kind: 'exit', message: `could not reach the child process: ${(error as Error).message}` });
      }
    });
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** What the submission printed (capped), for the TA's eyes only. */
  get printed(): { stdout: string; stderr: string; droppedBytes: number } {
    return { ...this.output };
  }

  close(): void {
    if (!this.dead) this.fail({ kind: 'exit', message: 'closed by the grader' });
  }

  private describe(message: FromChild | { type: 'failure'; failure: Failure }): string {
    return message.type === 'failure' ? message.failure.message : `unexpected message from the child: ${JSON.stringify(message).slice(0, 200)}`;
  }

  private nextMessage(timeoutMs: number, label: string): Promise<FromChild | { type: 'failure'; failure: Failure }> {
    return new Promise((resolve) => {
      if (this.dead) { resolve({ type: 'failure', failure: this.dead }); return; }
      const timer = setTimeout(() => {
        this.fail({ kind: 'timeout', message: `timed out after ${timeoutMs / 1000} s ${label}` });
      }, timeoutMs);
      this.waiters.push((message) => { clearTimeout(timer); resolve(message); });
      this.onDeath = (failure) => { clearTimeout(timer); resolve({ type: 'failure', failure }); };
    });
  }

  private onDeath: ((failure: Failure) => void) | undefined;

  private onMessage(raw: unknown): void {
    const opened = unseal(this.key, raw);
    if (opened === undefined) {
      this.fail({ kind: 'protocol', message: 'the submission sent a forged message on the grader\'s channel (not sealed with the grader\'s key)' });
      return;
    }
    const message = opened as FromChild;
    if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
    if (message.type === 'response') {
      const pending = this.pending.get(message.id);
      if (pending === undefined) return; // an answer to nothing asked: ignored
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve('error' in message ? { ok: false, error: String(message.error) } : { ok: true, result: message.result });
      return;
    }
    const waiter = this.waiters.shift();
    waiter?.(message);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.dead) {
      const printed = this.output.stderr.trim().split('\n').slice(-3).join(' / ');
      // Through bubblewrap a killed child shows as an exit code of 128 + the signal's number.
      const signalName = signal ?? (code !== null && code > 128 ? Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0] : undefined);
      const how = signalName !== undefined ? `was killed by ${signalName}` : `exited with code ${code}`;
      const heap = /heap out of memory|Allocation failed/.test(this.output.stderr) ? ` (JavaScript heap limit ${this.limits.heapMiB} MiB exceeded)` : '';
      this.fail({ kind: 'exit', message: `the submission's process ${how}${heap}${printed && !heap ? `; it printed: ${printed.slice(0, 300)}` : ''}` });
    }
  }

  private fail(failure: Failure): void {
    if (this.dead) return;
    this.dead = failure;
    clearInterval(this.watchdog);
    if (this.child.pid !== undefined) killTree(this.child.pid);
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, failure });
    }
    this.pending.clear();
    this.onDeath?.(failure);
    this.waiters = [];
  }
}
