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
import { BuildRefused, buildSubmission, PROJECT_ROOT, type BuildResult } from './build.js';
import { dispatch } from './dispatch.js';
import { encode } from './encode.js';
import { DEFAULT_LIMITS, IsolatedChild, type IsolationLimits, type Prepared, type SandboxCommand } from './isolated.js';
import { describeThrown } from './optimizer-case.js';
import { decode, responseProblems, type Request } from './protocol.js';
import { bubblewrap, findBubblewrap, unprivileged } from './sandbox.js';

export type ExecOutcome = { ok: true; result: unknown } | { ok: false; status: 'failed' | 'error'; message: string };

export interface Executor {
  /** Builds and loads the submission; a failure here is the submission's (it fails every test). */
  prepare(): Promise<Prepared>;
  run(request: Request, label: string): Promise<ExecOutcome>;
  close(): void;
}

/** Wall-clock limits per request kind, ms. */
export const REQUEST_TIMEOUTS: Record<Request['kind'], number> = {
  case: 10_000, 'probe-optimizer': 20_000, nets: 20_000, data: 20_000, step: 10_000, loop: 30_000, training: 60_000, tuning: 120_000,
};

function checked(kind: Request['kind'], raw: unknown): ExecOutcome {
  const problems = responseProblems(kind, raw);
  if (problems.length > 0) return { ok: false, status: 'failed', message: `the submission's process returned a malformed answer: ${problems.slice(0, 3).join('; ')}` };
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

  async run(request: Request): Promise<ExecOutcome> {
    if (this.module === undefined) throw new Error('InProcessExecutor.run before prepare');
    try {
      return checked(request.kind, encode(await dispatch(this.module, () => (this.data ??= loadMnist().train), request)));
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
  /** Per-submission wall clock over all requests, ms. */
  budgetMs?: number;
}

/** Bubblewrap where it works, else the Node-level layers (never as root). */
export function defaultSandbox(): SandboxCommand {
  const bwrap = findBubblewrap();
  return bwrap ? bubblewrap(bwrap) : unprivileged;
}

const live = new Set<IsolatedChild>();
process.on('exit', () => { for (const child of live) child.close(); });

export class IsolatedExecutor implements Executor {
  private build: BuildResult | undefined;
  private child: IsolatedChild | undefined;
  private refused: string | undefined;
  private readonly started = performance.now();

  constructor(private readonly dir: string, private readonly options: IsolatedOptions = {}) {}

  async prepare(): Promise<Prepared> {
    try {
      this.build = await buildSubmission(this.dir, join(PROJECT_ROOT, '.work', 'builds', `${process.pid}-${randomUUID()}`));
    } catch (error) {
      if (error instanceof BuildRefused) return this.refuse(error.message);
      throw error;
    }
    return this.spawn();
  }

  private refuse(message: string): { ok: false; message: string } {
    this.refused = message;
    return { ok: false, message };
  }

  private async spawn(): Promise<Prepared> {
    if (this.build === undefined) throw new Error('IsolatedExecutor: spawn before build');
    const child = await IsolatedChild.start(this.build, this.options.backend ?? 'wasm', this.options.limits ?? DEFAULT_LIMITS, this.options.sandbox ?? defaultSandbox());
    live.add(child);
    this.child = child;
    const loaded = await child.load();
    return loaded.ok ? loaded : this.refuse(loaded.message);
  }

  async run(request: Request, label: string): Promise<ExecOutcome> {
    if (this.refused !== undefined) return { ok: false, status: 'failed', message: this.refused };
    const budget = this.options.budgetMs ?? 300_000;
    if (performance.now() - this.started > budget) {
      return { ok: false, status: 'failed', message: `not run: the submission's time budget of ${budget / 1000} s ran out` };
    }
    if (this.child === undefined || !this.child.alive) {
      // An earlier test killed the process; the rest still get graded in a fresh one.
      const respawned = await this.spawn();
      if (!respawned.ok) return { ok: false, status: 'failed', message: respawned.message };
    }
    const outcome = await this.child!.request(request, REQUEST_TIMEOUTS[request.kind], label);
    if (outcome.ok) return checked(request.kind, outcome.result);
    if ('error' in outcome) return { ok: false, status: 'error', message: `grader error in the child process: ${outcome.error}` };
    return { ok: false, status: 'failed', message: outcome.failure.message };
  }

  /** What the submission printed in its current process (capped). */
  get printed(): { stdout: string; stderr: string; droppedBytes: number } | undefined {
    return this.child?.printed;
  }

  close(): void {
    if (this.child) { this.child.close(); live.delete(this.child); }
    if (this.build) rmSync(this.build.dir, { recursive: true, force: true });
  }
}
