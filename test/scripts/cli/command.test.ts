import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../course/errors.js';
import { defineCommand } from '../../../scripts/cli/command.js';

const dir = mkdtempSync(join(tmpdir(), 'command-test-'));
const file = join(dir, 'a.json');
writeFileSync(file, '{}');

const command = defineCommand({
  name: 'demo',
  synopsis: 'npm run demo -- SOURCE [MORE...] --out DIR [options]',
  summary: 'Does a demo.',
  positionals: [
    { name: 'SOURCE', description: 'a directory to read', path: 'directory' },
    { name: 'MORE', description: 'more files', variadic: true, required: false, path: 'file' },
  ],
  flags: {
    out: { type: 'string', required: true, value: 'DIR', description: 'output directory' },
    rate: { type: 'float', min: 0, max: 1, default: 0.5, description: 'a share' },
    count: { type: 'integer', min: 1, max: 10, description: 'how many' },
    score: { type: 'float', min: 0, unit: 'points', description: 'a pass mark' },
    kind: { type: 'string', choices: ['a', 'b'], description: 'a kind' },
    tag: { type: 'string', repeatable: true, description: 'a tag' },
    fixtures: { type: 'string', path: 'directory', value: 'DIR', description: 'fixtures' },
    quick: { type: 'boolean', description: 'be quick' },
  },
});

/** The usage error `argv` gets: its message (and that it is a usage error). */
function refusal(argv: string[]): string {
  try {
    command.parse(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('OPTNN_BAD_OPTION');
    return (error as HarnessError).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('defineCommand: parsing', () => {
  it('gives run typed values: defaults filled in, booleans false, repeatable flags as arrays', () => {
    const parsed = command.parse([dir, '--out', 'o', '--tag', 'x', '--tag=y', '--count', '3', file]);
    expect(parsed?.flags).toEqual({
      out: 'o',
      rate: 0.5,
      count: 3,
      score: undefined,
      kind: undefined,
      tag: ['x', 'y'],
      fixtures: undefined,
      quick: false,
    });
    expect(parsed?.positionals).toEqual({ SOURCE: dir, MORE: [file] });
    expect(parsed?.raw).toEqual({ out: 'o', tag: ['x', 'y'], count: 3 });
  });

  it('answers --help with undefined, before checking what is required', () => {
    expect(command.parse(['--help'])).toBeUndefined();
  });
});

describe('defineCommand: usage errors name the flag or argument, what was expected and what came', () => {
  it('a required flag or argument that is missing', () => {
    expect(refusal([dir])).toBe(
      'demo needs --out DIR: expected --out to be given (output directory), got nothing',
    );
    expect(refusal(['--out', 'o'])).toBe('demo needs SOURCE: expected a directory to read, got nothing');
  });

  it('numbers out of range or not numbers, with the range in words', () => {
    expect(refusal([dir, '--out', 'o', '--rate', '1.5'])).toBe(
      'Expected --rate to be a number in [0, 1], got `"1.5"` (string)',
    );
    expect(refusal([dir, '--out', 'o', '--count', '2.5'])).toBe(
      'Expected --count to be an integer in [1, 10], got `"2.5"` (string)',
    );
    expect(refusal([dir, '--out', 'o', '--score', 'lots'])).toBe(
      'Expected --score to be a number of points ≥ 0, got `"lots"` (string)',
    );
    expect(refusal([dir, '--out', 'o', '--rate', ''])).toMatch(/^Expected --rate to be a number/);
  });

  it('choices, and paths that must exist and be of their kind', () => {
    expect(refusal([dir, '--out', 'o', '--kind', 'c'])).toBe(
      'Expected --kind to be one of a, b, got `"c"` (string)',
    );
    const missing = join(dir, 'nowhere');
    expect(refusal([dir, '--out', 'o', '--fixtures', missing])).toBe(
      `Expected --fixtures to be a directory, got \`"${missing}"\` (string), which does not exist (${missing})`,
    );
    expect(refusal([file, '--out', 'o'])).toBe(
      `Expected SOURCE to be a directory, got \`"${file}"\` (string), which is not a directory (${file})`,
    );
    expect(refusal([dir, dir, '--out', 'o'])).toContain('Expected MORE to be a file');
  });

  it('too many arguments, for a command with a fixed number and for one that takes none', () => {
    const two = defineCommand({
      name: 'pair',
      synopsis: 'pair A B',
      summary: 'Takes two.',
      positionals: [
        { name: 'A', description: 'one' },
        { name: 'B', description: 'another' },
      ],
      flags: {},
    });
    expect(() => two.parse(['x', 'y', 'z'])).toThrow('Expected at most 2 arguments (A B), got 3: x y z');
    expect(() => two.parse(['x'])).toThrow('pair needs B: expected another, got nothing');
    const none = defineCommand({ name: 'none', synopsis: 'none', summary: 'Takes none.', flags: {} });
    expect(() => none.parse(['stray'])).toThrow(
      'Expected only options (none takes no arguments), got `"stray"` (string)',
    );
  });

  it('a positional with choices', () => {
    const target = defineCommand({
      name: 'ship',
      synopsis: 'ship TARGET',
      summary: 'Ships.',
      positionals: [{ name: 'TARGET', description: 'where to', choices: ['x', 'y'] }],
      flags: {},
    });
    expect(() => target.parse(['z'])).toThrow('Expected TARGET to be one of x, y, got `"z"` (string)');
    expect(target.parse(['y'])?.positionals).toEqual({ TARGET: 'y' });
  });
});

describe('defineCommand: help', () => {
  it('lists the arguments and every flag with its value name, required, default and repeatable, then --help', () => {
    const lines = command.usage.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Usage: npm run demo -- SOURCE [MORE...] --out DIR [options]',
      'Does a demo.',
      '',
      'Arguments:',
      expect.stringMatching(/^ {2}SOURCE +a directory to read$/),
    ]);
    expect(command.usage).toMatch(/^ {2}MORE\.\.\. +more files \(optional\)$/m);
    expect(command.usage).toMatch(/^ {2}--out DIR +output directory \(required\)$/m);
    expect(command.usage).toMatch(/^ {2}--rate N +a share \(default 0\.5\)$/m);
    expect(command.usage).toMatch(/^ {2}--tag VALUE +a tag \(may be given more than once\)$/m);
    expect(command.usage).toMatch(/^ {2}--quick +be quick$/m);
    expect(lines.at(-1)).toMatch(/^ {2}--help +print this help$/);
  });
});
