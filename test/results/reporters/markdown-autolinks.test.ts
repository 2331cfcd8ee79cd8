/**
 * Issue 21, class 11: no text of a submission becomes a live link in a Markdown output. GitHub's
 * renderer (cmark-gfm) links bare `scheme://…`, `www.…` and email addresses by itself (its
 * "extended autolinks"), after escapes, so every Markdown file the grader writes is read back here
 * and searched for what would trigger one: both Markdown outputs, the submission's summary.md (the
 * student's job summary) and the class summary.md (the TA's), written by the real output path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../graders/manifest-schema.js';
import type { Verdict } from '../../../graders/verdict.js';
import { buildResult } from '../../../results/model.js';
import { defuseAutolinks, markdownText } from '../../../results/reporters/markdown.js';
import { writeClassOutputs, writeSubmissionOutputs } from '../../../services/grading/outputs.js';
import { contextOf, tempDir } from './sample-results.js';

const LINKS = [
  'https://evil.example/steal?token=1',
  'http://evil.example',
  'HTTPS://EVIL.EXAMPLE',
  'ftp://evil.example/file',
  'www.evil.example',
  'WWW.Evil.example/path',
  '_www.evil.example_',
  '(www.evil.example)',
  'student@evil.example',
  'mailto:student@evil.example',
  'xmpp:student@evil.example/home',
].join(' and ');

/**
 * What makes cmark-gfm link on its own, searched in the raw Markdown (a backslash before a character
 * does not stop its autolinks): a scheme's `://`, `www.` and an `@` next to an address character.
 */
const AUTOLINK_TRIGGERS = [/:\/\//, /www\./i, /[A-Za-z0-9._+-]@|@[A-Za-z0-9]/];

function expectNoAutolink(markdown: string, where: string): void {
  for (const trigger of AUTOLINK_TRIGGERS)
    expect(markdown, `${where}: ${String(trigger)}`).not.toMatch(trigger);
}

const manifest: Manifest = {
  schemaVersion: 1,
  tests: [
    { id: 'failed', name: `see ${LINKS}`, points: 2, visibility: 'visible' },
    { id: 'error', name: 'a grader error', points: 1, visibility: 'visible' },
  ],
};

function resultOf(id: string) {
  const verdicts: Verdict[] = [
    {
      id: 'failed',
      status: 'failed',
      message: `expected 1, got 2; the submission printed: ${LINKS}`,
      mistake: { id: `mistake ${LINKS}`, hint: `hint ${LINKS}` },
      durationMs: 3,
    },
    { id: 'error', status: 'error', message: `grader error: child wrote ${LINKS}`, durationMs: 1 },
  ];
  return buildResult(verdicts, manifest, contextOf(id));
}

describe('Markdown outputs and autolinks', () => {
  it("the submission's summary.md: names, messages, hints and grader errors link nowhere", () => {
    const dir = tempDir();
    writeSubmissionOutputs(resultOf('www.evil.example'), dir);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expectNoAutolink(summary, 'summary.md');
    // Still readable: the text is there, defused.
    expect(summary).toContain('https\\[:\\]//evil.example/steal?token=1');
    expect(summary).toContain('student\\[@\\]evil.example');
    expect(summary).toContain('## Autograder results: www\\[.\\]evil.example');
  });

  it('the class summary.md: submission ids (www.… is a valid one) and mistake ids link nowhere', () => {
    const dir = tempDir();
    writeClassOutputs([resultOf('www.evil.example'), resultOf('me-at-evil.example')], dir);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expectNoAutolink(summary, 'class summary.md');
    expect(summary).toContain('www\\[.\\]evil.example');
    expect(summary).toContain('mistake https\\[:\\]//evil.example');
  });

  it('defuses each kind on its own, and leaves other text alone', () => {
    expect(defuseAutolinks('https://a.b')).toBe('https[:]//a.b');
    expect(defuseAutolinks('go to www.a.b')).toBe('go to www[.]a.b');
    expect(defuseAutolinks('a@b.c')).toBe('a[@]b.c');
    expect(defuseAutolinks('mailto:x')).toBe('mailto[:]x');
    expect(defuseAutolinks('loss 0.25: ok, lr = 1e-3')).toBe('loss 0.25: ok, lr = 1e-3');
    expectNoAutolink(markdownText(LINKS), 'markdownText');
  });
});
