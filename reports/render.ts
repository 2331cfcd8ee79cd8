/**
 * HTML feedback reports, read from the results model: one self-contained page per submission
 * (`report.html`) and one per class (`class-report.html`). Plots are inline SVG made by d3 in
 * Node; the pages load nothing (a Content-Security-Policy of default-src 'none' makes sure). A
 * submission's page may reach the student, so it is written from the student's view
 * (results/student-view.ts); the class page is the TA's and reads the whole model.
 */
import { describeStanding, standingOf } from '../results/standing.js';
import { cohortOf } from '../results/cohort.js';
import type { SubmissionResult, TestResult } from '../results/model.js';
import { studentViewOf } from '../results/student-view.js';
import type { Diagnostics } from '../graders/verdict.js';
import type { ExperimentsRecord } from '../contract/experiment-record.js';
import { errorCurvePlot } from './plots/error-curve.js';
import { landscapeContourPlot } from '../course/plots/landscape-contour.js';
import { lossCurvesPlot, type LossSeries } from '../course/plots/loss-curves.js';
import { passRatePlot } from './plots/pass-rate-bars.js';
import { formatNumber } from '../course/plots/plot-model.js';
import { scoreHistogramPlot } from './plots/score-histogram.js';
import { renderTemplate } from './template-engine.js';

export interface SubmissionReportInput {
  result: SubmissionResult;
  /** The reference solution's runs, to draw under the student's: loss per step, by test id. */
  reference?: { trainingLosses?: Record<string, ReadonlyArray<number | null>> };
  /** A record of `npm run experiments`, for the loss landscapes and trajectories. */
  experiments?: ExperimentsRecord;
  /** How many experiment runs to draw (default: every run that has a landscape). */
  maxLandscapes?: number;
}

export interface ClassReportOptions {
  /** Links to each student's report, relative to the class report (default `<id>/report.html`). */
  reportHref?: (submissionId: string) => string;
  /** At most this many submissions are listed per mistake (default 30); the rest are counted. */
  maxLinksPerMistake?: number;
}

/** The loss curves of a graded reference's training tests, for `reference.trainingLosses`. */
export function trainingLossesOf(result: SubmissionResult): Record<string, Array<number | null>> {
  return Object.fromEntries(
    result.tests.flatMap((t) => (t.diagnostics?.losses ? [[t.id, t.diagnostics.losses]] : [])),
  );
}

const ORDER: Record<TestResult['status'], number> = { error: 0, failed: 1, passed: 2 };
/** A test of a part the student has not started: the template's message, as it is. */
const UNFINISHED = /^not implemented: /;
const WITHHELD: Record<Exclude<TestResult['visibility'], 'visible'>, string> = {
  hidden: 'hidden test',
  after_due_date: 'details after the due date',
  after_published: 'details once grades are published',
};

