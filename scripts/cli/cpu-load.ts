/**
 * How busy the machine is with other work, measured, not guessed: the cores' busy time since the
 * sampler started, less that of this process and its descendants (tsx's esbuild service among
 * them), per wall-clock time. It reads what happened
 * while this process started up (loading modules, selecting the backend), so it costs no waiting;
 * over too short a window it falls back to the 1-minute load average.
 */
import { cpus, loadavg } from 'node:os';
import { treeCpuMs } from '../../runner/process-tree.js';

/** Below this window (ms) the sample is too noisy and the load average is used. */
const MIN_WINDOW_MS = 100;

const busyMs = (): number => cpus().reduce((sum, { times: t }) => sum + t.user + t.nice + t.sys + t.irq, 0);
const ownMs = (): number => treeCpuMs(process.pid, true);

/** Starts a sample; calling the result gives the cores other processes kept busy since (≥ 0). */
export function sampleOtherLoad(): () => number {
  const wall = performance.now();
  const busy = busyMs();
  const own = ownMs();
  return () => {
    const elapsed = performance.now() - wall;
    if (elapsed < MIN_WINDOW_MS) return loadavg()[0] ?? 0;
    return Math.max(0, (busyMs() - busy - (ownMs() - own)) / elapsed);
  };
}
