import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { problemsWith, validateOrThrow, validatorFile, VALIDATORS_DIR } from '../../contract/validate.js';
import { PROJECT_ROOT } from '../helpers/materialise.js';

const Schema = Type.Object(
  {
    name: Type.String(),
    losses: Type.Array(Type.Number()),
  },
  { additionalProperties: false },
);

describe('validateOrThrow', () => {
  it('returns a value that fits', () => {
    const value = { name: 'a', losses: [1, 2] };
    expect(validateOrThrow(Schema, value, 'x.json')).toBe(value);
  });

  it('names the file, each field, what was expected and what came', () => {
    expect(() => validateOrThrow(Schema, { name: 3, losses: [1, 'two'], extra: true }, 'out/x.json')).toThrow(
      /out\/x\.json does not match its schema:\n {2}.*/,
    );
    const problems = problemsWith(Schema, { name: 3, losses: [1, 'two'], extra: true });
    expect(problems).toContain('/name: must be string, got `3` (number)');
    expect(problems).toContain('/losses/1: must be number, got `"two"` (string)');
    expect(problems).toContain(
      '(the whole value): must NOT have additional properties `extra`, got an object',
    );
    expect(problemsWith(Schema, { losses: [] })).toEqual([
      "(the whole value): must have required property 'name'",
    ]);
  });
});

describe('the validator cache', () => {
  /** problemsWith for a value, in a fresh process (which has compiled nothing yet). */
  async function problemsInFreshProcess(schema: object, value: unknown): Promise<string[]> {
    const script = [
      "import { problemsWith } from './contract/validate.ts';",
      `console.log(JSON.stringify(problemsWith(${JSON.stringify(schema)}, ${JSON.stringify(value)})));`,
    ].join('\n');
    const run = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as string[];
  }

  it('keeps a compiled validator, and a later process uses the kept one', async () => {
    const probe = Type.Object({ cacheProbe: Type.Literal(randomUUID()) }, { additionalProperties: false });
    const file = validatorFile(probe);
    rmSync(file, { force: true });
    expect(problemsWith(probe, { cacheProbe: 'x' })).toEqual([
      '/cacheProbe: must be equal to constant, got `"x"` (string)',
    ]);
    expect(existsSync(file)).toBe(true);
    expect(await problemsInFreshProcess(probe, { cacheProbe: 'x' })).toEqual([
      '/cacheProbe: must be equal to constant, got `"x"` (string)',
    ]);
    // The later process ran the kept file: one that accepts everything makes it accept this value too.
    writeFileSync(file, 'module.exports = function validate() { return true; };\n');
    expect(await problemsInFreshProcess(probe, { cacheProbe: 'x' })).toEqual([]);
    rmSync(file, { force: true });
  }, 60_000);

  it('compiles the schema when the kept file is not a validator', async () => {
    const probe = Type.Object({ cacheProbe: Type.Literal(randomUUID()) }, { additionalProperties: false });
    const file = validatorFile(probe);
    mkdirSync(VALIDATORS_DIR, { recursive: true });
    for (const garbage of ['this is not javascript {', 'module.exports = 42;\n']) {
      writeFileSync(file, garbage);
      expect(await problemsInFreshProcess(probe, { cacheProbe: 'y' })).toEqual([
        '/cacheProbe: must be equal to constant, got `"y"` (string)',
      ]);
    }
    rmSync(file, { force: true });
  }, 60_000);
});

describe('describing what came', () => {
  it('shows a long string by its start and its length', () => {
    const problems = problemsWith(Schema, { name: 'x'.repeat(5000), losses: 'y'.repeat(300) });
    expect(problems).toEqual([
      `/losses: must be array, got \`"${'y'.repeat(99)}…\` (a string of 300 characters)`,
    ]);
  });
});
