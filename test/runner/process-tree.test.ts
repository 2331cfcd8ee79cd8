/**
 * runner/process-tree.ts: the watchdogs' reading of a child's process tree (through the children
 * files, the tree's own processes only) finds the same processes as the scan of every process that
 * kills use, grandchildren included, and killTree ends them all.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive, until } from '../helpers/processes.js';
import { killTree, processTree, treeCpuMs, treeRss, watchedTree } from '../../runner/process-tree.js';

describe('the process tree', () => {
  it('is read the same by the watchdogs and the scan, grandchildren included, and killed whole', async () => {
    // sh → (sh → sleep, sleep), sleep: three levels, five processes.
    const child = spawn('sh', ['-c', "sh -c 'sleep 30 & sleep 30 & wait' & sleep 30 & wait"], {
      detached: true,
      stdio: 'ignore',
    });
    const pid = child.pid!;
    try {
      await until(() => processTree(pid).length === 5);
      expect(new Set(watchedTree(pid))).toEqual(new Set(processTree(pid)));
      expect(watchedTree(pid)[0]).toBe(pid);
      expect(treeRss(pid)).toBeGreaterThan(0);
      expect(treeCpuMs(pid)).toBeGreaterThanOrEqual(0);
      const tree = processTree(pid);
      killTree(pid);
      await until(() => tree.every((p) => !alive(p) || processTree(p).length === 0));
      expect(watchedTree(pid).filter((p) => p !== pid)).toEqual([]);
    } finally {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  });

  it('of a process that is gone is that process only, with no memory', () => {
    const gone = 2 ** 22 + 12345;
    expect(watchedTree(gone)).toEqual([gone]);
    expect(treeRss(gone)).toBe(0);
  });
});
