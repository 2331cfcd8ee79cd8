/**
 * `npm run grade -- [SUBMISSION_DIR] [options]`: grades one submission against the public tests
 * (and hidden fixtures with --hidden), writes `results.json` under `OUT/<submission-id>/` and prints
 * a summary. Without a directory it grades the reference solution.
 */
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { gradeSubmission } from '../graders/grade.js';
import { loadManifest } from '../graders/manifest-schema.js';
import { loadThresholds } from '../graders/thresholds-schema.js';
import { buildResult } from '../results/model.js';
import { PUBLIC_SEED } from './lib/fixture-cases.js';
import { parseFlags, usage, type FlagSpec } from './lib/args.js';
import { runMain } from './lib/main.js';
import { writeJsonAtomic } from './lib/write-json.js';
import { createProgress } from '../course/progress.js';
import { existsSync, statSync } from 'node:fs';

const FLAGS: Record<string, FlagSpec> = {
  out: { type: 'string', description: 'output directory (default out/grades); results go to OUT/<submission-id>/' },
  hidden: { type: 'string', description: 'a directory of hidden fixtures (npm run fixtures -- --hidden ...)' },
  backend: { type: 'string', description: 'auto, node-gpu, node, wasm or cpu (default: auto, or $OPTNN_BACKEND)' },
  only: { type: 'string', description: 'comma-separated test ids from graders/manifest.json' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage('npm run grade -- [SUBMISSION_DIR] [options]', 'Grades one submission (default: the reference solution).', FLAGS);

async function main(): Promise<void> {
  const { flags, positional } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) { console.log(USAGE); return; }
  if (positional.length > 1) throw new HarnessError('OPTNN_BAD_OPTION', `Expected at most one submission directory, got ${positional.length}: ${positional.join(' ')}`);
  const dir = resolve(positional[0] ?? 'reference');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HarnessError('OPTNN_BAD_OPTION', `The submission directory ${dir} does not exist`);
  const hiddenDir = typeof flags['hidden'] === 'string' ? resolve(flags['hidden']) : undefined;
  const manifest = loadManifest();
  const thresholds = loadThresholds();
  const only = typeof flags['only'] === 'string' ? flags['only'].split(',') : undefined;
  const unknown = (only ?? []).filter((id) => !manifest.tests.some((t) => t.id === id));
  if (unknown.length > 0) throw new HarnessError('OPTNN_BAD_OPTION', `Expected --only to name tests of graders/manifest.json, got ${unknown.join(', ')}`);

  tf.env().set('PROD', true);
  const backend = await selectBackend(typeof flags['backend'] === 'string' ? flags['backend'] : undefined);
  console.error(`grade: ${describeBackend(backend)}`);
  const started = performance.now();
  const bar = createProgress({ total: manifest.tests.length, label: `grading ${basename(dir)}` });
  const verdicts = await gradeSubmission(dir, {
    manifest, thresholds, ...(hiddenDir ? { hiddenDir } : {}), ...(only ? { only } : {}),
    onTest: (id, done) => bar.update(done, id),
  });
  bar.finish();
  const id = basename(dir);
  const result = buildResult(verdicts, only ? { ...manifest, tests: manifest.tests.filter((t) => only.includes(t.id)) } : manifest, {
    submission: { id, path: dir },
    backend: { name: backend.name, package: backend.package, version: backend.version },
    versions: { 'tfjs-core': tf.version_core, node: process.version },
    seeds: { training: thresholds.gradingSeed, fixtures: [PUBLIC_SEED] },
    hiddenFixtures: hiddenDir !== undefined,
    timings: { totalMs: performance.now() - started },
  });
  const outDir = join(resolve(typeof flags['out'] === 'string' ? flags['out'] : 'out/grades'), id);
  writeJsonAtomic(join(outDir, 'results.json'), result);
  for (const test of result.tests) {
    const mark = test.status === 'passed' ? 'PASS' : test.status === 'failed' ? 'FAIL' : 'ERROR';
    console.log(`${mark.padEnd(5)} ${`${test.points}/${test.maxPoints}`.padStart(7)}  ${test.id}${test.status === 'passed' ? '' : `\n        ${test.message.split('\n').join('\n        ')}`}`);
  }
  console.log(`\n${id}: ${result.score}/${result.maxScore} points, ${result.graderErrors} grader error(s), ${(result.timings.totalMs / 1000).toFixed(1)} s on ${backend.name}; wrote ${join(outDir, 'results.json')}`);
  if (result.graderErrors > 0) process.exitCode = 1;
}

runMain(main, USAGE);
