/**
 * The child process that runs a submission. It is bundled with the submission by runner/build.ts
 * and started by runner/isolated.ts under Node's permission model. It talks to the grading process
 * only over the IPC channel, whose `send` it keeps before any student code loads; stdout and stderr
 * are the submission's and are never read as results.
 */
import * as tf from '@tensorflow/tfjs';
import v8 from 'node:v8';
import type { Submission } from '../contract/index.js';
import { selectBackend } from '../course/backend.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { loadMnist } from '../course/data/mnist.js';
import { dispatch } from './dispatch.js';
import { describeThrown } from './optimizer-case.js';
import { seal } from './channel-auth.js';
import { encode } from './encode.js';
import type { Request } from './protocol.js';

export type ToChild = { type: 'hello'; key: string } | { type: 'load' } | { type: 'request'; id: number; request: Request };
export type FromChild =
  | { type: 'ready'; backend: string }
  | { type: 'loaded'; exports: Record<string, string> }
  | { type: 'load-failed'; message: string }
  | { type: 'response'; id: number; result: unknown }
  | { type: 'response'; id: number; error: string };

const send = process.send?.bind(process);
if (send === undefined) {
  console.error('runner/child: started without an IPC channel; the grading process starts this file');
  process.exit(70);
}
// The key arrives first, before any student code exists; every answer is sealed with it.
let key: Buffer | undefined;
const reply = (message: FromChild): void => {
  if (key !== undefined) send(seal(key, message));
};

// Heap introspection would expose the key: close it before student code loads (the module object is shared).
for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString'] as const) {
  Object.defineProperty(v8, name, { value: () => { throw new Error(`v8.${name} is not available while grading`); }, writable: false, configurable: false });
}

let submission: Submission | undefined;
let embedded: ImageDataset | undefined;
const data = (): ImageDataset => (embedded ??= loadMnist().train);

tf.env().set('PROD', true);
const backend = await selectBackend(process.argv[2] ?? 'wasm', {});

process.on('message', (raw: unknown) => {
  const message = raw as ToChild;
  void (async () => {
    if (message.type === 'hello') {
      if (key === undefined && typeof message.key === 'string') {
        key = Buffer.from(message.key, 'hex');
        reply({ type: 'ready', backend: backend.name });
      }
      return;
    }
    if (message.type === 'load') {
      try {
        // The submission's own module: its top-level code runs here, after the channel is secured.
        submission = (await import('optnn-submission')) as unknown as Submission;
        const exports = Object.fromEntries(Object.keys(submission).map((k) => [k, typeof (submission as unknown as Record<string, unknown>)[k]]));
        reply({ type: 'loaded', exports });
      } catch (thrown) {
        reply({ type: 'load-failed', message: describeThrown(thrown) });
      }
      return;
    }
    if (message.type === 'request') {
      try {
        if (submission === undefined) throw new Error('the submission was not loaded');
        const result = await dispatch(submission, data, message.request);
        reply({ type: 'response', id: message.id, result: encode(result) });
      } catch (thrown) {
        reply({ type: 'response', id: message.id, error: describeThrown(thrown) });
      } finally {
        tf.disposeVariables();
      }
    }
  })();
});


// When the grading process goes away, so does this one (nothing else would end it).
process.on('disconnect', () => process.exit(0));
