/**
 * The points manifest: every graded test's id, name, points and visibility, in one data file
 * (graders/manifest.json) rather than scattered through the suites. Validated on load.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { validateOrThrow } from '../contract/validate.js';

/** Gradescope's visibilities: shown at once, hidden, after the due date, after grades are published. */
export const Visibility = Type.Union([
  Type.Literal('visible'),
  Type.Literal('hidden'),
  Type.Literal('after_due_date'),
  Type.Literal('after_published'),
]);

/**
 * What a student's outputs show of the withheld tests (every visibility but `visible`) together,
 * before they are published (results/student-view.ts): `count` (the default), how many there are and
 * their maximum points, both public in this manifest; `points`, also the points they scored together.
 * Never anything per withheld test.
 */
export const WithheldAggregate = Type.Union([Type.Literal('count'), Type.Literal('points')]);

export const ManifestTest = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][A-Za-z0-9.-]*$' }),
    name: Type.String({ minLength: 1 }),
    points: Type.Number({ minimum: 0 }),
    visibility: Visibility,
    /** `hidden-fixtures`: graded only when the TA gives hidden fixtures. */
    requires: Type.Optional(Type.Literal('hidden-fixtures')),
    /**
     * Who can make the verdict forge-proof (docs/grading-policy.md): `grader`, the grading process
     * itself, from inputs it draws per grading; `hidden`, only the TA's hidden cases; `ta`, only the
     * TA's grading, which has the reference solution; `published`, nobody: its inputs and expected
     * values ship with the fixtures. Absent: `grader`.
     */
    verifiedBy: Type.Optional(
      Type.Union([
        Type.Literal('grader'),
        Type.Literal('hidden'),
        Type.Literal('ta'),
        Type.Literal('published'),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const Manifest = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    /** Absent: `count`. */
    withheldAggregate: Type.Optional(WithheldAggregate),
    tests: Type.Array(ManifestTest, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type Visibility = Static<typeof Visibility>;
export type WithheldAggregate = Static<typeof WithheldAggregate>;
export type ManifestTest = Static<typeof ManifestTest>;
export type Manifest = Static<typeof Manifest>;

export const MANIFEST_PATH = join(dirname(fileURLToPath(import.meta.url)), 'manifest.json');

export function loadManifest(path = MANIFEST_PATH): Manifest {
  const manifest = validateOrThrow(Manifest, JSON.parse(readFileSync(path, 'utf8')), path);
  const seen = new Set<string>();
  for (const test of manifest.tests) {
    if (seen.has(test.id)) throw new Error(`${path}: the test id ${test.id} appears twice`);
    seen.add(test.id);
  }
  return manifest;
}
