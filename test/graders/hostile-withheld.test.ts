/**
 * Issue 21, classes 7 and 8, end to end: the hostile case `withheld-channel` (an Adam whose hidden
 * test fails slowly, its message carrying the hidden hyperparameters it saw) and the reference are
 * graded with hidden fixtures in real child processes, under bubblewrap and under the Node-only
 * layers, and their outputs written by the real output path. The TA's results.json shows the
 * hidden test's failure and message; every output a student reads is the same for both (times of
 * the visible test aside), and none shows a hidden input or the submission's message.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { buildResult, type SubmissionResult } from '../../results/model.js';
import { bubblewrap, findBubblewrap, unprivileged } from '../../runner/sandbox.js';
import type { GradescopeResults } from '../../results/reporters/gradescope-schema.js';
import { toPrairieLearn, type PrairieLearnResults } from '../../services/packages/export-prairielearn.js';
import { writeSubmissionOutputs } from '../../services/grading/outputs.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';
import {
  HOSTILE_CORPUS,
  PROJECT_ROOT,
  TEST_LIMITS,
  cleanup,
  loadHostile,
  materialise,
} from '../helpers/materialise.js';

const AREA = 'hostile/withheld';
const hidden = join(PROJECT_ROOT, '.work', AREA, 'hidden-fixtures');
const ONLY = ['optimizer.Adam.hidden', 'nets'];
const bwrap = findBubblewrap();
const LAYERS = [
  ...(bwrap === undefined ? [] : [['bubblewrap', { sandbox: bubblewrap(bwrap) }] as const]),
  ['the Node-only layers', { sandbox: unprivileged }] as const,
];

/** Adam's hidden hyperparameters: those of the hidden fixtures that no public case has. */
function hiddenArgs(): string[] {
  const publicAdam = readFileSync(join(PROJECT_ROOT, 'fixtures', 'public', 'adam.json'), 'utf8');
  return readdirSync(hidden)
    .flatMap(
      (f) =>
        (
          JSON.parse(readFileSync(join(hidden, f), 'utf8')) as {
            cases: Array<{ input: { optimizer: string; args: number[] } }>;
          }
        ).cases,
    )
    .filter((c) => c.input.optimizer === 'Adam')
    .map((c) => JSON.stringify(c.input.args))
    .filter((args) => !publicAdam.includes(args.slice(1, -1)));
}

async function graded(id: string, isolation: (typeof LAYERS)[number][1]): Promise<SubmissionResult> {
  const overlay = id === 'reference' ? undefined : join(HOSTILE_CORPUS, id);
  const dir = materialise(AREA, id, overlay);
  const verdicts = await gradeSubmission(dir, {
    only: ONLY,
    hiddenDir: hidden,
    isolation: { limits: TEST_LIMITS, ...isolation },
  });
  const manifest = loadManifest();
  return buildResult(
    verdicts,
    { ...manifest, tests: manifest.tests.filter((t) => ONLY.includes(t.id)) },
    {
      submission: { id: 's007', path: dir },
      backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' },
      versions: {},
      seeds: { training: 1, fixtures: [1001] },
      hiddenFixtures: true,
      timings: { totalMs: 1000 },
    },
  );
}

/** Every file a student may read, with the visible test's time (which varies run to run) made equal. */
function studentFiles(result: SubmissionResult, out: string): Map<string, string> {
  rmSync(out, { recursive: true, force: true });
  writeSubmissionOutputs(result, out);
  const files = new Map<string, string>();
  for (const name of readdirSync(out).sort()) {
    if (name === 'results.json') continue;
    files.set(
      name,
      readFileSync(join(out, name), 'utf8')
        .replace(/plot-([a-z-]+)-\d+/g, 'plot-$1-N')
        .replace(/time="[\d.]+"/g, 'time="T"')
        .replace(/>\d+(\.\d+)? (ms|s)</g, '>T<')
        .replace(/"execution_time": \d+/, '"execution_time": 0'),
    );
  }
  files.set('prairielearn.json', JSON.stringify(toPrairieLearn(result, []), null, 1));
  return files;
}

describe('withheld-channel: a hidden test reveals nothing per test to a student', () => {
  beforeAll(async () => {
    rmSync(hidden, { recursive: true, force: true });
    await makeHiddenFixtures(hidden, 4243);
  }, 60_000);
  afterAll(() => cleanup(AREA));

  for (const [layers, isolation] of LAYERS) {
    it(`the TA sees the failure and the leaked inputs; the student's files are the reference's (${layers})`, async () => {
      const expectation = loadHostile('withheld-channel');
      const secrets = hiddenArgs();
      expect(secrets.length).toBeGreaterThan(0);
      const hostile = await graded('withheld-channel', isolation);
      const reference = await graded('reference', isolation);
      const hostileAdam = hostile.tests.find((t) => t.id === 'optimizer.Adam.hidden')!;
      expect(hostileAdam.status).toBe(expectation.status);
      expect(hostileAdam.message).toMatch(new RegExp(expectation.messageMatches));
      // The channel is real: the hidden test's own message carries a hidden input.
      expect(secrets.some((s) => hostileAdam.message.includes(s))).toBe(true);
      expect(reference.tests.map((t) => [t.id, t.status])).toEqual([
        ['optimizer.Adam.hidden', 'passed'],
        ['nets', 'passed'],
      ]);
      expect(hostile.tests.find((t) => t.id === 'nets')!.status).toBe('passed');

      const out = join(PROJECT_ROOT, '.work', AREA, 'out');
      const theirs = studentFiles(hostile, join(out, 'hostile'));
      expect(readFileSync(join(out, 'hostile', 'results.json'), 'utf8')).toContain('HOSTILE-withheld');
      for (const [name, text] of theirs) {
        expect(text, name).not.toContain('HOSTILE-withheld');
        for (const secret of secrets) expect(text, name).not.toContain(secret);
      }
      const ours = studentFiles(reference, join(out, 'reference'));
      // Files: the same bytes.
      for (const name of ['summary.md', 'junit.xml', 'grades.csv', 'report.html'])
        expect(theirs.get(name), name).toBe(ours.get(name));
      // An LMS: the withheld points together (0 against the reference's 3), nothing per test.
      const gradescope = JSON.parse(theirs.get('gradescope.json')!) as GradescopeResults;
      expect(gradescope.tests?.map((t) => [t.number, t.status, t.score])).toEqual([
        ['nets', 'passed', 4],
        ['withheld.after_published', undefined, 0],
      ]);
      const pl = JSON.parse(theirs.get('prairielearn.json')!) as PrairieLearnResults;
      expect(pl.tests?.map((t) => [t.name.split(':')[0], t.points])).toEqual([
        ['nets', 4],
        ['Withheld tests (1)', 0],
      ]);
    }, 240_000);
  }
});
