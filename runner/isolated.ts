/**
 * Runs a built submission in a child process under Node's permission model and answers requests
 * with what the child observed. Always-on layers: an empty environment; read access only to the
 * bundle and node_modules; no write, child-process, worker or addon permission; a V8 heap limit; a
 * time limit per request, counted in the child's CPU time (so a loaded machine does not flip a
 * verdict) with a wall-clock backstop, that kills the whole process tree; a memory watchdog over
 * the tree; capped output; a framed channel on fd 3 parsed here with limits (runner/frame-reader.ts).
 * The sandbox command (runner/sandbox.ts) adds namespaces and the uid drop.
 */
import type { SandboxCommand } from './sandbox.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { PROJECT_ROOT, type BuildResult } from './build.js';
import { newKey } from './channel-auth.js';
import { CHANNEL_LIMITS, frame, type ChannelLimits, type FromChild, type ToChild } from './channel.js';
import { FrameReader, parseFrame } from './frame-reader.js';
import { Guarded } from './guard.js';
import { killTree, measurable, treeCpuMs, treeRss, watchedTree } from './process-tree.js';
import { channelFlags, permissionFlag } from './node-flags.js';
import { childPaths } from './sandbox.js';
import type { Request } from './protocol.js';

export type { FromChild, ToChild } from './channel.js';

export interface IsolationLimits {
  /** Resident memory of the whole tree, MiB. */
  memoryMiB: number;
  /** V8 old-space limit of the child, MiB. */
  heapMiB: number;
  /** Starting the child and loading the submission, ms of the child's CPU time. */
  loadMs: number;
  /** Bytes of stdout and of stderr kept (the rest is counted and dropped). */
  outputBytes: number;
  /** Caps on what the child writes on the channel. */
  channel?: ChannelLimits;
}

export const DEFAULT_LIMITS: IsolationLimits = {
  memoryMiB: 2048,
  heapMiB: 1024,
  loadMs: 30_000,
  outputBytes: 16_384,
};

/** A time limit in CPU time is also a wall-clock limit this many times longer (for a child that idles). */
export const WALL_FACTOR = 2;

/** A loaded submission's exports (name → typeof), or why it did not load. */
export type Prepared = { ok: true; exports: Record<string, string> } | { ok: false; message: string };

/**
 * How a child failed. `signal`: it died from a signal the grader did not send (the OOM killer, an
 * administrator, another process): not the submission's doing as far as the grader can show.
 */
export type Failure = {
  kind: 'timeout' | 'memory' | 'exit' | 'protocol' | 'signal' | 'budget' | 'closed';
  message: string;
};
export type ChildOutcome = (
  { ok: true; result: unknown } | { ok: false; error: string } | { ok: false; failure: Failure }
) & {
  /** What the child printed (stdout and stderr, interleaved) while it served the request, capped. */
  printed?: string;
};

/** Characters of a request's output kept for the student's eyes (the rest is counted). */
export const PRINTED_PER_REQUEST = 4096;

/** Signals a process raises on itself when it crashes (V8's abort on heap exhaustion is SIGABRT). */
const SELF_INFLICTED = new Set(['SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS']);

const SHELL_REPORT =
  /^(Killed|Terminated|Hangup|Aborted|Segmentation fault|Bus error|Illegal instruction|Floating point exception)( \(core dumped\))?$/;
/**
 * What util-linux's `unshare --fork` prints, exiting 1, when its child (the namespace's init shell)
 * dies from SIGKILL: it cannot re-raise that signal on itself. A death by SIGKILL, not an exit.
 */
const UNSHARE_KILLED = /^unshare: sigprocmask unblock failed/;

interface Waiting {
  label: string;
  limitMs: number;
  cpuAtStart: number;
  timer: NodeJS.Timeout;
  /** For a request: its id; for the start and the load: the next message. */
  id?: number;
  resolve: (message: FromChild | { type: 'failure'; failure: Failure }) => void;
}

/** The child did not come up; `failure` says how it ended, when it did. */
export class ChildStartFailed extends Error {
  constructor(
    message: string,
    readonly failure: Failure | undefined,
  ) {
    super(message);
    this.name = 'ChildStartFailed';
  }
}

