/**
 * How the grading process gets a submission's observations: `IsolatedExecutor` builds the
 * submission and asks a confined child process; `InProcessExecutor` imports it here (only for
 * trusted code: the reference, and the self-tests' comparisons). Both return answers validated
 * against the protocol's schemas, so the graders see the same data either way.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Submission } from '../contract/index.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { loadMnist } from '../course/data/mnist.js';
import { dispatch } from './dispatch.js';
import { encode } from './encode.js';
import { checked, type ExecOutcome, type Executor } from './executor-types.js';
import type { Prepared } from './isolated.js';
import { describeThrown } from './optimizer-case.js';
import type { Request } from './protocol.js';

export type { ExecOutcome, Executor } from './executor-types.js';
export * from './isolated-executor.js';

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
