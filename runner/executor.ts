/**
 * How the grading process gets a submission's observations: `IsolatedExecutor` builds the
 * submission and asks a confined child process; `InProcessExecutor` imports it here (only for
 * trusted code: the reference, and the self-tests' comparisons). Both return answers validated
 * against the protocol's schemas, so the graders see the same data either way.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Submission } from '../contract/index.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { loadMnist } from '../course/data/mnist.js';
import { HarnessError } from '../course/errors.js';
import { BuildRefused, buildSubmission, PROJECT_ROOT, type BuildResult } from './build.js';
import { dispatch } from './dispatch.js';
import { encode } from './encode.js';
import {
  ChildStartFailed,
  DEFAULT_LIMITS,
  IsolatedChild,
  type IsolationLimits,
  type Prepared,
} from './isolated.js';
import { Lanes, type Lane } from './lanes.js';
import type { SandboxCommand } from './sandbox.js';
import { describeThrown } from './optimizer-case.js';
import { decode, responseProblems, type Request } from './protocol.js';
import {
  bubblewrap,
  childAccessProblem,
  childStaging,
  childrenIsolated,
  findBubblewrap,
  unprivileged,
} from './sandbox.js';

export type ExecOutcome =
  { ok: true; result: unknown } | { ok: false; status: 'failed' | 'error'; message: string };

export interface Executor {
  /** Builds and loads the submission; a failure here is the submission's (it fails every test). */
  prepare(): Promise<Prepared>;
  /**
   * One request; `group` (default "visible") names which child may serve it: a child serves one
   * group only. `served` is called when a child takes it up (after any wait for a free one).
   */
  run(request: Request, label: string, group?: string, served?: () => void): Promise<ExecOutcome>;
  close(): void;
  /** How many requests it serves at once (default 1: the grading loop then runs one check at a time). */
  readonly lanes?: number;
}

/** Time limits per request kind, ms of the child's CPU time (and WALL_FACTOR times that of wall clock). */
export const REQUEST_TIMEOUTS: Record<Request['kind'], number> = {
  case: 10_000,
  'probe-optimizer': 20_000,
  nets: 20_000,
  data: 20_000,
  step: 10_000,
  loop: 30_000,
  training: 60_000,
  tuning: 120_000,
};

function checked(kind: Request['kind'], raw: unknown): ExecOutcome {
  const problems = responseProblems(kind, raw);
  if (problems.length > 0)
    return {
      ok: false,
      status: 'failed',
      message: `the submission's process returned a malformed answer: ${problems.slice(0, 3).join('; ')}`,
    };
  return { ok: true, result: decode(raw) };
}

export class InProcessExecutor implements Executor {
  private module: Submission | undefined;
  private data: ImageDataset | undefined;

  constructor(private readonly dir: string) {}

  async prepare(): Promise<Prepared> {
    try {
      this.module = (await import(pathToFileURL(join(this.dir, 'index.ts')).href)) as Submission;
      const module = this.module as unknown as Record<string, unknown>;
      return { ok: true, exports: Object.fromEntries(Object.keys(module).map((k) => [k, typeof module[k]])) };
    } catch (thrown) {
      return { ok: false, message: `the submission failed to load: ${describeThrown(thrown)}` };
    }
  }

  async run(request: Request, _label?: string, _group?: string, served?: () => void): Promise<ExecOutcome> {
    if (this.module === undefined) throw new Error('InProcessExecutor.run before prepare');
    served?.();
    try {
      return checked(
        request.kind,
        encode(await dispatch(this.module, () => (this.data ??= loadMnist().train), request)),
      );
    } catch (thrown) {
      return { ok: false, status: 'error', message: `grader error: ${describeThrown(thrown)}` };
    }
  }

  close(): void {}
}

