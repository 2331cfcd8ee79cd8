/**
 * The HTML reports as text: what each section shows, what visibility withholds, that student text
 * is escaped, that nothing is loaded from elsewhere, and how fast they render. Results are built
 * by the results model itself (buildResult over the real manifest), as the grader builds them.
 */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../graders/manifest-schema.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import type { Verdict } from '../../graders/verdict.js';
import { buildResult, type SubmissionResult } from '../../results/model.js';
import { renderClassReport, renderSubmissionReport, trainingLossesOf } from '../../reports/render.js';
import type { ExperimentsRecord } from '../../contract/experiment-record.js';

const MANIFEST = loadManifest();
const HOSTILE_NAME = '<script>alert("name")</script> & <b>bold</b>';
const HOSTILE_MESSAGE = 'threw <img src=x onerror="alert(1)"> at step 3 </pre><script>x()</script>';
const HOSTILE_HINT = 'Use <em>bias</em> correction </aside><iframe src="https://example.com">';

const curve = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const trainingLosses = (offset: number): number[] => curve(50, (i) => 2.3 * Math.exp(-i / 20) + 0.3 + offset);

/** A verdict per manifest test: passed unless `overrides` says otherwise. */
function resultOf(
  id: string,
  overrides: Record<string, Partial<Verdict>> = {},
  manifest: Manifest = MANIFEST,
  totalMs = 12_000,
): SubmissionResult {
  const verdicts: Verdict[] = manifest.tests
    .filter((t) => t.requires === undefined)
    .map((t) => ({
      id: t.id,
      status: 'passed',
      message: 'ok',
      durationMs: 15,
      ...(t.id.endsWith('.training')
        ? { diagnostics: { measured: 0.5, threshold: 0.6, seed: 1, losses: trainingLosses(0) } }
        : {}),
      ...overrides[t.id],
    }));
  return buildResult(verdicts, manifest, {
    submission: { id, path: `/submissions/${id}` },
    backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' },
    versions: { 'tfjs-core': '4.22.0', node: process.version },
    seeds: { training: 1, fixtures: [1] },
    hiddenFixtures: false,
    timings: { totalMs },
  });
}

const ADAM_FAILURE: Partial<Verdict> = {
  status: 'failed',
  message:
    'Adam, case adam-defaults: step 1 is the first to diverge: parameter `weight`[2, 3], expected -0.02934945, got -0.05097206',
  mistake: {
    id: 'adam-no-bias-correction',
    hint: 'You step with the raw running means, without correcting their bias towards zero.',
  },
  diagnostics: {
    case: 'adam-defaults',
    step: 1,
    param: 'weight',
    index: [2, 3],
    expected: -0.02934945,
    got: -0.05097205564379692,
    maxAbsError: 0.0216,
    maxRelError: 0.737,
    nonFinite: 0,
    errorCurve: curve(24, (i) => 0.02 * (i + 1)),
  },
};

/** Counts of an element in a page: `<path class="line student"` etc. */
const count = (html: string, pattern: RegExp): number =>
  html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const section = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}">`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
};

function bowlExperiments(): ExperimentsRecord {
  const xs = curve(9, (i) => -1 + i / 4);
  const ys = curve(7, (i) => -1 + i / 3);
  return {
    schemaVersion: 1,
    command: 'npm run experiments -- --quick',
    quick: true,
    startedAt: '2026-01-01T00:00:00.000Z',
    backend: { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: '4.22.0', fastKernels: [] },
    data: { source: 'embedded', samples: 100 },
    runs: [
      {
        id: 'sgd-garment',
        title: 'SGD',
        net: 'GarmentClassifier',
        optimizer: { name: 'GD', hyperparameters: { lr: 0.02 } },
        loader: 'batches-of-64',
        epochs: 2,
        seed: 1,
        losses: trainingLosses(0),
        valLosses: [1.2, 0.8],
        seconds: 1,
        landscape: {
          nStates: 4,
          startFrom: 0,
          stateIds: [0, 2, 4, 6],
          scale: 1,
          xs,
          ys,
          coordinates: [
            [-0.9, -0.5, -0.2, 0],
            [0.8, 0.4, 0.1, 0],
          ],
          stateLosses: [3, 1.5, 0.6, 0.3],
          losses: ys.map((y) => xs.map((x) => (x === 1 && y === 1 ? null : 0.3 + 2 * x * x + 3 * y * y))),
        },
      },
      {
        id: 'tuning',
        title: 'Tuning',
        net: 'GarmentClassifier',
        optimizer: { name: 'Adam', hyperparameters: {} },
        loader: 'train-split',
        epochs: 1,
        seed: 1,
        losses: trainingLosses(0),
        seconds: 1,
      },
    ],
  };
}

