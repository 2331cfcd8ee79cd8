/**
 * The GPU run's bundle (tools/gpu-run/bundle.mjs) builds from today's tree: a command file that
 * moved, or a run-time look-up that changed, fails here rather than on a borrowed GPU machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'optnn-gpu-bundle-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the GPU run bundle', () => {
  it('names command files that exist, builds, and answers a wrong command with its usage', () => {
    const COMMANDS = commandsOf(readFileSync(join(ROOT, 'tools/gpu-run/bundle.mjs'), 'utf8'));
    expect(Object.keys(COMMANDS).sort()).toEqual(['adapter', 'bench', 'bench-gpu', 'gpu-training']);
    for (const [name, file] of Object.entries(COMMANDS)) {
      expect(existsSync(join(ROOT, file)), `command ${name}: ${file} does not exist`).toBe(true);
    }
    execFileSync(process.execPath, [join(ROOT, 'tools/gpu-run/bundle.mjs'), out], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    expect(existsSync(join(out, 'optnn.cjs'))).toBe(true);
    expect(readFileSync(join(out, 'BUILD-INFO.txt'), 'utf8')).toMatch(
      /inlined packages: .*@tensorflow\/tfjs-core/,
    );
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(out, 'optnn.cjs'), 'no-such-command'], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
      expect((e as { status: number }).status).toBe(2);
    }
    expect(stderr).toContain('usage: node optnn.cjs bench|bench-gpu|gpu-training|adapter');
  }, 120_000);
});

/** The COMMANDS table's entries, read from the script's text (importing it would run the build). */
function commandsOf(text: string): Record<string, string> {
  const table = /export const COMMANDS = \{([^}]*)\}/.exec(text)?.[1] ?? '';
  return Object.fromEntries(
    [...table.matchAll(/'?([\w-]+)'?:\s*'([^']+)'/g)].map((m) => [m[1]!, m[2]!] as [string, string]),
  );
}
