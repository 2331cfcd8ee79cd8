/**
 * `npm run bench-reports`: how long the HTML reports take to render. Times one submission's report
 * (with every training curve, error curves and, with --experiments, the landscapes) and a class
 * report of --students results, and prints the figures against the budgets (1 s and 5 s).
 *   npm run bench-reports -- [--results DIR/results.json] [--reference DIR/results.json]
 *                            [--experiments FILE.json] [--students 200] [--repeat 5]
 * Without --results, it builds a realistic result from graders/manifest.json (every optimizer
 * failing one case with a 24-step error curve, 50-step training curves). Exit 1 when over budget.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateOrThrow } from '../contract/validate.js';
import { loadManifest } from '../graders/manifest-schema.js';
import type { Verdict } from '../graders/verdict.js';
import { buildResult, SubmissionResult } from '../results/model.js';
import {
  renderClassReport,
  renderSubmissionReport,
  trainingLossesOf,
  type SubmissionReportInput,
} from '../reports/render.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { ExperimentsRecord } from '../contract/experiment-record.js';
import { runMain } from '../scripts/cli/main.js';

const FLAGS: Record<string, FlagSpec> = {
  results: {
    type: 'string',
    description: 'a results.json to render (default: a synthetic result over the manifest)',
  },
  reference: { type: 'string', description: "the reference's results.json, for the reference loss curves" },
  experiments: { type: 'string', description: 'a record of npm run experiments, for the landscapes' },
  students: { type: 'integer', min: 1, description: 'size of the class report (default 200)' },
  repeat: {
    type: 'integer',
    min: 1,
    description: 'renders per measurement; the median is reported (default 5)',
  },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run bench-reports -- [options]',
  'Times the HTML submission report and a class report.',
  FLAGS,
);
const SUBMISSION_BUDGET_MS = 1000;
const CLASS_BUDGET_MS = 5000;

function readJson<T>(schema: Parameters<typeof validateOrThrow>[0], path: string): T {
  return validateOrThrow(schema, JSON.parse(readFileSync(resolve(path), 'utf8')), path) as T;
}

/** A result as the grader would build it: student `k` fails optimizer `k mod 7`'s steps, some diverge. */
function syntheticResult(k: number): SubmissionResult {
  const manifest = loadManifest();
  const optimizers = [
    ...new Set(
      manifest.tests
        .map((t) => /^optimizer\.([^.]+)\./.exec(t.id)?.[1])
        .filter((n): n is string => n !== undefined),
    ),
  ];
  const failing = optimizers[k % optimizers.length];
  const losses = Array.from(
    { length: 50 },
    (_, i) => 2.3 * Math.exp(-i / (15 + (k % 7))) + 0.3 + 0.05 * Math.sin(i * 1.7 + k),
  );
  const verdicts: Verdict[] = manifest.tests
    .filter((t) => t.requires === undefined)
    .map((t) => {
      if (t.id === `optimizer.${failing}.steps` || t.id === `optimizer.${failing}.closed-loop`) {
        return {
          id: t.id,
          status: 'failed',
          message: `${failing}: step 1 is the first to diverge`,
          durationMs: 20 + k,
          mistake: {
            id: `${failing?.toLowerCase()}-no-bias-correction`,
            hint: 'A hint that names the mistake and how to fix it.',
          },
          diagnostics: {
            case: 'defaults',
            step: 1,
            param: 'weight',
            index: [2, 3],
            expected: -0.0293,
            got: -0.051,
            maxAbsError: 0.0216,
            maxRelError: 0.74,
            nonFinite: 0,
            errorCurve: Array.from({ length: 24 }, (_, i) =>
              k % 5 === 0 && i > 18 ? null : 0.02 * Math.sqrt(i + 1),
            ),
          },
        };
      }
      return {
        id: t.id,
        status: 'passed',
        message: 'ok',
        durationMs: 10 + k,
        ...(t.id.endsWith('.training')
          ? { diagnostics: { measured: 0.5, threshold: 0.6, seed: 1, losses } }
          : {}),
      };
    });
  return buildResult(verdicts, manifest, {
    submission: { id: `s${String(k).padStart(3, '0')}`, path: `/class/s${k}` },
    backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' },
    versions: { node: process.version },
    seeds: { training: 1, fixtures: [1] },
    hiddenFixtures: false,
    timings: { totalMs: 8000 + ((k * 7919) % 20000) },
  });
}

function median(ms: number[]): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function time(repeat: number, render: () => string): { first: number; median: number; bytes: number } {
  let bytes = 0;
  const runs: number[] = [];
  for (let i = 0; i < repeat + 1; i += 1) {
    const started = performance.now();
    bytes = render().length;
    runs.push(performance.now() - started);
  }
  return { first: runs[0] ?? 0, median: median(runs.slice(1)), bytes };
}

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  const stringFlag = (name: string): string | undefined =>
    typeof flags[name] === 'string' ? flags[name] : undefined;
  const students = typeof flags['students'] === 'number' ? flags['students'] : 200;
  const repeat = typeof flags['repeat'] === 'number' ? flags['repeat'] : 5;

  const result = stringFlag('results')
    ? readJson<SubmissionResult>(SubmissionResult, stringFlag('results')!)
    : syntheticResult(3);
  const reference = stringFlag('reference')
    ? readJson<SubmissionResult>(SubmissionResult, stringFlag('reference')!)
    : syntheticResult(1);
  const input: SubmissionReportInput = {
    result,
    reference: { trainingLosses: trainingLossesOf(reference) },
    ...(stringFlag('experiments')
      ? { experiments: readJson<ExperimentsRecord>(ExperimentsRecord, stringFlag('experiments')!) }
      : {}),
  };
  const one = time(repeat, () => renderSubmissionReport(input));
  const cls = Array.from({ length: students }, (_, k) => syntheticResult(k));
  const all = time(repeat, () => renderClassReport(cls));

  const line = (what: string, t: { first: number; median: number; bytes: number }, budget: number): string =>
    `${what.padEnd(50)} first ${t.first.toFixed(1).padStart(7)} ms   median ${t.median.toFixed(1).padStart(7)} ms   ${(t.bytes / 1024).toFixed(0).padStart(5)} KiB   budget ${budget} ms ${Math.max(t.first, t.median) <= budget ? 'ok' : 'OVER'}`;
  console.log(
    `bench-reports: node ${process.version}, ${repeat} timed renders after the first (which compiles the templates)`,
  );
  console.log(
    line(
      `submission report (${result.submission.id}${input.experiments ? `, ${input.experiments.runs.filter((r) => r.landscape).length} landscapes` : ''})`,
      one,
      SUBMISSION_BUDGET_MS,
    ),
  );
  console.log(line(`class report (${students} students)`, all, CLASS_BUDGET_MS));
  if (
    Math.max(one.first, one.median) > SUBMISSION_BUDGET_MS ||
    Math.max(all.first, all.median) > CLASS_BUDGET_MS
  )
    process.exitCode = 1;
}

runMain(main, USAGE);