export interface IsolatedOptions {
  backend?: 'wasm' | 'cpu';
  limits?: IsolationLimits;
  sandbox?: SandboxCommand;
  /** Per-submission deadline over all requests, ms of wall clock: the child is killed when it passes. */
  budgetMs?: number;
  /**
   * How many children may serve this submission at once (default 1). With more, the grading loop
   * runs checks side by side, one request per child; children of different groups never overlap.
   */
  lanes?: number;
}

/** Bubblewrap where it works, else the Node-level layers (never as root). */
export function defaultSandbox(): SandboxCommand {
  const bwrap = findBubblewrap();
  return bwrap ? bubblewrap(bwrap) : unprivileged;
}

/** The most children one grading uses by default, whatever the core count (each holds a few hundred MiB). */
export const MAX_LANES = 4;

/**
 * Children for one grading on a machine with `cores` cores, `workers` gradings running at once and
 * `load` (the 1-minute load average) from elsewhere: the cores left to this grading, 1 to MAX_LANES.
 */
export function lanesFor(cores: number, workers = 1, load = 0): number {
  const free = Math.floor((cores - Math.max(0, load)) / Math.max(1, workers));
  return Math.min(MAX_LANES, Math.max(1, free));
}

const live = new Set<IsolatedChild>();
process.on('exit', () => {
  for (const child of live) child.close();
});

/** The group of requests a child serves when none is named. */
export const DEFAULT_GROUP = 'visible';

export class IsolatedExecutor implements Executor {
  private build: BuildResult | undefined;
  private readonly pool: Lanes<IsolatedChild>;
  private refused: string | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private expired: string | undefined;
  /** What each busy lane runs, for the budget's message. */
  private readonly current = new Map<Lane<IsolatedChild>, string>();
  private readonly sandbox: SandboxCommand;
  readonly lanes: number;

  constructor(
    private readonly dir: string,
    private readonly options: IsolatedOptions = {},
  ) {
    this.sandbox = options.sandbox ?? defaultSandbox();
    this.lanes = Math.max(1, Math.floor(options.lanes ?? 1));
    this.pool = new Lanes<IsolatedChild>(
      this.lanes,
      (child) => {
        child.close();
        live.delete(child);
      },
      (child) => child.alive,
    );
  }

  async prepare(): Promise<Prepared> {
    const access = childAccessProblem(PROJECT_ROOT, this.sandbox);
    if (access !== undefined) throw new HarnessError('OPTNN_SANDBOX', access);
    const budget = this.options.budgetMs ?? 300_000;
    // The budget is a deadline: at it, every child is killed, even in the middle of a request.
    this.deadline = setTimeout(() => {
      this.expired = `the submission's time budget of ${budget / 1000} s ran out`;
      const during = [...this.current.values()].join(', ') || 'its start';
      for (const lane of this.pool.all)
        lane.item?.close({ kind: 'budget', message: `${this.expired} (during ${during})` });
    }, budget);
    this.deadline.unref();
    try {
      const builds = childStaging(PROJECT_ROOT)?.base ?? join(PROJECT_ROOT, '.work', 'builds');
      this.build = await buildSubmission(this.dir, join(builds, `${process.pid}-${randomUUID()}`));
    } catch (error) {
      if (error instanceof BuildRefused) return this.refuse(error.message);
      throw error;
    }
    const lane = await this.pool.acquire(DEFAULT_GROUP);
    try {
      return await this.spawn(lane, DEFAULT_GROUP);
    } finally {
      this.pool.release(lane);
    }
  }

  private refuse(message: string): { ok: false; message: string } {
    this.refused = message;
    return { ok: false, message };
  }