describe('renderSubmissionReport', () => {
  it('shows the score, lists failed tests first, with the failure, its diagnostics, its hint and its error curve', () => {
    const result = resultOf('s001', {
      'optimizer.Adam.steps': ADAM_FAILURE,
      nets: { status: 'error', message: 'grader error: the child process died' },
    });
    const html = renderSubmissionReport({ result });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<span class="score-value">${result.score}</span> / ${result.maxScore} points`);
    const rows = [...section(html, 'tests').matchAll(/data-test-id="([^"]+)"/g)].map((m) => m[1]);
    expect(rows.slice(0, 2)).toEqual(['nets', 'optimizer.Adam.steps']);
    expect(rows).toHaveLength(result.tests.length);
    const failures = section(html, 'failures');
    expect(count(failures, /<article class="failure/)).toBe(2);
    expect(failures).toContain('You step with the raw running means');
    expect(failures).toContain('data-mistake="adam-no-bias-correction"');
    for (const text of [
      'First diverging step',
      '<code>weight</code>',
      '<code>[2, 3]</code>',
      '-0.02934945',
      '-0.05097206',
      '0.0216',
    ])
      expect(failures).toContain(text);
    expect(count(failures, /data-plot="error-curve" data-series-count="1"/)).toBe(1);
    // Status is spelled out, not only coloured.
    expect(section(html, 'tests')).toMatch(/✗<\/span> failed/);
    expect(section(html, 'tests')).toMatch(/⚠<\/span> grader error/);
  });

  it('draws each training run, the student over the reference passed in, with its threshold', () => {
    const reference = resultOf('reference');
    const result = resultOf('s002', {
      'optimizer.GD.training': {
        status: 'failed',
        message: 'loss 2.5 is above 2.3',
        diagnostics: {
          measured: 2.5,
          threshold: 2.3,
          seed: 1,
          losses: [...trainingLosses(1).slice(0, 48), null, null],
        },
      },
    });
    const html = renderSubmissionReport({
      result,
      reference: { trainingLosses: trainingLossesOf(reference) },
    });
    const training = section(html, 'training');
    const runs = MANIFEST.tests.filter((t) => t.id.endsWith('.training')).length;
    expect(count(training, /data-plot="loss-curves" data-series-count="2"/)).toBe(runs);
    expect(count(training, /class="line student"/)).toBe(runs);
    expect(count(training, /class="line reference"/)).toBe(runs);
    expect(count(training, /class="rule threshold"/)).toBe(runs);
    expect(training).toContain('2 of 50 losses are NaN or infinite');
    // The failed training test links to its curve instead of drawing it twice.
    expect(section(html, 'failures')).toContain('href="#training-optimizer-GD-training"');
  });

  it('without reference losses, draws the student alone', () => {
    const html = renderSubmissionReport({ result: resultOf('s003') });
    expect(count(section(html, 'training'), /data-series-count="1"/)).toBeGreaterThan(0);
    expect(section(html, 'training')).not.toContain('class="line reference"');
  });

  it('withholds the status, points, time, message, diagnostics and hint of tests that are not visible, but shows name and maximum points', () => {
    const manifest: Manifest = {
      ...MANIFEST,
      tests: MANIFEST.tests.map((t) =>
        t.id === 'optimizer.Adam.steps'
          ? { ...t, visibility: 'after_published' }
          : t.id === 'nets'
            ? { ...t, visibility: 'hidden' }
            : t,
      ),
    };
    const result = resultOf(
      's004',
      {
        'optimizer.Adam.steps': { ...ADAM_FAILURE, message: 'SECRET-MESSAGE' },
        nets: { status: 'failed', message: 'SECRET-NETS' },
      },
      manifest,
    );
    const html = renderSubmissionReport({ result });
    for (const secret of [
      'SECRET-MESSAGE',
      'SECRET-NETS',
      'You step with the raw running means',
      'adam-defaults',
      'data-plot="error-curve"',
    ])
      expect(html).not.toContain(secret);
    const adam = MANIFEST.tests.find((t) => t.id === 'optimizer.Adam.steps')!;
    expect(html).toContain(adam.name);
    const adamRow = /<tr class="row-withheld" data-test-id="optimizer\.Adam\.steps">[\s\S]*?<\/tr>/.exec(
      html,
    )?.[0];
    expect(adamRow).toBeDefined();
    expect(adamRow).toContain('— / 4');
    expect(adamRow).not.toMatch(/status-(failed|passed|error)|\d+ ms/);
    expect(html).not.toContain('0 / 4');
    expect(html).toContain('details once grades are published');
    expect(html).toContain('hidden test');
    expect(html).not.toContain('id="failures"');
  });

  it('escapes every piece of student text: a test name, a message, a hint, a submission id', () => {
    const manifest: Manifest = {
      ...MANIFEST,
      tests: MANIFEST.tests.map((t) => (t.id === 'optimizer.Adam.steps' ? { ...t, name: HOSTILE_NAME } : t)),
    };
    const result = resultOf(
      's005',
      {
        'optimizer.Adam.steps': {
          ...ADAM_FAILURE,
          message: HOSTILE_MESSAGE,
          mistake: { id: 'x"><script>', hint: HOSTILE_HINT },
        },
      },
      manifest,
    );
    const html = renderSubmissionReport({
      result: { ...result, submission: { id: '<i>s005</i>', path: '/x' } },
    });
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
    );
    expect(html).toContain('threw &lt;img src&#x3D;x onerror&#x3D;&quot;alert(1)&quot;&gt;');
    expect(html).toContain('Use &lt;em&gt;bias&lt;/em&gt; correction &lt;/aside&gt;&lt;iframe');
    expect(html).toContain('&lt;i&gt;s005&lt;/i&gt;');
    for (const raw of ['<script', '<img', '<iframe', '<b>bold', '<em>', '<i>s005'])
      expect(html).not.toContain(raw);
  });

  it('draws the loss landscape with the trajectory from an experiments record', () => {
    const html = renderSubmissionReport({ result: resultOf('s006'), experiments: bowlExperiments() });
    const experiments = section(html, 'experiments');
    expect(count(experiments, /data-plot="landscape" data-series-count="1"/)).toBe(1);
    expect(count(experiments, /class="line trajectory"/)).toBe(1);
    expect(count(experiments, /<path d="M[^"]+" fill="rgb\(/)).toBeGreaterThanOrEqual(5);
    expect(count(experiments, /class="point (start|state|end)"/)).toBe(4);
    // Training and validation losses of the same run; the run without a landscape is left out.
    expect(count(experiments, /data-plot="loss-curves" data-series-count="2"/)).toBe(1);
    expect(experiments).not.toContain('data-run-id="tuning"');
  });

  it('is self-contained: styles inline, a CSP that forbids loading anything, no external reference', () => {
    const html = renderSubmissionReport({
      result: resultOf('s007', { 'optimizer.Adam.steps': ADAM_FAILURE }),
      experiments: bowlExperiments(),
    });
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it('renders in well under a second', () => {
    const input = {
      result: resultOf('s008', { 'optimizer.Adam.steps': ADAM_FAILURE }),
      reference: { trainingLosses: trainingLossesOf(resultOf('reference')) },
      experiments: bowlExperiments(),
    };
    renderSubmissionReport(input);
    const started = performance.now();
    renderSubmissionReport(input);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('renderClassReport', () => {
  const cls = [
    resultOf('s001'),
    resultOf(
      's002',
      { 'optimizer.Adam.steps': ADAM_FAILURE, 'optimizer.Adam.closed-loop': ADAM_FAILURE },
      MANIFEST,
      40_000,
    ),
    resultOf('s003', { 'optimizer.Adam.steps': ADAM_FAILURE }),
    resultOf('s004', { nets: { status: 'error', message: 'grader error: <timeout>' } }, MANIFEST, 90_000),
  ];

  it('shows the histogram, the pass rate per test, the common mistakes, the slowest and the grader errors, linking to each report', () => {
    const html = renderClassReport(cls);
    expect(count(section(html, 'scores'), /<rect class="bar count"/)).toBe(10);
    const tests = section(html, 'tests');
    expect(count(tests, /<rect class="bar rate/)).toBe(cls[0]!.tests.length);
    expect(tests).toMatch(
      /optimizer\.Adam\.steps<\/div><\/td><td class="num">2<\/td><td class="num">4<\/td><td class="num">50%/,
    );
    const mistakes = section(html, 'mistakes');
    expect(mistakes).toMatch(/data-mistake="adam-no-bias-correction"><td class="num">2<\/td>/);
    expect(mistakes).toContain('<a href="s002/report.html">s002</a>');
    expect(mistakes).toContain('<a href="s003/report.html">s003</a>');
    const slowest = [...section(html, 'slowest').matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(slowest.slice(0, 2)).toEqual(['s004/report.html', 's002/report.html']);
    const errors = section(html, 'grader-errors');
    expect(errors).toContain('<a href="s004/report.html">s004</a>');
    expect(errors).toContain('grader error: &lt;timeout&gt;');
    expect(count(section(html, 'submissions'), /<a href="s00\d\/report.html">/)).toBe(4);
  });

  it('escapes test names and hints, and encodes ids in links', () => {
    const manifest: Manifest = {
      ...MANIFEST,
      tests: MANIFEST.tests.map((t) => (t.id === 'nets' ? { ...t, name: HOSTILE_NAME } : t)),
    };
    const odd = resultOf(
      's009',
      {
        'optimizer.Adam.steps': {
          ...ADAM_FAILURE,
          mistake: { id: 'adam-no-bias-correction', hint: HOSTILE_HINT },
        },
      },
      manifest,
    );
    const html = renderClassReport([{ ...odd, submission: { id: 'a b"<x>', path: '/x' } }]);
    for (const raw of ['<script', '<iframe', '<b>bold', '<x>']) expect(html).not.toContain(raw);
    expect(html).toContain('href="a%20b%22%3Cx%3E/report.html"');
  });

  it('renders 200 students in under 5 seconds', () => {
    const many = Array.from({ length: 200 }, (_, i) => {
      const r = cls[i % cls.length]!;
      return { ...r, submission: { id: `s${String(i).padStart(3, '0')}`, path: '/x' } };
    });
    const started = performance.now();
    const html = renderClassReport(many);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(count(section(html, 'submissions'), /<tr><td><a href=/)).toBe(200);
  });
});
