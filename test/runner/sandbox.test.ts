/** The Node-only layers' process isolation: each child in a PID namespace of its own, as uid 65534 under root. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../runner/build.js';
import {
  bubblewrap,
  childrenIsolated,
  findBubblewrap,
  pidNamespaces,
  unprivileged,
} from '../../runner/sandbox.js';

const root = process.getuid?.() === 0;
const paths = {
  build: PROJECT_ROOT,
  modules: join(PROJECT_ROOT, 'node_modules'),
  modulesReal: join(PROJECT_ROOT, 'node_modules'),
  node: process.execPath,
  nodeReal: process.execPath,
};

describe('unprivileged (the Node-only layers)', () => {
  it.skipIf(!pidNamespaces())(
    'runs the command in a PID namespace of its own, below an init shell, dropped to uid 65534 under root',
    () => {
      const [file, ...args] = [
        ...unprivileged(paths),
        '/bin/sh',
        '-c',
        'echo "$PPID $(id -u) $(ls /proc | grep -c "^[0-9]")"; kill -KILL -1 || true',
      ];
      const run = spawnSync(file!, args, { encoding: 'utf8', timeout: 10_000 });
      expect(run.status, run.stderr).toBe(0);
      const [ppid, uid, processes] = run.stdout.trim().split(' ').map(Number);
      expect(ppid).toBe(1);
      if (root) expect(uid).toBe(65534);
      // Only the namespace's processes are visible (init, this shell, ls, grep).
      expect(processes).toBeLessThanOrEqual(5);
      expect(childrenIsolated(unprivileged)).toBe(true);
    },
  );

  it('says whether children are isolated from each other', () => {
    expect(childrenIsolated(undefined)).toBe(false);
    expect(childrenIsolated(unprivileged)).toBe(pidNamespaces());
    const bwrap = findBubblewrap();
    if (bwrap !== undefined) expect(childrenIsolated(bubblewrap(bwrap))).toBe(true);
    // A command the sandbox module did not make is not known to isolate anything.
    expect(childrenIsolated(() => [])).toBe(false);
  });
});
