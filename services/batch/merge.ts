/**
 * `merge`: joins the results of one or more batch outputs (shards) into one class: every
 * submission once (a submission in two shards is an error: the shards overlap), each submission's
 * own outputs (`<id>/`, so `regrade-diff` and the class report work on the merged output), the
 * cohort summary and the class-level outputs.
 */
import { cpSync, existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateOrThrow } from '../../contract/validate.js';
import { HarnessError } from '../../course/errors.js';
import { cohortOf, type Cohort } from '../../results/cohort.js';
import { SubmissionResult } from '../../results/model.js';

/** Every `<id>/results.json` of a batch output; `required`: none is an error (e.g. a gradebook alone). */
export function readBatch(dir: string, options: { required?: boolean } = {}): SubmissionResult[] {
  if (!existsSync(dir))
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected a results directory (a batch or merge output), got ${dir}, which does not exist`,
    );
  const results = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'results.json')))
    .map((e) => {
      const path = join(dir, e.name, 'results.json');
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new HarnessError('OPTNN_SCHEMA', `${path} is not valid JSON: ${(error as Error).message}`);
      }
      return validateOrThrow(SubmissionResult, value, path);
    });
  if (options.required === true && results.length === 0) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected a results directory (a batch or merge output), got ${dir}, which holds no submission results (<id>/results.json)`,
    );
  }
  return results;
}

/** Merges the shards; with `out`, copies each submission's outputs to `out/<id>/` (replacing an older copy). */
export function mergeBatches(
  dirs: readonly string[],
  out?: string,
): { results: SubmissionResult[]; cohort: Cohort } {
  const seen = new Map<string, string>();
  const results: SubmissionResult[] = [];
  for (const dir of dirs) {
    for (const result of readBatch(dir)) {
      const other = seen.get(result.submission.id);
      if (other !== undefined)
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `The submission ${result.submission.id} appears in both ${other} and ${dir}: the shards overlap`,
        );
      seen.set(result.submission.id, dir);
      results.push(result);
    }
  }
  results.sort((a, b) => a.submission.id.localeCompare(b.submission.id));
  if (out !== undefined) {
    for (const result of results) {
      const from = join(seen.get(result.submission.id)!, result.submission.id);
      const to = join(out, result.submission.id);
      if (existsSync(to) && realpathSync(to) === realpathSync(from)) continue;
      rmSync(to, { recursive: true, force: true });
      cpSync(from, to, { recursive: true, dereference: false });
    }
  }
  return { results, cohort: cohortOf(results) };
}

export interface GradeChange {
  id: string;
  old: number | null;
  new: number | null;
  delta: number;
  tests: Array<{ id: string; old: number | null; new: number | null }>;
}

/** Which submissions' grades moved between two class results, by how much, on which tests. */
export function regradeDiff(
  oldResults: readonly SubmissionResult[],
  newResults: readonly SubmissionResult[],
): GradeChange[] {
  const before = new Map(oldResults.map((r) => [r.submission.id, r]));
  const after = new Map(newResults.map((r) => [r.submission.id, r]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: GradeChange[] = [];
  for (const id of ids) {
    const a = before.get(id);
    const b = after.get(id);
    const testIds = [...new Set([...(a?.tests ?? []), ...(b?.tests ?? [])].map((t) => t.id))];
    const tests = testIds
      .map((t) => ({
        id: t,
        old: a?.tests.find((x) => x.id === t)?.points ?? null,
        new: b?.tests.find((x) => x.id === t)?.points ?? null,
      }))
      .filter((t) => t.old !== t.new);
    const oldScore = a?.score ?? null;
    const newScore = b?.score ?? null;
    if (oldScore !== newScore || tests.length > 0) {
      changes.push({
        id,
        old: oldScore,
        new: newScore,
        delta: Math.round(((newScore ?? 0) - (oldScore ?? 0)) * 100) / 100,
        tests,
      });
    }
  }
  return changes;
}
