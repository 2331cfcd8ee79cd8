/**
 * The class-level view of many submissions' results: score histogram, per-test pass rate, the most
 * common named mistakes, the slowest submissions and the grader errors. Computed once here; the
 * class reports only read it.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { SubmissionResult } from './model.js';
import { STANDING_LABELS, standingOf } from './standing.js';

export const Cohort = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    submissions: Type.Integer({ minimum: 0 }),
    maxScore: Type.Number(),
    meanScore: Type.Number(),
    medianScore: Type.Number(),
    /** Ten bins over [0, maxScore]: counts. */
    histogram: Type.Array(
      Type.Object(
        { from: Type.Number(), to: Type.Number(), count: Type.Integer() },
        { additionalProperties: false },
      ),
    ),
    tests: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          passRate: Type.Number(),
          passed: Type.Integer(),
          graded: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    mistakes: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          hint: Type.String(),
          count: Type.Integer(),
          submissions: Type.Array(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    slowest: Type.Array(
      Type.Object({ id: Type.String(), seconds: Type.Number() }, { additionalProperties: false }),
    ),
    graderErrors: Type.Array(
      Type.Object(
        { id: Type.String(), tests: Type.Array(Type.String()), message: Type.String() },
        { additionalProperties: false },
      ),
    ),
    /** Submissions no test could grade for one shared reason (results/standing.ts), distinct from failing tests. */
    notGraded: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          standing: Type.Union([
            Type.Literal('empty'),
            Type.Literal('does-not-build'),
            Type.Literal('not-started'),
          ]),
          label: Type.String(),
          reason: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type Cohort = Static<typeof Cohort>;

export function cohortOf(results: readonly SubmissionResult[]): Cohort {
  const scores = results.map((r) => r.score).sort((a, b) => a - b);
  const maxScore = Math.max(0, ...results.map((r) => r.maxScore));
  const bins = 10;
  const histogram = Array.from({ length: bins }, (_, i) => ({
    from: (maxScore * i) / bins,
    to: (maxScore * (i + 1)) / bins,
    count: 0,
  }));
  for (const s of scores) histogram[Math.min(bins - 1, Math.floor((s / (maxScore || 1)) * bins))]!.count += 1;
  const testIds = [...new Map(results.flatMap((r) => r.tests.map((t) => [t.id, t.name] as const))).entries()];
  const tests = testIds.map(([id, name]) => {
    const graded = results.flatMap((r) => r.tests.filter((t) => t.id === id && t.status !== 'error'));
    const passed = graded.filter((t) => t.status === 'passed').length;
    return {
      id,
      name,
      passed,
      graded: graded.length,
      passRate: graded.length === 0 ? 0 : passed / graded.length,
    };
  });
  const mistakes = new Map<string, { id: string; hint: string; submissions: Set<string> }>();
  for (const r of results) {
    for (const t of r.tests) {
      if (t.mistake === undefined) continue;
      const entry = mistakes.get(t.mistake.id) ?? { ...t.mistake, submissions: new Set<string>() };
      entry.submissions.add(r.submission.id);
      mistakes.set(t.mistake.id, entry);
    }
  }
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    schemaVersion: 1,
    submissions: results.length,
    maxScore,
    meanScore: round(scores.reduce((a, b) => a + b, 0) / (scores.length || 1)),
    medianScore:
      scores.length === 0
        ? 0
        : round(
            scores.length % 2 === 1
              ? scores[(scores.length - 1) / 2]!
              : (scores[scores.length / 2 - 1]! + scores[scores.length / 2]!) / 2,
          ),
    histogram,
    tests,
    mistakes: [...mistakes.values()]
      .map((m) => ({
        id: m.id,
        hint: m.hint,
        count: m.submissions.size,
        submissions: [...m.submissions].sort(),
      }))
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    slowest: [...results]
      .sort((a, b) => b.timings.totalMs - a.timings.totalMs)
      .slice(0, 10)
      .map((r) => ({ id: r.submission.id, seconds: round(r.timings.totalMs / 1000) })),
    graderErrors: results
      .filter((r) => r.graderErrors > 0)
      .map((r) => ({
        id: r.submission.id,
        tests: r.tests.filter((t) => t.status === 'error').map((t) => t.id),
        message: r.tests.find((t) => t.status === 'error')?.message ?? '',
      })),
    notGraded: results.flatMap((r) => {
      const standing = standingOf(r);
      return standing.kind === 'graded'
        ? []
        : [
            {
              id: r.submission.id,
              standing: standing.kind,
              label: STANDING_LABELS[standing.kind],
              reason: standing.reason,
            },
          ];
    }),
  };
}
