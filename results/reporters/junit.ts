/**
 * JUnit XML, for CI test-report viewers: one <testsuite>, a <testcase> per test, <failure> for a
 * failed test and <error> for a grader error. Every string is escaped by course/xml.ts, which
 * drops the characters XML 1.0 forbids (most control characters, lone surrogates). Like every
 * report a student may read, it is written from the student's view (results/student-view.ts): a
 * withheld test is a <skipped> testcase with no time, whatever its outcome, after the visible ones,
 * and the suite's counts, time and score count the visible tests only (plus the one aggregate the
 * view allows).
 */
import { xmlAttribute, xmlText } from '../../course/xml.js';
import type { SubmissionResult, TestResult } from '../model.js';
import { studentViewOf, type WithheldGroup } from '../student-view.js';
import { detailsOf, graderErrorText, type Reporter } from './reporter.js';

/** `optimizer.GD.steps` → `optimizer.GD`; an id without a dot is its own group. */
export function groupOf(id: string): string {
  const dot = id.lastIndexOf('.');
  return dot <= 0 ? id : id.slice(0, dot);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(test: TestResult): string {
  const open = `  <testcase classname="${xmlAttribute(`optnn.${groupOf(test.id)}`)}" name="${xmlAttribute(`${test.id}: ${test.name}`)}" time="${seconds(test.durationMs)}">`;
  const points = `    <system-out>${xmlText(`${test.points} / ${test.maxPoints} points`)}</system-out>`;
  if (test.status === 'passed') return `${open}\n${points}\n  </testcase>`;
  const [tag, type, message] =
    test.status === 'error'
      ? ['error', 'grader-error', graderErrorText(test)]
      : ['failure', 'failed', detailsOf(test)];
  const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
  return `${open}\n    <${tag} message="${xmlAttribute(firstLine)}" type="${type}">${xmlText(message)}</${tag}>\n${points}\n  </testcase>`;
}

/** A withheld test: skipped, with no time and no points of its own, whatever its outcome. */
function withheldTestcase(group: WithheldGroup): (test: WithheldGroup['tests'][number]) => string {
  const until = group.until;
  return (test) =>
    `  <testcase classname="${xmlAttribute(`optnn.${groupOf(test.id)}`)}" name="${xmlAttribute(`${test.id}: ${test.name}`)}" time="0">\n` +
    `    <skipped message="${xmlAttribute(`withheld: ${until}`)}"/>\n` +
    `    <system-out>${xmlText(`withheld (${test.maxPoints} points)`)}</system-out>\n  </testcase>`;
}

export function toJunit(result: SubmissionResult): string {
  const view = studentViewOf(result);
  const failures = view.tests.filter((t) => t.status === 'failed').length;
  const skipped = view.withheld.reduce((n, g) => n + g.tests.length, 0);
  const properties: [string, string][] = [
    ['score', String(view.score)],
    ['maxScore', String(view.maxScore)],
    ['graderErrors', String(view.graderErrors)],
    ['backend', view.backend.name],
    ['hiddenFixtures', String(view.hiddenFixtures)],
    ...view.withheld.map((g): [string, string] => [`withheld.${g.visibility}`, g.note]),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xmlAttribute(`optnn: ${view.submission.id}`)}" tests="${view.tests.length + skipped}" failures="${failures}" errors="${view.graderErrors}" skipped="${skipped}" time="${seconds(view.durationMs)}">`,
    '  <properties>',
    ...properties.map(
      ([name, value]) => `    <property name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`,
    ),
    '  </properties>',
    ...view.tests.map(testcase),
    ...view.withheld.flatMap((g) => g.tests.map(withheldTestcase(g))),
    '</testsuite>',
    '',
  ].join('\n');
}

export const junitReporter: Reporter = { name: 'junit', fileName: 'junit.xml', render: toJunit };
