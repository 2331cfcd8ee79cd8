/**
 * The one results model: every output (results.json, Gradescope JSON, JUnit, CSV, Markdown, HTML)
 * is written from it, and score and visibility are decided here, once (what a student may read of
 * them, in student-view.ts). Schema and type come from
 * one source and the model is validated before anything is written. Text that may come from a
 * submission (messages, mistakes' and diagnostics' strings, the submission's id and path) is
 * neutralised here, once (contract/untrusted-text.ts), so every reporter and the terminal read safe
 * text.
 */
import { Type, type Static } from '@sinclair/typebox';
import { neutralise } from '../contract/untrusted-text.js';
import { validateOrThrow } from '../contract/validate.js';
import type { Manifest } from '../graders/manifest-schema.js';
import { Visibility, WithheldAggregate } from '../graders/manifest-schema.js';
import { Diagnostics, Mistake, type Verdict } from '../graders/verdict.js';

/** Characters of a test's printed output kept in the results. */
const PRINTED_LENGTH = 8000;

export const TestResult = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    points: Type.Number({ minimum: 0 }),
    maxPoints: Type.Number({ minimum: 0 }),
    status: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('error')]),
    visibility: Visibility,
    message: Type.String(),
    mistake: Type.Optional(Mistake),
    diagnostics: Type.Optional(Diagnostics),
    durationMs: Type.Number({ minimum: 0 }),
    /** What the submission printed during the test: visible tests only, neutralised and capped. */
    printed: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const SubmissionResult = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    submission: Type.Object({ id: Type.String(), path: Type.String() }, { additionalProperties: false }),
    score: Type.Number({ minimum: 0 }),
    maxScore: Type.Number({ minimum: 0 }),
    /** Tests that a harness fault kept from being graded (scored 0): never silent. */
    graderErrors: Type.Integer({ minimum: 0 }),
    backend: Type.Object(
      { name: Type.String(), package: Type.String(), version: Type.String() },
      { additionalProperties: false },
    ),
    versions: Type.Record(Type.String(), Type.String()),
    seeds: Type.Object(
      { training: Type.Integer(), fixtures: Type.Array(Type.Integer()) },
      { additionalProperties: false },
    ),
    hiddenFixtures: Type.Boolean(),
    /** The manifest's choice of what students see of withheld tests together (results/student-view.ts); absent: `count`. */
    withheldAggregate: Type.Optional(WithheldAggregate),
    timings: Type.Object({ totalMs: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
    /**
     * The layers around the submission's process, and what was not in force here (a refused
     * bubblewrap and its fix, a limit that could not be measured): never a silent downgrade.
     */
    isolation: Type.Optional(
      Type.Object(
        {
          layers: Type.String(),
          notices: Type.Array(Type.String()),
          /** The memory limit of each child's process tree (`--memory-mib`). */
          memoryMiB: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** What the batch compares to skip a submission whose results are current. */
    cacheKey: Type.Optional(Type.String()),
    tests: Type.Array(TestResult),
  },
  { additionalProperties: false },
);

export type TestResult = Static<typeof TestResult>;
export type SubmissionResult = Static<typeof SubmissionResult>;

/** Points of one verdict: full when passed, 0 when failed or a grader error, a share when partial. */
export function pointsOf(verdict: Verdict, maxPoints: number): number {
  if (verdict.status === 'error') return 0;
  const fraction = verdict.fraction ?? (verdict.status === 'passed' ? 1 : 0);
  return Math.round(maxPoints * fraction * 100) / 100;
}

function neutralDiagnostics(d: Diagnostics): Diagnostics {
  return {
    ...d,
    ...(d.case === undefined ? {} : { case: neutralise(d.case, 200) }),
    ...(d.param === undefined ? {} : { param: neutralise(d.param, 200) }),
  };
}

export type ResultContext = Omit<
  SubmissionResult,
  'schemaVersion' | 'score' | 'maxScore' | 'graderErrors' | 'tests' | 'withheldAggregate'
>;

/** Joins verdicts with the manifest's names, points and visibility. A manifest test without a verdict is a grader error. */
export function buildResult(
  verdicts: readonly Verdict[],
  manifest: Manifest,
  context: ResultContext,
): SubmissionResult {
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  const tests: TestResult[] = manifest.tests
    .filter((t) => t.requires !== 'hidden-fixtures' || context.hiddenFixtures)
    .map((t) => {
      const v = byId.get(t.id) ?? {
        id: t.id,
        status: 'error' as const,
        message: 'grader error: this test produced no verdict',
        durationMs: 0,
      };
      return {
        id: t.id,
        name: t.name,
        points: pointsOf(v, t.points),
        maxPoints: t.points,
        status: v.status,
        visibility: t.visibility,
        message: neutralise(v.message),
        ...(v.mistake
          ? { mistake: { id: neutralise(v.mistake.id, 200), hint: neutralise(v.mistake.hint) } }
          : {}),
        ...(v.diagnostics ? { diagnostics: neutralDiagnostics(v.diagnostics) } : {}),
        durationMs: v.durationMs,
        // Decided here, once: a test that is not visible shows no output, whatever its verdict holds.
        ...(v.printed !== undefined && t.visibility === 'visible'
          ? { printed: neutralise(v.printed, PRINTED_LENGTH) }
          : {}),
      };
    });
  const unknown = verdicts.filter((v) => !manifest.tests.some((t) => t.id === v.id));
  if (unknown.length > 0)
    throw new Error(`verdicts for tests the manifest does not list: ${unknown.map((v) => v.id).join(', ')}`);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return validateOrThrow(
    SubmissionResult,
    {
      schemaVersion: 1,
      ...context,
      submission: {
        id: neutralise(context.submission.id, 200),
        path: neutralise(context.submission.path, 1000),
      },
      score: round(tests.reduce((s, t) => s + t.points, 0)),
      maxScore: round(tests.reduce((s, t) => s + t.maxPoints, 0)),
      graderErrors: tests.filter((t) => t.status === 'error').length,
      withheldAggregate: manifest.withheldAggregate ?? 'count',
      tests,
    },
    `the results of ${context.submission.id}`,
  );
}
