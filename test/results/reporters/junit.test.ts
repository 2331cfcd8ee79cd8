import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../../results/model.js';
import { xmlAttribute, xmlText } from '../../../course/xml.js';
import { groupOf, toJunit } from '../../../results/reporters/junit.js';
import { writeReports } from '../../../results/reporters/registry.js';
import {
  FORBIDDEN_IN_XML,
  HOSTILE,
  HOSTILE_ID,
  SAMPLES,
  SECRET,
  graderErrorResult,
  hiddenResult,
  hostileResult,
  tempDir,
} from './sample-results.js';

interface Issue {
  message: string;
  type: string;
  '#text'?: string;
}
interface Testcase {
  classname: string;
  name: string;
  time: string;
  failure?: Issue;
  error?: Issue;
  skipped?: { message: string };
  'system-out': string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  testcase: Testcase[];
}

/** Characters outside XML 1.0's Char production. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'testcase',
});

function written(result: SubmissionResult): { xml: string; suite: Suite } {
  const dir = tempDir();
  writeReports(result, dir, ['junit']);
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(NOT_XML_CHAR);
  const doc = parser.parse(xml) as { testsuite: Suite };
  return { xml, suite: doc.testsuite };
}

describe('the JUnit reporter', () => {
  it.each(SAMPLES)('writes well-formed XML whose counts match the results (%s)', (_, make) => {
    const result = make();
    const { suite } = written(result);
    const visible = result.tests.filter((t) => t.visibility === 'visible');
    const withheld = result.tests.filter((t) => t.visibility !== 'visible');
    expect(suite.testcase).toHaveLength(result.tests.length);
    expect(Number(suite.tests)).toBe(result.tests.length);
    const failed = visible.filter((t) => t.status === 'failed').length;
    const errors = visible.filter((t) => t.status === 'error').length;
    expect(Number(suite.failures)).toBe(failed);
    expect(Number(suite.errors)).toBe(errors);
    expect(Number(suite.skipped)).toBe(withheld.length);
    expect(suite.testcase.filter((c) => c.failure !== undefined)).toHaveLength(failed);
    expect(suite.testcase.filter((c) => c.error !== undefined)).toHaveLength(errors);
    expect(suite.testcase.filter((c) => c.skipped !== undefined)).toHaveLength(withheld.length);
    // The visible tests' time, never the whole grading's (which counts the withheld tests' too).
    expect(suite.time).toBe((visible.reduce((s, t) => s + t.durationMs, 0) / 1000).toFixed(3));
    [...visible, ...withheld].forEach((test, i) => {
      const testcase = suite.testcase[i];
      expect(testcase?.classname).toBe(`optnn.${groupOf(test.id)}`);
      expect(testcase?.['system-out']).toBe(
        test.visibility === 'visible'
          ? `${test.points} / ${test.maxPoints} points`
          : `withheld (${test.maxPoints} points)`,
      );
      if (test.visibility !== 'visible') expect(testcase?.time).toBe('0');
    });
  });

  it('groups tests by their id without its last part', () => {
    expect(groupOf('optimizer.GD.steps')).toBe('optimizer.GD');
    expect(groupOf('training.step')).toBe('training');
    expect(groupOf('nets')).toBe('nets');
  });

  it('a grader error is an <error> that says "Autograder error"', () => {
    const { suite } = written(graderErrorResult());
    const loop = suite.testcase.find((c) => c.name.startsWith('training.loop: '));
    expect(loop?.failure).toBeUndefined();
    expect(loop?.error?.type).toBe('grader-error');
    expect(loop?.error?.message).toMatch(/^Autograder error: grader error: this test produced no verdict/);
  });

  it('a test that is not visible yet is skipped, shows only when it will be, never its status or message', () => {
    const { xml, suite } = written(hiddenResult());
    expect(xml).not.toContain(SECRET);
    expect(suite.testcase[0]?.failure?.['#text']).toBe(
      'the visible message\nHint (sign-error): Subtract the gradient.',
    );
    for (const c of suite.testcase.slice(1)) {
      expect(c.failure).toBeUndefined();
      expect(c.error).toBeUndefined();
    }
    expect(suite.testcase[1]?.skipped?.message).toBe('withheld: hidden until course staff release it');
    expect(suite.testcase[3]?.skipped?.message).toBe('withheld: hidden until grades are published');
  });

  it('hostile names and messages round-trip, forbidden characters are dropped and no markup escapes', () => {
    const { xml, suite } = written(hostileResult());
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<\/testcase>/g)).toHaveLength(4);
    expect(xml).not.toContain('<script>');
    expect(suite.name).toBe(`optnn: ${HOSTILE_ID}`);
    expect(suite.testcase[0]?.name).toBe(`ok: ${HOSTILE}`);
    expect(suite.testcase[1]?.failure?.['#text']).toBe(`${HOSTILE}\nHint (hostile): ${HOSTILE}`);
    expect(suite.testcase[1]?.failure?.message).toBe(HOSTILE.split('\n')[0]);
    expect(suite.testcase[2]?.error?.['#text']).toContain(`grader error: ${HOSTILE}`);
    expect(suite.testcase[3]?.name).toBe('control: ctlname');
    // The results model shows a message's control characters visibly (contract/untrusted-text.ts).
    expect(suite.testcase[3]?.failure?.['#text']).toBe('ctl\\x07\\x0b\\x0c\\x1fmessage');
  });

  it('escapes text and attributes', () => {
    expect(xmlText(`a<b>&c${FORBIDDEN_IN_XML}"'`)).toBe(`a&lt;b&gt;&amp;c"'`);
    expect(xmlAttribute('"q"\t\'s\'\r\n')).toBe('&quot;q&quot;&#9;&apos;s&apos;&#13;&#10;');
    expect(xmlText('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('a line break in a message attribute survives attribute normalization', () => {
    const xml = toJunit(hostileResult());
    expect(xml).toContain(
      'message="Autograder error: grader error: x&lt;/testcase&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; | pipe, comma &quot;double&quot; &apos;single&apos;"',
    );
  });
});
