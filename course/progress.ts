/**
 * A terminal progress bar, like the notebook's tqdm bar. On a TTY it redraws one line; elsewhere
 * (CI logs, files) it prints a line at most every 10 % or every 10 s, so logs stay short.
 * Writes to stderr, so stdout stays free for data.
 */
export interface ProgressOptions {
  total: number;
  label?: string;
  stream?: NodeJS.WriteStream;
  /** false turns it off entirely. */
  enabled?: boolean;
}

export interface Progress {
  /** Sets the position (0..total) and the text after the bar, e.g. `loss 0.3121`. */
  update(done: number, info?: string): void;
  setLabel(label: string): void;
  /** Resets to 0 for a new pass of the same length (tqdm's `reset`). */
  reset(): void;
  finish(info?: string): void;
}

export function progressDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['OPTNN_PROGRESS'] === '0';
}

export function createProgress({
  total,
  label = '',
  stream = process.stderr,
  enabled = true,
}: ProgressOptions): Progress {
  if (!enabled || progressDisabledByEnv()) {
    return { update() {}, setLabel() {}, reset() {}, finish() {} };
  }
  const tty = stream.isTTY === true;
  let start = Date.now();
  let lastPrint = 0;
  let lastFraction = -1;
  let current = label;
  let done = 0;

  const render = (info: string): string => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = (Date.now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    return (
      `${current} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} ` +
      `[${formatSeconds(elapsed)}<${formatSeconds(eta)}, ${rate.toFixed(1)} it/s]${info ? ` ${info}` : ''}`
    );
  };

  return {
    update(position, info = '') {
      done = position;
      const now = Date.now();
      if (tty) {
        if (now - lastPrint < 100 && done < total) return;
        stream.write(`\r${render(info)}\x1b[K`);
      } else {
        const fraction = total > 0 ? done / total : 1;
        if (fraction - lastFraction < 0.1 && now - lastPrint < 10_000 && done < total) return;
        lastFraction = fraction;
        stream.write(`${render(info)}\n`);
      }
      lastPrint = now;
    },
    setLabel(next) {
      current = next;
    },
    reset() {
      done = 0;
      lastFraction = -1;
      start = Date.now();
    },
    finish(info = '') {
      if (tty) stream.write(`\r${render(info)}\x1b[K\n`);
      else if (lastFraction < 1) stream.write(`${render(info)}\n`);
    },
  };
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
