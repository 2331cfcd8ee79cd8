/** Reading a submission's files in the grading process: no links, regular files only, caps, no prototype keys. */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStudentJson, readStudentText } from '../../contract/student-file.js';
import { readTuningChoice } from '../../contract/tuning-schema.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'student-file-'));

describe('readStudentText', () => {
  it('reads a regular file', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), '{"x": 1}');
    expect(readStudentText(d, 'a.json')).toEqual({ ok: true, value: '{"x": 1}' });
    expect(readStudentText(d, 'b.json')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses a symlink (to a device, to a file outside), a FIFO, a hard link and a file over the cap, quickly and without quoting', () => {
    const d = dir();
    symlinkSync('/dev/zero', join(d, 'zero.json'));
    symlinkSync('/etc/passwd', join(d, 'passwd.json'));
    execFileSync('mkfifo', [join(d, 'fifo.json')]);
    writeFileSync(join(d, 'big.json'), 'x'.repeat(70_000));
    writeFileSync(join(d, 'one.json'), '{}');
    linkSync(join(d, 'one.json'), join(d, 'two.json'));
    const started = Date.now();
    for (const name of ['zero.json', 'passwd.json'])
      expect(readStudentText(d, name)).toEqual({
        ok: false,
        reason: 'refused',
        message: `${name} is a symbolic link; the grader reads only regular files of the submission`,
      });
    expect(readStudentText(d, 'fifo.json')).toMatchObject({
      ok: false,
      reason: 'refused',
      message: expect.stringMatching(/not a regular file/),
    });
    expect(readStudentText(d, 'big.json')).toMatchObject({
      ok: false,
      reason: 'refused',
      message: 'big.json is 70000 bytes, over the limit of 65536',
    });
    expect(readStudentText(d, 'two.json')).toMatchObject({
      ok: false,
      reason: 'refused',
      message: expect.stringMatching(/hard link/),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('readStudentJson', () => {
  const withText = (text: string): string => {
    const d = dir();
    writeFileSync(join(d, 't.json'), text);
    return d;
  };

  it('refuses prototype keys, deep nesting and bad JSON, saying where and never what', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(readStudentJson(withText(`{"a": {"${key}": 1}}`), 't.json')).toMatchObject({
        ok: false,
        message: `t.json uses the key \`${key}\`, which the grader refuses`,
      });
    }
    expect(readStudentJson(withText(`${'['.repeat(17)}${']'.repeat(17)}`), 't.json')).toMatchObject({
      ok: false,
      message: 't.json nests arrays or objects deeper than 16 levels',
    });
    expect(readStudentJson(withText('{"s": "[[[[[[[[[[[[[[[[[[[[[[["}'), 't.json')).toEqual({
      ok: true,
      value: { s: '[[[[[[[[[[[[[[[[[[[[[[[' },
    });
    const bad = readStudentJson(withText('root:x:0:0:secret'), 't.json');
    expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
    expect(JSON.stringify(bad)).not.toMatch(/root|secret/);
  });

  it("tuning.json with crafted values is a student's failure, not a harness exception", () => {
    const d = dir();
    writeFileSync(
      join(d, 'tuning.json'),
      '{"optimizer": {"toString": 1, "valueOf": 1}, "hyperparameters": {}, "batchSize": 1, "claimed": {"valLoss": 0, "testAccuracy": 0}}',
    );
    expect(readTuningChoice(d)).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: expect.stringMatching(/does not fit its schema/),
    });
  });
});
