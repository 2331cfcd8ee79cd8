/**
 * The hostile corpus again under the Node-level layers only (the permission model, an empty
 * environment, the limits, the watchdog, and uid 65534 when the grader runs as root), as on a
 * machine without bubblewrap: every case must be contained by those layers alone. The slow
 * load-timeout cases are graded once, in hostile-broken/resources; one step timeout is kept here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { unprivileged } from '../../runner/sandbox.js';
import {
  cleanup,
  correctVerdicts,
  gradeHostile,
  hostileCases,
  hostileProblems,
  loadHostile,
} from '../helpers/materialise.js';

const SLOW = new Set(['top-level-await', 'import-infinite-loop', 'busy-wait']);
const cases = hostileCases().filter((id) => loadHostile(id).group !== 'special' && !SLOW.has(id));
const isolation = { sandbox: unprivileged };
afterAll(() => {
  cleanup('hostile/node-only');
  cleanup('hostile-correct-node-only');
  cleanup('hostile-out/hostile-node-only');
});

describe('every hostile case is contained without bubblewrap', () => {
  let before: string[] = [];
  it('a correct submission, graded first', async () => {
    before = await correctVerdicts('hostile-correct-node-only', isolation);
    for (const line of before) expect(line).toMatch(/: passed: /);
  }, 60_000);

  for (const id of cases) {
    const expectation = loadHostile(id);
    (expectation.knownHole === undefined ? it : it.fails)(
      `${id} (${expectation.group})`,
      async () => {
        const outcome = await gradeHostile(id, { isolation, area: 'hostile/node-only' });
        expect(hostileProblems(expectation, outcome)).toEqual([]);
      },
      90_000,
    );
  }

  it('the same correct submission, graded after them in the same process, gets the same verdicts', async () => {
    expect(await correctVerdicts('hostile-correct-node-only', isolation)).toEqual(before);
  }, 60_000);
});
