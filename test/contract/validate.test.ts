import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { problemsWith, validateOrThrow } from '../../contract/validate.js';

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
