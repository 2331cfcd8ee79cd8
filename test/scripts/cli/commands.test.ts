import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandList } from '../../../scripts/cli/commands.js';

const root = join(import.meta.dirname, '..', '..', '..');
const npmScripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('the command table', () => {
  it('lists every entry file under scripts/, each of which exists', () => {
    const entries = readdirSync(join(root, 'scripts'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `scripts/${f}`)
      .sort();
    expect(
      Object.values(COMMANDS)
        .map((c) => c.script)
        .sort(),
    ).toEqual(entries);
    for (const c of Object.values(COMMANDS)) expect(existsSync(join(root, c.script))).toBe(true);
  });

  it("names each command as npm does: every npm script that runs an entry file runs that name's file", () => {
    for (const [name, line] of Object.entries(npmScripts)) {
      const script =
        /scripts\/[\w-]+\.ts/.exec(line)?.[0] ??
        (line.includes('scripts/run.mjs grade') ? 'scripts/grade.ts' : undefined);
      if (script === undefined) continue;
      expect(COMMANDS[name]?.script, `npm run ${name}`).toBe(script);
    }
  });

  it('lists the commands with their summaries, one line each', () => {
    const lines = commandList().split('\n');
    expect(lines).toHaveLength(Object.keys(COMMANDS).length + 1);
    expect(lines[1]).toMatch(/^ {2}grade +grades one submission/);
  });
});
