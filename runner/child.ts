/**
 * The child process that runs a submission. It is bundled with the submission by runner/build.ts
 * and started by runner/isolated.ts under Node's permission model. It talks to the grading process
 * only over the socket on file descriptor 3 (runner/channel.ts), one JSON line per message, whose
 * write it keeps before any student code loads; stdout and stderr are the submission's and are
 * never read as results. Everything in this process is the student's once their module loads: the
 * grading process believes none of it unchecked.
 */
import * as tf from '@tensorflow/tfjs';
import { Socket } from 'node:net';
import v8 from 'node:v8';
import type { Submission } from '../contract/index.js';
import { selectBackend } from '../course/backend.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { loadMnist } from '../course/data/mnist.js';
import { seal } from './channel-auth.js';
import { CHANNEL_FD, frame, type FromChild, type ToChild } from './channel.js';
import { dispatch } from './dispatch.js';
import { encode } from './encode.js';
import { describeThrown } from './optimizer-case.js';

// The submission's modules load after this (at 'load'): their stack traces map to its own files.
process.setSourceMapsEnabled(true);

let channel: Socket;
try {
  channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
} catch {
  console.error(
    "runner/child: started without the grader's channel on fd 3; the grading process starts this file",
  );
  process.exit(70);
}
const write = channel.write.bind(channel);
const exit = process.exit.bind(process);
const stringify = JSON.stringify;
// The key arrives first, before any student code exists; every answer is sealed with it (an accident guard).
let key: Buffer | undefined;
const reply = (message: FromChild): void => {
  if (key !== undefined) write(frame(seal(key, message), stringify));
};
const safeDescribe = (thrown: unknown): string => {
  try {
    return String(describeThrown(thrown));
  } catch {
    return 'threw a value that cannot be described';
  }
};

// Heap introspection would expose the key: close it before student code loads (the module object is shared).
for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString'] as const) {
  Object.defineProperty(v8, name, {
    value: () => {
      throw new Error(`v8.${name} is not available while grading`);
    },
    writable: false,
    configurable: false,
  });
}

let submission: Submission | undefined;
let embedded: ImageDataset | undefined;
const data = (): ImageDataset => (embedded ??= loadMnist().train);

tf.env().set('PROD', true);
const backend = await selectBackend(process.argv[2] ?? 'wasm', {});

async function handle(message: ToChild): Promise<void> {
  if (message.type === 'hello') {
    if (key === undefined && typeof message.key === 'string') {
      key = Buffer.from(message.key, 'hex');
      reply({ type: 'ready', backend: backend.name });
    }
    return;
  }
  if (message.type === 'load') {
    try {
      // The submission's own module: its top-level code runs here, after the channel is set up.
      submission = (await import('optnn-submission')) as unknown as Submission;
      const module = submission as unknown as Record<string, unknown>;
      reply({
        type: 'loaded',
        exports: Object.fromEntries(Object.keys(module).map((k) => [k, typeof module[k]])),
      });
    } catch (thrown) {
      reply({ type: 'load-failed', message: safeDescribe(thrown).slice(0, 4000) });
    }
    return;
  }
  if (message.type === 'request') {
    let answer: FromChild;
    try {
      if (submission === undefined) throw new Error('the submission was not loaded');
      const result = await dispatch(submission, data, message.request);
      answer = { type: 'response', id: message.id, result: encode(result) };
    } catch (thrown) {
      answer = { type: 'response', id: message.id, error: safeDescribe(thrown).slice(0, 4000) };
    }
    try {
      tf.disposeVariables();
    } catch (thrown) {
      // Student code can patch what runs here (e.g. `dispose`): its failure is the submission's.
      answer = {
        type: 'response',
        id: message.id,
        error: `cleaning up after the request: ${safeDescribe(thrown)}`.slice(0, 4000),
      };
    }
    reply(answer);
  }
}

// Requests come one at a time, one JSON line each, from the grading process.
let buffered = '';
let queue = Promise.resolve();
channel.setEncoding('utf8');
channel.on('data', (chunk: string) => {
  buffered += chunk;
  for (let at = buffered.indexOf('\n'); at !== -1; at = buffered.indexOf('\n')) {
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    let message: ToChild;
    try {
      message = JSON.parse(line) as ToChild;
    } catch {
      continue;
    }
    queue = queue.then(() => handle(message)).catch(() => undefined);
  }
});
// When the grading process goes away, so does this one (nothing else would end it).
channel.on('end', () => exit(0));
channel.on('close', () => exit(0));
channel.on('error', () => exit(0));