const anchorOf = (prefix: string, id: string): string => `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const duration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const isTraining = (t: TestResult): boolean => t.diagnostics?.losses !== undefined;

function diagnosticRows(d: Diagnostics): Array<{ label: string; value: string; code?: boolean }> {
  const rows: Array<{ label: string; value: string; code?: boolean }> = [];
  const add = (label: string, value: string | undefined, code = false): void => {
    if (value !== undefined) rows.push({ label, value, ...(code ? { code } : {}) });
  };
  const n = (v: number | null | undefined): string | undefined =>
    v === undefined ? undefined : formatNumber(v, 7);
  add('Case', d.case, true);
  add('First diverging step', d.step?.toString());
  add('Parameter', d.param, true);
  add('Worst element', d.index ? `[${d.index.join(', ')}]` : undefined, true);
  add('Expected', n(d.expected));
  add('Got', n(d.got));
  add('Largest absolute error', d.maxAbsError === undefined ? undefined : formatNumber(d.maxAbsError, 3));
  add('Largest relative error', d.maxRelError === undefined ? undefined : formatNumber(d.maxRelError, 3));
  add('NaN/∞ values', d.nonFinite?.toString());
  add('Measured', n(d.measured));
  add('Threshold', n(d.threshold));
  add('Seed', d.seed?.toString());
  return rows;
}

function referenceLosses(
  input: SubmissionReportInput,
  test: TestResult,
): ReadonlyArray<number | null> | undefined {
  return input.reference?.trainingLosses?.[test.id] ?? test.diagnostics?.referenceLosses;
}

function trainingView(input: SubmissionReportInput, test: TestResult) {
  const d = test.diagnostics!;
  const series: LossSeries[] = [{ label: 'your run', values: d.losses ?? [], role: 'student' }];
  const ref = referenceLosses(input, test);
  if (ref !== undefined && ref.length > 0)
    series.push({ label: 'reference', values: ref, role: 'reference' });
  return {
    id: test.id,
    anchor: anchorOf('training', test.id),
    status: test.status,
    measured: formatNumber(d.measured, 5),
    threshold: d.threshold === undefined ? '—' : formatNumber(d.threshold, 5),
    seed: d.seed,
    plot: lossCurvesPlot({
      title: test.name,
      series,
      width: 480,
      height: 280,
      ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
    }),
  };
}

function failureView(test: TestResult) {
  const d = test.diagnostics;
  const curve = d?.errorCurve;
  return {
    id: test.id,
    name: test.name,
    anchor: anchorOf('test', test.id),
    status: test.status,
    message: test.message,
    ...(test.printed === undefined ? {} : { printed: test.printed }),
    points: test.points,
    maxPoints: test.maxPoints,
    ...(test.mistake ? { mistake: test.mistake } : {}),
    diagnostics: d ? diagnosticRows(d) : [],
    ...(curve && curve.length > 0
      ? {
          errorPlot: errorCurvePlot({
            title: `Error per step${d?.case ? ` (case ${d.case})` : ''}`,
            errors: curve,
            ...(d?.step !== undefined ? { firstStep: d.step } : {}),
          }),
        }
      : {}),
    ...(isTraining(test) ? { trainingAnchor: anchorOf('training', test.id) } : {}),
  };
}

function experimentsView(record: ExperimentsRecord, max: number | undefined) {
  const withLandscape = record.runs.filter((r) => r.landscape !== undefined);
  const runs = withLandscape.slice(0, max ?? withLandscape.length).map((run) => {
    const series: LossSeries[] = [{ label: 'training loss', values: run.losses, role: 'training' }];
    if (run.valLosses && run.valLosses.length > 0) {
      const every = run.losses.length / run.valLosses.length;
      series.push({
        label: 'validation loss',
        values: run.valLosses,
        role: 'validation',
        steps: run.valLosses.map((_, i) => Math.round((i + 1) * every)),
      });
    }
    return {
      id: run.id,
      title: run.title,
      landscapePlot: landscapeContourPlot({ title: 'Landscape and trajectory', landscape: run.landscape! }),
      lossPlot: lossCurvesPlot({ title: 'Loss per step', series, width: 520, height: 260 }),
    };
  });
  return {
    summary: `${record.quick ? 'quick, ' : ''}${record.data.samples} samples, ${record.backend.name} backend`,
    runs,
  };
}

/** The feedback page of one submission, as a self-contained HTML document. */
export function renderSubmissionReport(input: SubmissionReportInput): string {
  const student = studentViewOf(input.result);
  const tests = student.tests
    .map((t, i) => ({ t, i }))
    .sort((a, b) => ORDER[a.t.status] - ORDER[b.t.status] || a.i - b.i)
    .map(({ t }) => t);
  // What to fix next first: failures with a named mistake, then the other failures; parts not
  // started yet (the template's "not implemented") one line each, with no empty plots.
  const unfinished = (t: TestResult): boolean => t.status === 'failed' && UNFINISHED.test(t.message);
  const failing = tests.filter((t) => t.status !== 'passed' && !unfinished(t));
  const failures = [...failing.filter((t) => t.mistake), ...failing.filter((t) => !t.mistake)].map(
    failureView,
  );
  const notStarted = tests.filter(unfinished).map((t) => ({
    id: t.id,
    name: t.name,
    anchor: anchorOf('test', t.id),
    message: t.message,
    maxPoints: t.maxPoints,
  }));
  const training = tests.filter(isTraining).map((t) => trainingView(input, t));
  const rows = [
    ...tests.map((t) => ({
      id: t.id,
      name: t.name,
      points: t.points,
      maxPoints: t.maxPoints,
      status: t.status,
      shown: true,
      visibilityNote: '',
      duration: duration(t.durationMs),
      detailsAnchor:
        t.status !== 'passed'
          ? anchorOf('test', t.id)
          : isTraining(t)
            ? anchorOf('training', t.id)
            : undefined,
    })),
    // Withheld tests after the visible ones, in the manifest's order: nothing of their outcome, not even their place.
    ...student.withheld.flatMap((g) =>
      g.tests.map((t) => ({
        id: t.id,
        name: t.name,
        points: '—',
        maxPoints: t.maxPoints,
        shown: false,
        visibilityNote: WITHHELD[g.visibility as keyof typeof WITHHELD],
      })),
    ),
  ];
  const view = {
    title: `Feedback: ${student.submission.id} — ${student.score}/${student.maxScore}`,
    bodyClass: 'submission-report',
    submission: { id: student.submission.id },
    score: {
      points: student.score,
      max: student.maxScore,
      percent: student.maxScore > 0 ? Math.round((student.score / student.maxScore) * 100) : 0,
    },
    summary: {
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length,
      errors: student.graderErrors,
      withheld: student.withheld.reduce((n, g) => n + g.tests.length, 0),
      withheldNotes: student.withheld.map((g) => g.note),
    },
    rows,
    failures,
    notStarted,
    training,
    hasReferenceLosses: training.some((t) => t.plot.series.length > 1),
    ...(input.experiments ? { experiments: experimentsView(input.experiments, input.maxLandscapes) } : {}),
    meta: [
      { label: 'Time of the visible tests', value: duration(student.durationMs) },
      {
        label: 'Backend of your code',
        value: `${student.backend.name} (${student.backend.package} ${student.backend.version})`,
      },
      {
        label: 'Hidden fixtures',
        value: student.hiddenFixtures ? 'included' : 'not included (public fixtures only)',
      },
      {
        label: 'Seeds',
        value: `training ${student.seeds.training}; fixtures ${student.seeds.fixtures.join(', ')}`,
      },
      ...Object.entries(student.versions).map(([k, v]) => ({ label: k, value: v })),
      ...(student.isolation
        ? [
            {
              label: 'Isolation',
              value: [
                student.isolation.layers,
                ...(student.isolation.memoryMiB
                  ? [`memory limit ${student.isolation.memoryMiB} MiB per child`]
                  : []),
                ...student.isolation.notices,
              ].join('; '),
            },
          ]
        : []),
    ],
  };
  return renderTemplate('submission-report', view);
}

/** The class overview: score histogram, pass rate per test, common mistakes, slowest, grader errors. */
export function renderClassReport(
  results: readonly SubmissionResult[],
  options: ClassReportOptions = {},
): string {
  const cohort = cohortOf(results);
  const href = options.reportHref ?? ((id: string) => `${encodeURIComponent(id)}/report.html`);
  const maxLinks = options.maxLinksPerMistake ?? 30;
  const view = {
    title: `Class report — ${cohort.submissions} submissions`,
    bodyClass: 'class-report',
    stats: {
      submissions: cohort.submissions,
      mean: cohort.meanScore,
      median: cohort.medianScore,
      max: cohort.maxScore,
    },
    histogram: scoreHistogramPlot({ title: 'Score distribution', bins: cohort.histogram }),
    passRate: passRatePlot({ title: 'Pass rate per test', tests: cohort.tests }),
    tests: cohort.tests.map((t) => ({ ...t, percent: Math.round(t.passRate * 100) })),
    mistakes: cohort.mistakes.map((m) => ({
      id: m.id,
      hint: m.hint,
      count: m.count,
      submissions: m.submissions.slice(0, maxLinks).map((id) => ({ id, href: href(id) })),
      more: Math.max(0, m.submissions.length - maxLinks),
    })),
    slowest: cohort.slowest.map((s) => ({ ...s, href: href(s.id) })),
    graderErrors: cohort.graderErrors.map((g) => ({ ...g, href: href(g.id) })),
    submissions: [...results]
      .sort((a, b) => a.submission.id.localeCompare(b.submission.id))
      .map((r) => ({
        id: r.submission.id,
        href: href(r.submission.id),
        score: r.score,
        maxScore: r.maxScore,
        failed: r.tests.filter((t) => t.status === 'failed').length,
        errors: r.graderErrors,
        standing: describeStanding(standingOf(r)),
      })),
    notGraded: cohort.notGraded.map((n) => ({ ...n, href: href(n.id) })),
  };
  return renderTemplate('class-report', view);
}
