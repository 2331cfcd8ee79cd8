import { describe, expect, it } from 'vitest';
import { parseFlags, usage, type FlagSpec } from '../../../scripts/cli/args.js';

const SPECS: Record<string, FlagSpec> = {
  quick: { type: 'boolean', description: 'short' },
  out: { type: 'string', description: 'a file' },
  seed: { type: 'integer', min: 1, description: 'a seed' },
  kind: { type: 'string', choices: ['a', 'b'], description: 'a kind' },
};

describe('parseFlags', () => {
  it('reads booleans, values after a space or an equals sign, and positionals', () => {
    expect(parseFlags(['--quick', '--out', 'x.json', '--seed=3', 'dir'], SPECS)).toEqual({
      flags: { quick: true, out: 'x.json', seed: 3 },
      positional: ['dir'],
    });
  });

  it('names the bad flag, what was expected and what came', () => {
    expect(() => parseFlags(['--speed', '3'], SPECS)).toThrow(
      /Unknown option --speed; the options are --quick, --out, --seed, --kind/,
    );
    expect(() => parseFlags(['--seed', '0'], SPECS)).toThrow(
      'Expected --seed to be an integer ≥ 1, got `"0"` (string)',
    );
    expect(() => parseFlags(['--seed', 'x'], SPECS)).toThrow(/got `"x"` \(string\)/);
    expect(() => parseFlags(['--out'], SPECS)).toThrow('The option --out needs a value (a file)');
    expect(() => parseFlags(['--quick=yes'], SPECS)).toThrow(/takes no value/);
    expect(() => parseFlags(['--kind', 'c'], SPECS)).toThrow(
      'Expected --kind to be one of a, b, got `"c"` (string)',
    );
  });

  it('documents every flag in the usage text', () => {
    const text = usage('cmd', 'does things', SPECS);
    for (const name of Object.keys(SPECS)) expect(text).toContain(`--${name}`);
  });
});