  /** A fresh child in `lane`; a child killed by a signal the grader did not send is started once more. */
  private async spawn(lane: Lane<IsolatedChild>, group: string, retried = false): Promise<Prepared> {
    if (this.build === undefined) throw new Error('IsolatedExecutor: spawn before build');
    this.pool.empty(lane);
    lane.group = group;
    let child: IsolatedChild;
    try {
      child = await IsolatedChild.start(
        this.build,
        this.options.backend ?? 'wasm',
        this.options.limits ?? DEFAULT_LIMITS,
        this.sandbox,
      );
    } catch (error) {
      if (error instanceof ChildStartFailed && error.failure?.kind === 'signal' && !retried)
        return this.spawn(lane, group, true);
      if (error instanceof ChildStartFailed && error.failure?.kind === 'budget')
        return this.refuse(error.failure.message);
      throw error;
    }
    live.add(child);
    lane.item = child;
    if (this.expired !== undefined) child.close({ kind: 'budget', message: this.expired });
    const loaded = await child.load();
    if (!loaded.ok && child.failure?.kind === 'signal' && !retried) return this.spawn(lane, group, true);
    return loaded.ok ? loaded : this.refuse(loaded.message);
  }

  /**
   * One request, in a child that has served only `group` (default "visible"): a request of another
   * group than a lane's gets a fresh child, so e.g. the process that saw hidden inputs runs nothing
   * after them that the student sees.
   */
  async run(
    request: Request,
    label: string,
    group: string = DEFAULT_GROUP,
    served?: () => void,
  ): Promise<ExecOutcome> {
    const lane = await this.pool.acquire(group);
    served?.();
    try {
      return await this.runIn(lane, request, label, group);
    } finally {
      this.current.delete(lane);
      this.pool.release(lane);
    }
  }

  private async runIn(
    lane: Lane<IsolatedChild>,
    request: Request,
    label: string,
    group: string,
  ): Promise<ExecOutcome> {
    if (this.refused !== undefined) return { ok: false, status: 'failed', message: this.refused };
    if (this.expired !== undefined)
      return { ok: false, status: 'failed', message: `not run: ${this.expired}` };
    this.current.set(lane, label);
    const first = await this.attempt(lane, request, label, group);
    if (first.kind !== 'signal') return first.outcome;
    // Killed by a signal the grader did not send: not shown to be the submission's doing, so once more in a fresh process.
    const second = await this.attempt(lane, request, label, group, true);
    if (second.kind !== 'signal') return second.outcome;
    if (childrenIsolated(this.sandbox)) {
      return {
        ok: false,
        status: 'failed',
        message: `${second.message}, again on a retry in a fresh process (no other submission can signal it here, so the submission did)`,
      };
    }
    return {
      ok: false,
      status: 'error',
      message: `grader error: ${second.message}, twice; children are not isolated from each other here, so another process may have sent it`,
    };
  }

  private async attempt(
    lane: Lane<IsolatedChild>,
    request: Request,
    label: string,
    group: string,
    fresh = false,
  ): Promise<{ kind: string; message: string; outcome: ExecOutcome }> {
    if (fresh || lane.item === undefined || !lane.item.alive || lane.group !== group) {
      // An earlier test killed the process, or another group ran in it, or the lane is new: a fresh one.
      const respawned = await this.spawn(lane, group, fresh);
      if (!respawned.ok)
        return {
          kind: 'load',
          message: respawned.message,
          outcome: { ok: false, status: 'failed', message: respawned.message },
        };
    }
    const outcome = await lane.item!.request(request, REQUEST_TIMEOUTS[request.kind], label);
    if (outcome.ok) return { kind: 'ok', message: '', outcome: checked(request.kind, outcome.result) };
    if ('error' in outcome) {
      // Raised in the child, where student code runs and can patch anything the harness calls: the submission's failure.
      const message = `the submission's process failed outside the graded functions (charged to the submission, whose code shares that process): ${outcome.error}`;
      // Its state is no longer known: the next request gets a fresh process.
      this.pool.empty(lane);
      return { kind: 'error', message, outcome: { ok: false, status: 'failed', message } };
    }
    const failure = outcome.failure;
    return {
      kind: failure.kind,
      message: failure.message,
      outcome: { ok: false, status: 'failed', message: failure.message },
    };
  }

  close(): void {
    if (this.deadline) clearTimeout(this.deadline);
    for (const lane of this.pool.all) this.pool.empty(lane);
    if (this.build) rmSync(this.build.dir, { recursive: true, force: true });
  }
}
