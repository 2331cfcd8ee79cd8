/** Neutralising a submission's text for terminals, CI logs, HTML, Markdown and CSV. */
import { describe, expect, it } from 'vitest';
import { defuseFormula, neutralise } from '../../contract/untrusted-text.js';

describe('neutralise', () => {
  it('removes ANSI and OSC sequences and NUL, shows other control characters and bidi overrides visibly', () => {
    expect(neutralise('a\x1b[2K\x1b[1A\x1b[32mPASS\x1b[0m b')).toBe('aPASS b');
    expect(neutralise('x\x1b]52;c;ZWNobw==\x07y\x1b]8;;http://e\x1b\\z')).toBe('xyz');
    expect(neutralise('n\0u\rl\x9b31m\u202eevil')).toBe('nu\\x0dl\\x9b31m\\u202eevil');
    expect(neutralise('tab\tand\nline')).toBe('tab\tand\nline');
  });

  it('defuses a GitHub workflow command at the start of any line, even indented', () => {
    expect(neutralise('ok\n   ::warning file=x::boo\n::set-output name=a::1\n\t::add-mask::s')).toBe(
      'ok\n   : :warning file=x::boo\n: :set-output name=a::1\n\t: :add-mask::s',
    );
    expect(neutralise('a::b')).toBe('a::b');
  });

  it('caps the length', () => {
    const long = neutralise('x'.repeat(10_000));
    expect(long.length).toBe(4000);
    expect(long.endsWith('… (cut)')).toBe(true);
  });
});

describe('defuseFormula', () => {
  it('puts a quote before a cell a spreadsheet would run', () => {
    for (const t of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(defuseFormula(t)).toBe(`'${t}`);
    expect(defuseFormula('plain')).toBe('plain');
  });
});
