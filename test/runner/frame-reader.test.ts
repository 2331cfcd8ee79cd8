/** The grading process's parser of the child's channel: limits, strict parsing, the seal, the envelope. */
import { describe, expect, it } from 'vitest';
import { newKey, seal } from '../../runner/channel-auth.js';
import { FrameReader, parseFrame } from '../../runner/frame-reader.js';

const key = Buffer.from(newKey(), 'hex');

function read(
  chunks: Buffer[],
  limits = { frameBytes: 100, requestBytes: 250 },
): { lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  const reader = new FrameReader(
    limits,
    (l) => lines.push(l),
    (p) => problems.push(p),
  );
  for (const c of chunks) reader.push(c);
  return { lines, problems };
}

describe('FrameReader', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    expect(read([Buffer.from('ab'), Buffer.from('c\nde\nf'), Buffer.from('g\n')])).toEqual({
      lines: ['abc', 'de', 'fg'],
      problems: [],
    });
  });

  it('refuses a frame over its cap, once, and drops everything after it', () => {
    const { lines, problems } = read([Buffer.alloc(60, 97), Buffer.alloc(60, 97), Buffer.from('\nok\n')]);
    expect(lines).toEqual([]);
    expect(problems).toEqual(["wrote a frame longer than 0 MiB on the grader's channel"]);
  });

  it('refuses more bytes per request than its cap, even in short lines', () => {
    const { problems } = read(Array.from({ length: 30 }, () => Buffer.from('123456789\n')));
    expect(problems).toEqual(["wrote more than 0 MiB on the grader's channel for one request"]);
  });
});

describe('parseFrame', () => {
  it('accepts a sealed message of the protocol', () => {
    expect(parseFrame(key, JSON.stringify(seal(key, { type: 'response', id: 3, result: [1] })))).toEqual({
      ok: true,
      message: { type: 'response', id: 3, result: [1] },
    });
  });

  it('says what is wrong with a line that is not JSON, unsealed, or not of the protocol, and never throws', () => {
    expect(parseFrame(key, '{"payload": ')).toEqual({
      ok: false,
      problem: "wrote a line that is not JSON on the grader's channel (12 characters)",
    });
    expect(parseFrame(key, JSON.stringify({ type: 'response', id: 1, result: 1 }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/forged/),
    });
    expect(
      parseFrame(key, JSON.stringify(seal(key, { type: 'response', id: 1, result: 1, error: 'x' }))),
    ).toMatchObject({ ok: false, problem: expect.stringMatching(/not one of the protocol's/) });
    expect(
      parseFrame(key, JSON.stringify(seal(key, { type: 'ready', backend: { toString: 1 } }))),
    ).toMatchObject({ ok: false });
    expect(parseFrame(key, '['.repeat(200_000))).toMatchObject({ ok: false });
  });
});
