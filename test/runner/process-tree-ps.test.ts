/**
 * runner/process-tree.ts read through `ps` (the path where there is no /proc, as on macOS), forced
 * with OPTNN_PROCESS_SOURCE before the module is loaded: the same tree as /proc gives, its memory and
 * CPU time, and a kill that reaches a grandchild.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive, until } from '../helpers/processes.js';

process.env['OPTNN_PROCESS_SOURCE'] = 'ps';
const tree = await import('../../runner/process-tree.js');

describe('the process tree through ps', () => {
  it('reads ps time in both formats', () => {
    expect(tree.psTime('00:01:05')).toBe(65_000);
    expect(tree.psTime('1-00:00:01')).toBe(86_401_000);
    expect(tree.psTime('0:02.50')).toBe(2_500);
  });

  it('finds grandchildren, their memory and CPU time, and kills them all', async () => {
    expect(tree.processSource()).toBe('ps');
    expect(tree.measurable()).toBe(true);
    expect(tree.limitNotices()).toEqual([]);
    // sh → (sh running a busy loop), sleep: three processes, one of them burning CPU.
    const child = spawn('sh', ['-c', "sh -c 'while :; do :; done' & sleep 30 & wait"], {
      detached: true,
      stdio: 'ignore',
    });
    const pid = child.pid!;
    try {
      await until(() => tree.processTree(pid).length === 3);
      expect(tree.watchedTree(pid)[0]).toBe(pid);
      expect(tree.treeRss(pid)).toBeGreaterThan(0);
      await until(() => tree.treeCpuMs(pid) >= 1000, 20_000);
      const all = tree.processTree(pid);
      tree.killTree(pid);
      await until(() => all.every((p) => !alive(p)));
    } finally {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, 30_000);
});
