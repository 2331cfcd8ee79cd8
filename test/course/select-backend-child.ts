/**
 * Run by backend.test.ts in a fresh process (the selection caches the backend it started):
 * `tsx select-backend-child.ts REQUESTED sync|async` prints one JSON line with what was selected,
 * the backend line and why auto passed over the others, or the error's code and message.
 */
import { backendsPassedOver, describeBackend, selectBackend } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';

const [requested = 'auto', reads = 'sync'] = process.argv.slice(2);
try {
  const info = await selectBackend(requested, {}, { asyncReads: reads === 'async' });
  console.log(
    JSON.stringify({
      name: info.name,
      line: describeBackend(info),
      adapter: info.adapter ?? null,
      passedOver: backendsPassedOver(),
    }),
  );
} catch (error) {
  console.log(
    JSON.stringify({
      code: error instanceof HarnessError ? error.code : 'other',
      message: (error as Error).message,
    }),
  );
}
