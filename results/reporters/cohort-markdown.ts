/** The class summary in Markdown (for a CI job summary): scores, pass rates, common mistakes, grader errors. */
import type { Cohort } from '../cohort.js';
import { markdownCell } from './markdown.js';

export function cohortMarkdown(cohort: Cohort): string {
  const lines = [
    `# Class results: ${cohort.submissions} submissions`,
    '',
    `Mean ${cohort.meanScore}, median ${cohort.medianScore} of ${cohort.maxScore} points.`,
    '',
    '| score | submissions |',
    '| --- | ---: |',
    ...cohort.histogram.map((b) => `| ${b.from.toFixed(0)}–${b.to.toFixed(0)} | ${b.count} |`),
    '',
    '| test | pass rate | passed / graded |',
    '| --- | ---: | ---: |',
    ...cohort.tests.map(
      (t) => `| ${markdownCell(t.id)} | ${(t.passRate * 100).toFixed(0)} % | ${t.passed} / ${t.graded} |`,
    ),
    '',
  ];
  if (cohort.mistakes.length > 0) {
    lines.push(
      '| most common named mistakes | submissions |',
      '| --- | ---: |',
      ...cohort.mistakes.slice(0, 10).map((m) => `| ${markdownCell(m.id)} | ${m.count} |`),
      '',
    );
  }
  if (cohort.notGraded.length > 0) {
    lines.push(
      '| not graded as usual | why |',
      '| --- | --- |',
      ...cohort.notGraded.map(
        (n) => `| ${markdownCell(n.id)} | ${markdownCell(`${n.label}: ${n.reason}`)} |`,
      ),
      '',
    );
  }
  lines.push(
    cohort.graderErrors.length === 0
      ? 'No grader errors.'
      : `**Grader errors in ${cohort.graderErrors.length} submission(s):** ${cohort.graderErrors.map((g) => markdownCell(g.id)).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