export class IsolatedChild {
  private nextId = 1;
  private dead: Failure | undefined;
  private readonly watchdog: NodeJS.Timeout;
  /** The child's stderr, up to the output limit: its last words say how it ended. */
  private stderr = '';
  /** The output of the request being served (both streams in order), capped at PRINTED_PER_REQUEST. */
  private served: { text: string; dropped: number } | undefined;
  private waiting: Waiting | undefined;
  private readonly reader: FrameReader;
  private cpuMs = 0;
  /** The watchdog on its own thread (runner/guard.ts), which holds the limits while this thread is busy. */
  private readonly guard: Guarded | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly channel: Socket,
    private readonly limits: IsolationLimits,
    private readonly key: Buffer,
  ) {
    this.reader = new FrameReader(
      limits.channel ?? CHANNEL_LIMITS,
      (line) => this.onFrame(line),
      (problem) => this.fail({ kind: 'protocol', message: `the submission's process ${problem}` }),
    );
    channel.on('data', (chunk: Buffer) => this.reader.push(chunk));
    channel.on('error', () => {
      /* the child went away; 'close' of the process says how */
    });
    child.on('error', (error) =>
      this.fail({ kind: 'exit', message: `could not run the child process: ${error.message}` }),
    );
    // 'close' comes after the output streams end, so the last words on stderr are there.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => this.onExit(code, signal));
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.on('error', () => undefined);
      child[stream]?.on('data', (chunk: Buffer) => {
        if (stream === 'stderr') {
          const room = limits.outputBytes - this.stderr.length;
          if (room > 0) this.stderr += chunk.toString('utf8', 0, Math.min(room, chunk.length));
        }
        const served = this.served;
        if (served !== undefined) {
          const left = PRINTED_PER_REQUEST - served.text.length;
          if (left > 0) served.text += chunk.toString('utf8', 0, Math.min(left, chunk.length));
          if (chunk.length > left) served.dropped += chunk.length - Math.max(left, 0);
        }
      });
    }
    this.watchdog = setInterval(() => this.watch(), 200);
    this.guard =
      child.pid === undefined ? undefined : Guarded.watch(child.pid, limits.memoryMiB * 1024 * 1024);
  }

  /** Starts the child on a built submission and waits until its channel is up. */
  static async start(
    build: BuildResult,
    backend: string,
    limits: IsolationLimits = DEFAULT_LIMITS,
    sandbox?: SandboxCommand,
  ): Promise<IsolatedChild> {
    // Where the child's uid cannot reach the project or Node, the sandbox binds them at staged paths (runner/sandbox.ts).
    const paths = childPaths(PROJECT_ROOT, build.dir);
    const nodeArgs = [
      permissionFlag(),
      ...channelFlags(),
      `--allow-fs-read=${build.dir}/`,
      `--allow-fs-read=${paths.modules}/`,
      // (Node 20 aborts when the same path is allowed twice.)
      ...(paths.modulesReal === paths.modules ? [] : [`--allow-fs-read=${paths.modulesReal}/`]),
      `--max-old-space-size=${limits.heapMiB}`,
      '--no-warnings',
      build.entry,
      backend,
    ];
    const prefix = sandbox?.(paths) ?? [];
    // Never /usr/bin/node nor PATH's: the grader's own binary, at the path the sandbox shows it.
    const [file, ...args] = [...prefix, prefix.length > 0 ? paths.node : paths.nodeReal, ...nodeArgs];
    const child = spawn(file!, args, {
      env: {},
      detached: true,
      cwd: build.dir,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const channel = child.stdio[3] as Socket;
    const key = newKey();
    const isolated = new IsolatedChild(child, channel, limits, Buffer.from(key, 'hex'));
    isolated.send({ type: 'hello', key });
    const ready = await isolated.wait(limits.loadMs, 'starting the child process');
    if (ready.type !== 'ready')
      throw new ChildStartFailed(
        `the child process did not start: ${isolated.describe(ready)}`,
        ready.type === 'failure' ? ready.failure : undefined,
      );
    return isolated;
  }

  /** Loads the submission's module (its top-level code runs now). */
  async load(): Promise<Prepared> {
    if (this.dead) return { ok: false, message: this.dead.message };
    this.send({ type: 'load' });
    const message = await this.wait(this.limits.loadMs, 'loading the submission (its top-level code)');
    if (message.type === 'loaded') return { ok: true, exports: message.exports };
    if (message.type === 'load-failed')
      return { ok: false, message: `the submission failed to load: ${message.message}` };
    return { ok: false, message: this.describe(message) };
  }

  /** One request; resolves with the child's answer or with how the child failed. */
  async request(request: Request, limitMs: number, label: string): Promise<ChildOutcome> {
    if (this.dead) return { ok: false, failure: this.dead };
    const id = this.nextId++;
    const served = (this.served = { text: '', dropped: 0 });
    this.send({ type: 'request', id, request });
    const message = await this.wait(limitMs, `in ${label}`, id);
    // What came after the answer belongs to no request.
    this.served = undefined;
    const printed =
      served.text === ''
        ? {}
        : { printed: served.dropped > 0 ? `${served.text}\n… (${served.dropped} more bytes)` : served.text };
    if (message.type === 'failure') return { ok: false, failure: message.failure, ...printed };
    if (message.type === 'response')
      return 'error' in message
        ? { ok: false, error: message.error, ...printed }
        : { ok: true, result: message.result, ...printed };
    return { ok: false, failure: { kind: 'protocol', message: this.describe(message) }, ...printed };
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** How the child ended, when it did. */
  get failure(): Failure | undefined {
    return this.dead;
  }

  /** Ends the child (with `failure` as what is pending gets, e.g. the budget running out). */
  close(failure: Failure = { kind: 'closed', message: 'closed by the grader' }): void {
    this.fail(failure);
  }

  private send(message: ToChild): void {
    try {
      this.channel.write(frame(message));
    } catch (error) {
      this.fail({ kind: 'exit', message: `could not reach the child process: ${(error as Error).message}` });
    }
  }

  private describe(message: FromChild | { type: 'failure'; failure: Failure }): string {
    return message.type === 'failure'
      ? message.failure.message
      : `the submission's process sent an unexpected '${message.type}' message on the grader's channel`;
  }

  /** The next message (or, for a request, its answer), within `limitMs` of CPU time and WALL_FACTOR times that of wall clock. */
  private wait(
    limitMs: number,
    label: string,
    id?: number,
  ): Promise<FromChild | { type: 'failure'; failure: Failure }> {
    return new Promise((resolve) => {
      if (this.dead) {
        resolve({ type: 'failure', failure: this.dead });
        return;
      }
      this.reader.startWindow();
      const cpuAtStart = this.cpuMs;
      const wallMs = limitMs * WALL_FACTOR;
      const timer = setTimeout(() => {
        // Only a measurement made is stated (runner/process-tree.ts: none without /proc and ps).
        const used = measurable()
          ? `it used ${((this.readCpu() - cpuAtStart) / 1000).toFixed(1)} s of CPU time`
          : 'its CPU time cannot be measured here';
        this.fail({
          kind: 'timeout',
          message: `timed out after ${wallMs / 1000} s ${label} (wall clock; ${used})`,
        });
      }, wallMs);
      this.waiting = { label, limitMs, cpuAtStart, timer, resolve, ...(id === undefined ? {} : { id }) };
      this.guard?.limit(limitMs, wallMs);
    });
  }

  /** The CPU time of the child's tree so far (never less than read before); `tree`: its processes, when read already. */
  private readCpu(tree?: readonly number[]): number {
    const pid = this.child.pid;
    if (pid !== undefined) this.cpuMs = Math.max(this.cpuMs, treeCpuMs(pid, false, tree));
    return this.cpuMs;
  }

  private watch(): void {
    const pid = this.child.pid;
    // Where the tree cannot be read, no limit is claimed from it (the wall-clock backstops remain).
    if (pid === undefined || this.dead || !measurable()) return;
    // One reading of the tree for both limits.
    const tree = watchedTree(pid);
    const rss = treeRss(pid, tree);
    if (rss > this.limits.memoryMiB * 1024 * 1024) {
      this.fail({
        kind: 'memory',
        message: `memory limit ${this.limits.memoryMiB} MiB exceeded (the process tree used ${Math.round(rss / 1048576)} MiB)`,
      });
      return;
    }
    const waiting = this.waiting;
    if (waiting !== undefined && this.readCpu(tree) - waiting.cpuAtStart > waiting.limitMs) {
      this.fail({
        kind: 'timeout',
        message: `timed out after ${waiting.limitMs / 1000} s of CPU time ${waiting.label}`,
      });
    }
  }

  /** The failure the guard found, when it killed the child while this thread was busy. */
  private guarded(): Failure | undefined {
    const verdict = this.guard?.verdict();
    if (verdict === undefined) return undefined;
    const label = this.waiting?.label ?? 'between requests';
    if (verdict.kind === 'memory')
      return {
        kind: 'memory',
        message: `memory limit ${this.limits.memoryMiB} MiB exceeded (the process tree used ${Math.round(verdict.rssBytes / 1048576)} MiB)`,
      };
    if (verdict.kind === 'cpu')
      return {
        kind: 'timeout',
        message: `timed out after ${(this.waiting?.limitMs ?? verdict.cpuMs) / 1000} s of CPU time ${label}`,
      };
    return { kind: 'timeout', message: `timed out after ${verdict.wallMs / 1000} s ${label} (wall clock)` };
  }

  private onFrame(line: string): void {
    if (this.dead) return;
    const guarded = this.guarded();
    if (guarded !== undefined) {
      this.fail(guarded);
      return;
    }
    const parsed = parseFrame(this.key, line);
    if (!parsed.ok) {
      this.fail({ kind: 'protocol', message: `the submission's process ${parsed.problem}` });
      return;
    }
    const message = parsed.message;
    const waiting = this.waiting;
    // An answer to nothing asked (an old id, or nothing pending) is dropped.
    if (waiting === undefined) return;
    if (message.type === 'response' && message.id !== waiting.id) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    this.guard?.unlimit();
    waiting.resolve(message);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.dead) return;
    const guarded = this.guarded();
    if (guarded !== undefined) {
      this.fail(guarded);
      return;
    }
    // Through a sandbox (bubblewrap, a shell as the namespace's init) a killed child shows as an exit code of 128 + the signal's number.
    const unshareKilled = code === 1 && UNSHARE_KILLED.test(this.stderr.trim().split('\n').at(-1) ?? '');
    const signalName =
      signal ??
      (unshareKilled ? 'SIGKILL' : undefined) ??
      (code !== null && code > 128
        ? Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0]
        : undefined);
    // The init shell of the Node-only layers reports its child's death ("Killed"): not the submission's words.
    const lines = this.stderr.trim().split('\n');
    if (signalName !== undefined && (SHELL_REPORT.test(lines.at(-1) ?? '') || unshareKilled)) lines.pop();
    const printed = lines.slice(-3).join(' / ');
    const how = signalName !== undefined ? `was killed by ${signalName}` : `exited with code ${code}`;
    const heap = /heap out of memory|Allocation failed/.test(this.stderr)
      ? ` (JavaScript heap limit ${this.limits.heapMiB} MiB exceeded)`
      : '';
    const kind = signalName !== undefined && !SELF_INFLICTED.has(signalName) && !heap ? 'signal' : 'exit';
    this.fail({
      kind,
      message: `the submission's process ${how}${heap}${printed && !heap ? `; it printed: ${printed.slice(0, 300)}` : ''}`,
    });
  }

  private fail(failure: Failure): void {
    if (this.dead) return;
    this.dead = failure;
    clearInterval(this.watchdog);
    this.guard?.release();
    if (this.child.pid !== undefined) killTree(this.child.pid);
    this.channel.destroy();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) {
      clearTimeout(waiting.timer);
      waiting.resolve({ type: 'failure', failure });
    }
  }
}
