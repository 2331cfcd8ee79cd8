/**
 * The executor that grades a submission in confined child processes: it builds the submission once,
 * starts children as requests need them (one per lane, up to `lanes` side by side, each serving one
 * group), retries once a child killed by a signal the grader did not send, and keeps the budget as a
 * deadline. It loads little (no tfjs, no schemas until the first answer) so that the grading command
 * can start the first child while it loads the rest.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../course/errors.js';
import { BuildRefused, buildSubmission, PROJECT_ROOT, type BuildResult } from './build.js';
import type { ExecOutcome, Executor } from './executor-types.js';
import {
  ChildStartFailed,
  DEFAULT_LIMITS,
  IsolatedChild,
  type IsolationLimits,
  type Prepared,
} from './isolated.js';
import { Lanes, type Lane } from './lanes.js';
import type { Request } from './protocol.js';
import {
  bubblewrap,
  childAccessProblem,
  childStaging,
  childrenIsolated,
  findBubblewrap,
  unprivileged,
  type SandboxCommand,
} from './sandbox.js';

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

export interface IsolatedOptions {
  backend?: 'wasm' | 'cpu';
  limits?: IsolationLimits;
  sandbox?: SandboxCommand;
  /** Per-submission deadline over all requests, ms of wall clock: the child is killed when it passes. */
  budgetMs?: number;
  /**
   * How many children may serve this submission at once (default 1). With more, the grading loop
   * runs checks side by side, one request per child; children of different groups never overlap.
   * Children not isolated from each other (see `widen`) are always one at a time.
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
 * `load` (cores kept busy) from elsewhere: the cores left to this grading, to the nearest, 1 to MAX_LANES.
 */
export function lanesFor(cores: number, workers = 1, load = 0): number {
  // To the nearest core: a sliver of load (a shell, a terminal) does not take a core away.
  const free = Math.round((cores - Math.max(0, load)) / Math.max(1, workers));
  return Math.min(MAX_LANES, Math.max(1, free));
}

const live = new Set<IsolatedChild>();
process.on('exit', () => {
  for (const child of live) child.close();
});

/** The group of requests a child serves when none is named. */
export const DEFAULT_GROUP = 'visible';

/** The groups in the order a grading serves them (graders/grade.ts): a child may go on into a later one, never back. */
const GROUP_ORDER: readonly string[] = [DEFAULT_GROUP, 'hidden'];

/** Whether a child that served group `from` may serve `to`: the same group, or a later one. */
export function carriesOn(from: string | undefined, to: string): boolean {
  if (from === undefined) return false;
  if (from === to) return true;
  const at = GROUP_ORDER.indexOf(from);
  return at >= 0 && GROUP_ORDER.indexOf(to) > at;
}

export class IsolatedExecutor implements Executor {
  private build: BuildResult | undefined;
  private readonly pool: Lanes<IsolatedChild>;
  private refused: string | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private expired: string | undefined;
  /** What each busy lane runs, for the budget's message. */
  private readonly current = new Map<Lane<IsolatedChild>, string>();
  private readonly sandbox: SandboxCommand;
  /** Whether its children are isolated from each other (runner/sandbox.ts), so may run side by side. */
  private readonly isolatedFromEachOther: boolean;
  private preparing: Promise<Prepared> | undefined;
  private closed = false;
  /** The group each child served last. */
  private readonly served = new WeakMap<IsolatedChild, string>();

  constructor(
    private readonly dir: string,
    private readonly options: IsolatedOptions = {},
  ) {
    this.sandbox = options.sandbox ?? defaultSandbox();
    this.isolatedFromEachOther = childrenIsolated(this.sandbox);
    this.pool = new Lanes<IsolatedChild>(
      this.isolatedFromEachOther ? Math.max(1, Math.floor(options.lanes ?? 1)) : 1,
      (child) => {
        child.close();
        live.delete(child);
      },
      (child) => child.alive,
      carriesOn,
    );
  }

  /** How many children may serve at once. */
  get lanes(): number {
    return this.pool.capacity;
  }

