/**
 * runner/encode.ts and runner/protocol.ts: a trained net's parameters travel packed (base64 of the
 * float32 bytes). The grading process gets back exactly the child's numbers, non-finite ones
 * included, and an answer whose packed values are cut or not base64 is a malformed answer (the
 * submission's failure), never a grader error.
 */
import { describe, expect, it } from 'vitest';
import { encode, PackedFloat32 } from '../../runner/encode.js';
import { checked } from '../../runner/executor-types.js';
import { FromChild } from '../../runner/channel.js';
import { MAX_VALUES, RESULT_SCHEMAS, responseProblems } from '../../runner/protocol.js';

const answer = (initial: unknown[], final: unknown[]) => ({
  ok: true,
  value: { losses: [1.5, 'NaN'], initial, final },
});

describe('packed parameters', () => {
  it('arrive as the same numbers, non-finite values and float32 rounding included', () => {
    const a = new Float32Array([0.1, -2.5, Number.NaN, Infinity, -Infinity, 3e-39]);
    const b = new Float32Array([]);
    const wire = JSON.parse(
      JSON.stringify(
        encode(answer([new PackedFloat32(a), new PackedFloat32(b)], [new PackedFloat32(a.subarray(2))])),
      ),
    );
    expect(wire.value.initial[0]).toEqual({ f32: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    const outcome = checked('training', wire);
    expect(outcome.ok).toBe(true);
    const value = (
      outcome as { result: { value: { losses: number[]; initial: number[][]; final: number[][] } } }
    ).result.value;
    expect(value.initial).toEqual([Array.from(a), []]);
    expect(value.final).toEqual([Array.from(a.subarray(2))]);
    expect(value.losses).toEqual([1.5, Number.NaN]);
  });

  it('refuses a packed tensor that is not a whole number of float32 values, naming where', () => {
    const wire = answer([{ f32: Buffer.from([1, 2, 3, 4, 5, 6, 7]).toString('base64') }], []);
    expect(checked('training', wire)).toEqual({
      ok: false,
      status: 'failed',
      message:
        "the submission's process returned a malformed answer: /value/initial/0: 7 bytes, not a whole number of float32 values",
    });
  });

  it('refuses values that are not base64, or numbers where packed values belong, or other keys', () => {
    for (const initial of [[{ f32: 'not base64!' }], [[0.1, 0.2]], [{ f32: 'AAAAAA==', extra: 1 }]]) {
      const outcome = checked('training', answer(initial, []));
      expect(outcome.ok, JSON.stringify(initial)).toBe(false);
      expect((outcome as { message: string }).message).toMatch(
        /^the submission's process returned a malformed answer: \/value\/initial\/0/,
      );
    }
  });
});

describe('packed parameters at the size limit', () => {
  it('take a tensor of 100,000 values and refuse one more', () => {
    const at = (n: number) =>
      checked('training', encode(answer([new PackedFloat32(new Float32Array(n).fill(0.5))], [])));
    expect(at(100_000).ok).toBe(true);
    expect(at(100_001).ok).toBe(false);
  });
});

describe('every array, string and record from the child has a cap', () => {
  /** Paths in `schema` of arrays without maxItems, strings without maxLength and records without maxProperties. */
  const uncapped = (schema: unknown, at: string, out: string[]): string[] => {
    if (schema === null || typeof schema !== 'object') return out;
    const s = schema as Record<string, unknown>;
    if (s.type === 'array' && typeof s.maxItems !== 'number') out.push(`${at} (array)`);
    if (s.type === 'string' && s.const === undefined && typeof s.maxLength !== 'number')
      out.push(`${at} (string)`);
    if (s.patternProperties !== undefined && typeof s.maxProperties !== 'number') out.push(`${at} (record)`);
    for (const [key, value] of Object.entries(s)) {
      if (Array.isArray(value)) value.forEach((v, i) => uncapped(v, `${at}/${key}/${i}`, out));
      else if (typeof value === 'object') uncapped(value, `${at}/${key}`, out);
    }
    return out;
  };

  it('in every response schema and in the channel envelope', () => {
    const found = Object.entries(RESULT_SCHEMAS).flatMap(([kind, schema]) => uncapped(schema, kind, []));
    found.push(...uncapped(FromChild, 'FromChild', []));
    expect(found).toEqual([]);
  });

  it('refuses an array past its cap before anything reads it', () => {
    const long = Array.from({ length: MAX_VALUES + 1 }, () => 0.5);
    const problems = responseProblems('step', { ok: true, value: { loss: 1, lossFnValue: 1, params: long } });
    expect(problems.join('\n')).toMatch(/params.*must NOT have more than 200000 items/);
  });
});
