/**
 * One group of the hostile corpus (test/corpus/hostile/<id>/expected.json says which): each case is
 * reference/ plus an overlay, graded in isolated child processes as a TA would, then checked against
 * its expected.json: the affected tests score 0 (or pass, where the code earns it) with a message
 * naming what happened, the unaffected tests still pass, no process is left behind and nothing is
 * written outside the output directory. A case with `knownHole` is a hole in the isolation not yet
 * closed: its test is `it.fails`, and starts failing once the hole is closed. A correct submission
 * graded before and after the group, in the same process, gets the same verdicts.
 * The groups are separate test files so that vitest runs them in parallel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  correctVerdicts,
  gradeHostile,
  hostileCases,
  hostileProblems,
  loadHostile,
} from './materialise.js';

export function describeHostileGroup(group: string, title: string): void {
  const cases = hostileCases().filter((id) => loadHostile(id).group === group);
  afterAll(() => {
    cleanup(`hostile/${group}`);
    cleanup(`hostile-correct-${group}`);
    cleanup(`hostile-out/hostile-${group}`);
  });

  describe(title, () => {
    let before: string[] = [];
    it('a correct submission, graded first', async () => {
      before = await correctVerdicts(`hostile-correct-${group}`);
      expect(before.length).toBeGreaterThan(0);
      for (const line of before) expect(line).toMatch(/: passed: /);
    }, 60_000);

    for (const id of cases) {
      const expectation = loadHostile(id);
      (expectation.knownHole === undefined ? it : it.fails)(
        `${id}: ${expectation.description.slice(0, 90)}`,
        async () => {
          const outcome = await gradeHostile(id);
          expect(hostileProblems(expectation, outcome)).toEqual([]);
        },
        90_000,
      );
    }

    it('the same correct submission, graded after them in the same process, gets the same verdicts', async () => {
      expect(await correctVerdicts(`hostile-correct-${group}`)).toEqual(before);
    }, 60_000);
  });
}
