/**
 * runner/guard.ts: the watchdog on its own thread holds the memory and time limits while the
 * grading process's own thread is busy (parsing a long frame, say): real children, and a main
 * thread blocked on purpose for longer than it takes the child to pass its limit.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive } from '../helpers/processes.js';
import { GUARD_GRACE_MS, Guarded } from '../../runner/guard.js';

const blockFor = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* the grading process's thread, busy */
  }
};

function start(code: string): { pid: number; exited: Promise<void> } {
  const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });
  return { pid: child.pid!, exited: new Promise((resolve) => child.on('exit', () => resolve())) };
}

describe('the guard', () => {
  it('kills a memory hog while the main thread is blocked, and says how much it used', async () => {
    const hog = start('const a = []; setInterval(() => a.push(Buffer.alloc(20e6, 1)), 20);');
    const guard = Guarded.watch(hog.pid, 150 * 1024 * 1024);
    blockFor(4000);
    const verdict = guard.verdict();
    expect(verdict?.kind).toBe('memory');
    expect((verdict as { rssBytes: number }).rssBytes).toBeGreaterThan(150 * 1024 * 1024);
    await hog.exited;
    expect(alive(hog.pid)).toBe(false);
    guard.release();
  }, 30_000);

  it('kills a child past its CPU time while the main thread is blocked', async () => {
    const spin = start('for (;;) {}');
    const guard = Guarded.watch(spin.pid, 4 * 1024 * 1024 * 1024);
    guard.limit(300, 60_000);
    blockFor(300 + GUARD_GRACE_MS + 3000);
    expect(guard.verdict()?.kind).toBe('cpu');
    await spin.exited;
    guard.release();
  }, 30_000);

  it('leaves a child within its limits alone, and stops watching a released one', async () => {
    const idle = start('setTimeout(() => {}, 60_000);');
    const guard = Guarded.watch(idle.pid, 4 * 1024 * 1024 * 1024);
    guard.limit(10_000, 60_000);
    blockFor(1500);
    expect(guard.verdict()).toBeUndefined();
    guard.unlimit();
    guard.release();
    expect(alive(idle.pid)).toBe(true);
    process.kill(idle.pid, 'SIGKILL');
    await idle.exited;
  }, 30_000);
});
