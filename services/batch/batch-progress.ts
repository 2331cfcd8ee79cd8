/**
 * The batch's progress bar. It shows from the first second and counts in tests, which every worker
 * reports as it finishes them, so the rate and the ETA are real long before the first submission is
 * done; submissions skipped as current advance the bar but not the rate. On a TTY it redraws one line
 * every second; elsewhere (CI logs, files) it prints a line at start, then every 10 % of the tests
 * (those inside a submission count) or every 10 s, whichever comes first.
 * Writes to stderr; `OPTNN_PROGRESS=0` silences it.
 */
import { formatSeconds, progressDisabledByEnv } from '../../course/progress.js';

export interface BatchProgress {
  skipped(id: string): void;
  /** A worker's count of finished tests for the submission it grades. */
  tests(id: string, done: number): void;
  finished(id: string): void;
  stop(): void;
}

export interface BatchProgressOptions {
  submissions: number;
  testsPerSubmission: number;
  stream?: NodeJS.WriteStream;
  enabled?: boolean;
}

export function createBatchProgress(options: BatchProgressOptions): BatchProgress {
  const { submissions, testsPerSubmission, stream = process.stderr } = options;
  if (options.enabled === false || progressDisabledByEnv())
    return { skipped() {}, tests() {}, finished() {}, stop() {} };
  const tty = stream.isTTY === true;
  const started = Date.now();
  const inFlight = new Map<string, number>();
  let skipped = 0;
  let finished = 0;
  let testsDone = 0;
  let lastPrint = 0;
  let lastFraction = -1;

  const line = (): string => {
    const done = skipped + finished;
    const fraction = submissions > 0 ? done / submissions : 1;
    const width = 24;
    const filled = Math.round(Math.min(1, fraction) * width);
    const elapsed = (Date.now() - started) / 1000;
    const tests = testsDone + [...inFlight.values()].reduce((a, b) => a + b, 0);
    const rate = elapsed > 0 ? tests / elapsed : 0;
    const left =
      (submissions - done) * testsPerSubmission - [...inFlight.values()].reduce((a, b) => a + b, 0);
    const eta = rate > 0 ? formatSeconds(left / rate) : '--:--';
    return (
      `batch ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${submissions} submissions ` +
      `(${finished} graded, ${skipped} current, ${inFlight.size} grading) [${formatSeconds(elapsed)}<${eta}, ${rate.toFixed(2)} tests/s]`
    );
  };
  /** The share of all the tests done (a skipped submission's count as done): a log line every 10 % of it. */
  const share = (): number => {
    const total = submissions * testsPerSubmission;
    const inside = [...inFlight.values()].reduce((a, b) => a + b, 0);
    return total > 0 ? ((skipped + finished) * testsPerSubmission + inside) / total : 1;
  };
  const draw = (force = false): void => {
    const now = Date.now();
    const fraction = share();
    if (tty) {
      if (!force && now - lastPrint < 100) return;
      stream.write(`\r${line()}\x1b[K`);
    } else {
      if (!force && fraction - lastFraction < 0.1 && now - lastPrint < 10_000) return;
      stream.write(`${line()}\n`);
      lastFraction = fraction;
    }
    lastPrint = now;
  };
  const timer = setInterval(() => draw(), 1000);
  timer.unref();
  draw(true);

  return {
    skipped() {
      skipped += 1;
      draw();
    },
    tests(id, done) {
      inFlight.set(id, Math.max(inFlight.get(id) ?? 0, Math.min(done, testsPerSubmission)));
      draw();
    },
    finished(id) {
      inFlight.delete(id);
      finished += 1;
      testsDone += testsPerSubmission;
      draw();
    },
    stop() {
      clearInterval(timer);
      draw(true);
      if (tty) stream.write('\n');
    },
  };
}
