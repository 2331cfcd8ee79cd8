/**
 * The trajectories of known mistakes on a case, for fingerprinting a student's trajectory. For the
 * public cases they come from fixtures (`<fixtures>/mistakes/<optimizer>.json`, made by
 * `npm run fixtures`), so a student repository needs none of the buggy optimizers' code (which
 * sits one character from a solution). For other cases (a TA's hidden fixtures) the buggy
 * optimizers run here, in the grading process, when graders/mistakes/ is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { OPTIMIZER_FILES, type OptimizerClasses, type OptimizerName } from '../contract/index.js';
import { problemsWith } from '../contract/validate.js';
import { HarnessError } from '../course/errors.js';
import { runOptimizerCase, type Trajectory } from '../runner/optimizer-case.js';
import { decode, TrajectoryResult } from '../runner/protocol.js';
import type { LoadedCase } from './fixtures.js';
import { importOptional } from './optional-modules.js';

export interface KnownMistakeRun {
  id: string;
  hint: string;
  trajectory: Trajectory;
}

export type MistakeRuns = (c: LoadedCase) => KnownMistakeRun[];

export const MistakeFixture = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    generatedBy: Type.String(),
    backend: Type.String(),
    /** By case id: every known mistake's trajectory on that case's input. */
    cases: Type.Record(
      Type.String(),
      Type.Array(
        Type.Object(
          { id: Type.String(), hint: Type.String(), trajectory: TrajectoryResult },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type MistakeFixture = Static<typeof MistakeFixture>;

export const mistakeFixturePath = (dir: string, name: OptimizerName): string =>
  join(dir, 'mistakes', `${OPTIMIZER_FILES[name]}.json`);

/**
 * Mistake runs read from a fixtures directory, for that directory's public cases only: they are
 * keyed by case id, and a hidden case's id may equal a public one, so any other case gets none
 * (the mistakes' code computes its own, keyed by the hidden case's file and id).
 */
export function mistakeRunsFromFixtures(dir: string): MistakeRuns {
  const files = new Map<string, Map<string, KnownMistakeRun[]>>();
  return (c) => {
    if (c.visibility !== 'public' || resolve(dirname(c.file)) !== resolve(dir)) return [];
    const name = c.input.optimizer;
    let byCase = files.get(name);
    if (byCase === undefined) {
      byCase = new Map();
      const path = mistakeFixturePath(dir, name);
      if (existsSync(path)) {
        const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
        const problems = problemsWith(MistakeFixture, value);
        if (problems.length > 0)
          throw new HarnessError(
            'OPTNN_FIXTURE',
            `Fixture ${path} is malformed:\n  ${problems.slice(0, 5).join('\n  ')}`,
          );
        for (const [caseId, runs] of Object.entries((value as MistakeFixture).cases)) {
          byCase.set(
            caseId,
            runs.map((r) => ({ id: r.id, hint: r.hint, trajectory: decode<Trajectory>(r.trajectory) })),
          );
        }
      }
      files.set(name, byCase);
    }
    return byCase.get(c.id) ?? [];
  };
}

/** Runs every known mistake of the case's optimizer on its input (the code must be present). */
interface Registry {
  mistakesFor(name: OptimizerName): Array<{ id: string; hint: string; make(args: number[]): unknown }>;
}

export async function mistakeRunsFromCode(): Promise<MistakeRuns | undefined> {
  let registry: Registry;
  try {
    // graders/mistakes/ is left out of student repositories (graders/optional-modules.ts).
    registry = (await importOptional('mistakes')) as Registry;
  } catch {
    return undefined;
  }
  const cache = new Map<string, KnownMistakeRun[]>();
  return (c) => {
    const key = `${c.file}#${c.id}`;
    let runs = cache.get(key);
    if (runs === undefined) {
      runs = registry.mistakesFor(c.input.optimizer).map((mistake) => {
        const Make = function MistakeClass(...args: number[]) {
          return mistake.make(args);
        };
        const trajectory = runOptimizerCase(
          { [c.input.optimizer]: Make } as unknown as OptimizerClasses,
          c.input,
        );
        return { id: mistake.id, hint: mistake.hint, trajectory };
      });
      cache.set(key, runs);
    }
    return runs;
  };
}

/** Fixtures first (the public cases), the code for anything they do not cover. */
export function eitherRuns(first: MistakeRuns, second: MistakeRuns | undefined): MistakeRuns {
  return (c) => {
    const runs = first(c);
    return runs.length > 0 || second === undefined ? runs : second(c);
  };
}
