/**
 * The experiments page from a record alone: the notebook's order, each ran cell's three plots, one
 * line for a cell that did not run, the comparisons that have two runs, every text escaped, and
 * nothing that loads anything.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentsRecord, RunRecord } from '../../contract/experiment-record.js';
import { ArrayImageDataset } from '../../course/data/dataset.js';
import { renderExperimentsPage } from '../../reports/experiments-page.js';

const xs = [-1, 0, 1];
const landscape = {
  nStates: 3,
  startFrom: 0,
  stateIds: [0, 5, 9],
  coordinates: [
    [-1, -0.5, 0],
    [1, 0.2, 0],
  ] as [number[], number[]],
  stateLosses: [2.3, 1, 0.5],
  scale: 1,
  xs,
  ys: xs,
  losses: xs.map((y) => xs.map((x) => 0.5 + x * x + y * y)),
};
const run = (id: string, title: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  title,
  net: 'GarmentClassifier',
  optimizer: { name: 'GD', hyperparameters: { lr: 0.02 } },
  loader: 'batches-of-64',
  epochs: 2,
  seed: 1,
  losses: Array.from({ length: 100 }, (_, i) => 2.3 / (1 + i / 10)),
  landscape,
  seconds: 1.5,
  ...extra,
});
const cell = (id: string, status: 'ran' | 'not-implemented' | 'failed', message?: string) => ({
  id,
  section: `Section of ${id}`,
  title: `Title of ${id}`,
  text: `Text of ${id} <b>`,
  question: `Question of ${id}?`,
  status,
  ...(message ? { message } : {}),
});

const record: ExperimentsRecord = {
  schemaVersion: 1,
  command: 'npm run experiments -- --quick',
  quick: true,
  startedAt: '2026-12-01T10:00:00.000Z',
  backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0', fastKernels: [] },
  data: { source: 'embedded', samples: 10000 },
  submission: '/home/student/optnn/submission',
  parts: {
    nets: { whose: 'course', note: 'getOneFCNet is not implemented yet' },
    loaders: { whose: 'yours' },
    lossFn: { whose: 'yours' },
    loop: { whose: 'yours' },
  },
  cells: [
    cell('gd-garment', 'ran'),
    cell('sgd-garment', 'ran'),
    cell(
      'sgdwm-garment',
      'not-implemented',
      'SGDwM.updateParameter is not implemented yet, so this cell did not run',
    ),
    cell('nagd-garment', 'failed', 'this cell failed: Error: <script>alert(1)</script>'),
    cell('tuning', 'ran'),
  ],
  runs: [
    run('gd-garment', 'GD, full batch', { loader: 'full-batch', losses: [2.3, 2.2] }),
    run('sgd-garment', 'SGD', {
      backends: { training: 'wasm', landscape: 'webgpu (adapter nvidia hopper "NVIDIA H200", a GPU)' },
    }),
    run('tuning', 'Tuning', {
      landscape: undefined,
      loader: 'train-split',
      batchSize: 32,
      valLosses: [0.2],
      test: { loss: 0.2, accuracy: 0.951 },
      claimed: { valLoss: 0.21, testAccuracy: 0.95 },
      backends: { training: 'wasm' },
    }),
  ],
};

describe('renderExperimentsPage', () => {
  const examples = new ArrayImageDataset(
    new Float32Array(4 * 784).fill(0.5),
    Int32Array.from([1, 2, 3, 4]),
    [28, 28, 1],
  );
  const html = renderExperimentsPage({ record, examples });

  it('follows the notebook: data, the training cells in order, comparisons, tuning, about', () => {
    const at = (s: string): number => html.indexOf(s);
    const order = [
      'id="data"',
      'data-cell="gd-garment"',
      'data-cell="sgd-garment"',
      'data-cell="sgdwm-garment"',
      'data-cell="nagd-garment"',
      'id="comparisons"',
      'data-cell="tuning"',
      'id="about"',
    ];
    for (const s of order) expect(at(s), s).toBeGreaterThan(0);
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
  });

  it("draws three plots per ran training cell, the tuning run's curve with its validation loss, and the digits", () => {
    expect(html.match(/<figure class="plot plot-loss-curves"/g)?.length).toBe(3 + 2); // 3 ran cells; GD vs SGD, and every optimizer
    expect(html.match(/<figure class="plot plot-landscape"/g)?.length).toBe(2);
    expect(html.match(/<figure class="plot plot-surface"/g)?.length).toBe(2);
    expect(html.match(/<figure class="plot plot-examples"/g)?.length).toBe(1);
    expect(html).toContain('data-series="validation loss (end of epoch)"');
    expect(html).toContain('95.10 %');
    expect(html).toContain('Claimed in tuning.json');
  });

  it("says in one line why a cell did not run, and which parts were the course's", () => {
    expect(html).toMatch(
      /<p class="cell-status" data-status="not-implemented"><span aria-hidden="true">◌<\/span> Not implemented yet: SGDwM\.updateParameter is not implemented yet, so this cell did not run<\/p>/,
    );
    expect(html).toContain('<li><strong>nets</strong>: getOneFCNet is not implemented yet</li>');
    expect(html).toContain('Not on this chart (did not run): sgdwm-garment, nagd-garment');
  });

  it('names the backends that made each cell, where the record has them', () => {
    const backendsOf = (id: string): string[] => {
      const start = html.indexOf(`data-cell="${id}"`);
      const end = html.indexOf('data-cell=', start + 1);
      return [...html.slice(start, end < 0 ? undefined : end).matchAll(/Backends<\/th><td>([^<]*)</g)].map(
        (m) => m[1]!,
      );
    };
    expect(backendsOf('sgd-garment')).toEqual([
      'training: wasm; landscape: webgpu (adapter nvidia hopper &quot;NVIDIA H200&quot;, a GPU)',
    ]);
    expect(backendsOf('tuning')).toEqual(['training: wasm']);
    expect(backendsOf('gd-garment')).toEqual([]);
  });

  it('escapes every text and loads nothing', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Text of gd-garment &lt;b&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\ssrc=|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