  /**
   * Allows up to `lanes` children side by side from now on (a grading command decides once it has
   * measured the load), and starts the new ones now rather than at their first request. Children
   * that are not isolated from each other (runner/sandbox.ts: no bubblewrap, no PID namespace) stay
   * one at a time: side by side, one could stop the other at will.
   */
  widen(lanes: number): void {
    if (!this.isolatedFromEachOther) return;
    this.pool.widen(lanes);
    // A failed start surfaces where the grading awaits prepare(); here it must not go unhandled.
    void this.prepare()
      .catch((): Prepared => ({ ok: false, message: 'not started' }))
      .then((first) => {
        if (!first.ok) return;
        for (let lane = this.pool.open(DEFAULT_GROUP); lane; lane = this.pool.open(DEFAULT_GROUP)) {
          const opened = lane;
          void this.spawn(opened, DEFAULT_GROUP)
            .catch(() => this.pool.empty(opened))
            .finally(() => this.pool.release(opened));
        }
      });
  }

  /** Builds the submission and starts its first child; called again, the same promise. */
  prepare(): Promise<Prepared> {
    return (this.preparing ??= this.buildAndStart());
  }

  private async buildAndStart(): Promise<Prepared> {
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
      if (this.closed) {
        rmSync(this.build.dir, { recursive: true, force: true });
        return this.refuse('the grading ended before the submission was loaded');
      }
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
    this.served.set(child, group);
    if (this.expired !== undefined) child.close({ kind: 'budget', message: this.expired });
    // Closed while it started (a command that ended early): it must not outlive the executor.
    if (this.closed) this.pool.empty(lane);
    const loaded = await child.load();
    if (!loaded.ok && child.failure?.kind === 'signal' && !retried) return this.spawn(lane, group, true);
    return loaded.ok ? loaded : this.refuse(loaded.message);
  }

  /**
   * One request of `group` (default "visible"), in a child that has served only this group or
   * earlier ones (GROUP_ORDER): a child that served the visible tests may go on to hidden ones once
   * no visible request is running, but a request of an earlier group than a child's gets a fresh
   * child, so the process that saw hidden inputs runs nothing after them that the student sees.
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
    if (this.isolatedFromEachOther) {
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
    const item = lane.item;
    if (fresh || item === undefined || !item.alive || !carriesOn(this.served.get(item), group)) {
      // An earlier test killed the process, or a later group ran in it, or the lane is new: a fresh one.
      const respawned = await this.spawn(lane, group, fresh);
      if (!respawned.ok)
        return {
          kind: 'load',
          message: respawned.message,
          outcome: { ok: false, status: 'failed', message: respawned.message },
        };
    }
    this.served.set(lane.item!, group);
    const outcome = await lane.item!.request(request, REQUEST_TIMEOUTS[request.kind], label);
    // The schemas load with the first answer, not with this module (see the header).
    const { checked } = await import('./executor-types.js');
    const printed = outcome.printed === undefined ? {} : { printed: outcome.printed };
    if (outcome.ok)
      return { kind: 'ok', message: '', outcome: { ...checked(request.kind, outcome.result), ...printed } };
    if ('error' in outcome) {
      // Raised in the child, where student code runs and can patch anything the harness calls: the submission's failure.
      const message = `the submission's process failed outside the graded functions (charged to the submission, whose code shares that process): ${outcome.error}`;
      // Its state is no longer known: the next request gets a fresh process.
      this.pool.empty(lane);
      return { kind: 'error', message, outcome: { ok: false, status: 'failed', message, ...printed } };
    }
    const failure = outcome.failure;
    return {
      kind: failure.kind,
      message: failure.message,
      outcome: { ok: false, status: 'failed', message: failure.message, ...printed },
    };
  }

  close(): void {
    this.closed = true;
    if (this.deadline) clearTimeout(this.deadline);
    for (const lane of this.pool.all) this.pool.empty(lane);
    if (this.build) rmSync(this.build.dir, { recursive: true, force: true });
  }
}
