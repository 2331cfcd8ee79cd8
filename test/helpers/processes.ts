/** Waiting on real processes in the self-tests: whether one is alive, and a bounded wait for a condition. */

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(done: () => boolean, ms = 10_000, pollMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
