/**
 * The page `npm run experiments` writes beside its JSON: the notebook, in its order, with a
 * submission's results — the data section's example digits; for every training cell its text and
 * question, the loss curve, the landscape contour with the trajectory and the surface; the
 * comparisons the notebook invites; the tuning figures. A cell that did not run says why in one
 * line. The plots are the course helpers' own SVG (course/plots/), so the page shows exactly what
 * `plotLosses`, `plotContour`, `plotSurface` and `plotExamples` draw. Self-contained: no script,
 * no request (a Content-Security-Policy of default-src 'none').
 */
import { basename } from 'node:path';
import type { CellRecord, ExperimentsRecord, RunRecord } from '../contract/experiment-record.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { examplesPlot } from '../course/plots/examples-grid.js';
import { landscapeContourPlot } from '../course/plots/landscape-contour.js';
import { landscapeSurfacePlot } from '../course/plots/landscape-surface.js';
import { lossCurvesPlot, type LossSeries } from '../course/plots/loss-curves.js';
import { formatNumber, type Plot } from '../course/plots/plot-model.js';
import { renderTemplate } from './template-engine.js';

export interface ExperimentsPageInput {
  record: ExperimentsRecord;
  /** The data set, for the grid of example digits (left out when absent). */
  examples?: ImageDataset;
}

/** The notebook's comparisons: which runs share a chart. */
export const COMPARISONS: ReadonlyArray<{ title: string; ids: readonly string[]; question: string }> = [
  {
    title: 'Gradient descent: full batch against batches of 64',
    ids: ['gd-garment', 'sgd-garment'],
    question: 'Is there any difference?',
  },
  {
    title: 'Momentum and Nesterov',
    ids: ['sgd-garment', 'sgdwm-garment', 'nagd-garment'],
    question: 'Are there differences to previous methods and why do they exist?',
  },
  {
    title: 'Learning-rate decay',
    ids: ['sgdwm-garment', 'sgdwmld-garment'],
    question: 'Which decay factor works the best?',
  },
  {
    title: 'Adaptive learning rates: AdaGrad, RMSProp, Adam',
    ids: ['sgdwmld-garment', 'adagrad-garment', 'rmsprop-garment', 'adam-garment'],
    question:
      'How does AdaGrad perform compared to the learning rate decay? What is the advantage of Adam compared to RMSProp?',
  },
  {
    title: 'Adam with and without weight averaging',
    ids: ['adam-garment', 'adam-swa-garment'],
    question: 'Does this improve the convergence in our case?',
  },
  {
    title: 'Every optimizer on the GarmentClassifier',
    ids: [
      'gd-garment',
      'sgd-garment',
      'sgdwm-garment',
      'nagd-garment',
      'sgdwmld-garment',
      'adagrad-garment',
      'rmsprop-garment',
      'adam-garment',
      'adam-swa-garment',
    ],
    question: 'What are the differences of the convergence behaviors?',
  },
];

const SMOOTH = 25;

/** The moving mean over `window` steps (the first ones over as many as there are), nulls skipped. */
function movingMean(values: ReadonlyArray<number | null>, window: number): Array<number | null> {
  return values.map((_, i) => {
    const part = values.slice(Math.max(0, i - window + 1), i + 1).filter((v): v is number => v !== null);
    return part.length === 0 ? null : part.reduce((a, b) => a + b, 0) / part.length;
  });
}

function runLabel(run: RunRecord): string {
  const hp = Object.entries(run.optimizer.hyperparameters)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${run.optimizer.name}${run.swa ? ' + SWA' : ''} (${hp}; ${run.loader === 'full-batch' ? 'full batch' : run.loader === 'train-split' ? `batch ${run.batchSize ?? ''}` : 'batches of 64'})`;
}

function lossPlot(run: RunRecord): Plot {
  const series: LossSeries[] = [{ label: 'training loss per step', values: run.losses, role: 'training' }];
  if (run.valLosses && run.valLosses.length > 0) {
    const every = run.losses.length / run.valLosses.length;
    series.push({
      label: 'validation loss (end of epoch)',
      values: run.valLosses,
      role: 'validation',
      steps: run.valLosses.map((_, i) => Math.max(1, Math.round((i + 1) * every))),
    });
  }
  return lossCurvesPlot({ title: 'Loss per step', series, width: 560, height: 300 });
}

function comparisonPlot(title: string, runs: readonly RunRecord[]): Plot {
  const series: LossSeries[] = runs.map((run, i) => {
    const perEpoch = run.losses.length / run.epochs;
    const window = perEpoch >= SMOOTH * 2 ? SMOOTH : 1;
    return {
      label: `${run.title}${window > 1 ? '' : ' (every step)'}`,
      values: movingMean(run.losses, window),
      role: `series-${i}` as const,
      steps: run.losses.map((_, k) => (k + 1) / perEpoch),
    };
  });
  const plot = lossCurvesPlot({ title, series, width: 760, height: 340, xLabel: 'epoch', xStart: 0 });
  plot.notes.push(
    `Batched runs are drawn as the moving mean of ${SMOOTH} steps; full-batch runs take one step per epoch.`,
  );
  return plot;
}

function cellView(cell: CellRecord, run: RunRecord | undefined) {
  const base = { ...cell, anchor: `cell-${cell.id}`, ran: cell.status === 'ran' && run !== undefined };
  if (run === undefined) return base;
  const last = [...run.losses].reverse().find((v) => v !== null);
  const facts: Array<{ label: string; value: string }> = [
    {
      label: 'Run',
      value: `${run.net}, ${runLabel(run)}, ${run.epochs} epoch${run.epochs === 1 ? '' : 's'}, seed ${run.seed}`,
    },
    { label: 'Last batch loss', value: formatNumber(last) },
    { label: 'Time', value: `${run.seconds.toFixed(1)} s` },
  ];
  if (run.backends)
    facts.push({
      label: 'Backends',
      value: `training: ${run.backends.training}${run.backends.landscape !== undefined ? `; landscape: ${run.backends.landscape}` : ''}`,
    });
  if (run.landscape)
    facts.push({
      label: 'Loss samples (the sampled states)',
      value: run.landscape.stateLosses.map((v) => formatNumber(v, 3)).join(', '),
    });
  if (run.swa) {
    facts.push({
      label: 'Averaged model (SWA)',
      value:
        run.swa.nAveraged === 0
          ? 'never updated'
          : `mean loss over the subset ${formatNumber(run.swa.loss)} after ${run.swa.nAveraged} updates (epochs after ${run.swa.start})`,
    });
    if (run.swa.netLoss !== undefined)
      facts.push({
        label: 'The last weights',
        value: `mean loss over the subset ${formatNumber(run.swa.netLoss)}`,
      });
  }
  if (run.test) {
    facts.push({ label: 'Validation loss', value: formatNumber(run.valLosses?.at(-1)) });
    facts.push({ label: 'Test accuracy', value: `${(run.test.accuracy * 100).toFixed(2)} %` });
    if (run.claimed)
      facts.push({
        label: 'Claimed in tuning.json',
        value: `validation loss ${run.claimed.valLoss}, test accuracy ${(run.claimed.testAccuracy * 100).toFixed(2)} %`,
      });
  }
  const figures = [lossPlot(run)];
  if (run.landscape) {
    figures.push(
      landscapeContourPlot({
        title: 'Landscape (contour) and trajectory',
        landscape: run.landscape,
        width: 520,
        height: 440,
      }),
      landscapeSurfacePlot({
        title: 'Landscape (surface)',
        landscape: run.landscape,
        width: 520,
        height: 420,
      }),
    );
  }
  return { ...base, facts, figures };
}

/** The notebook page of an experiments record, as a self-contained HTML document. */
export function renderExperimentsPage({ record, examples }: ExperimentsPageInput): string {
  const runs = new Map(record.runs.map((r) => [r.id, r]));
  const cells: CellRecord[] =
    record.cells ??
    record.runs.map((r) => ({
      id: r.id,
      section: r.title,
      title: r.title,
      text: '',
      status: 'ran' as const,
    }));
  const views = cells.map((c) => cellView(c, runs.get(c.id)));
  const comparisons = COMPARISONS.map((c) => {
    const ran = c.ids.flatMap((id) => (runs.has(id) ? [runs.get(id)!] : []));
    const missing = c.ids.filter((id) => !runs.has(id) && cells.some((cell) => cell.id === id));
    return {
      ...c,
      missing: missing.join(', '),
      ...(ran.length >= 2 ? { figure: comparisonPlot(c.title, ran) } : {}),
    };
  }).filter((c) => c.figure !== undefined || c.missing !== '');
  const parts = record.parts
    ? Object.entries(record.parts)
        .filter(([, p]) => p.whose === 'course')
        .map(([name, p]) => ({ name, note: p.note ?? '' }))
    : [];
  const name = record.submission ? basename(record.submission) : 'the reference';
  const view = {
    title: `Experiments — ${name}${record.quick ? ' (quick)' : ''}`,
    bodyClass: 'experiments-page',
    name,
    summary: {
      ran: cells.filter((c) => c.status === 'ran').length,
      notImplemented: cells.filter((c) => c.status === 'not-implemented').length,
      failed: cells.filter((c) => c.status === 'failed').length,
      total: cells.length,
    },
    parts,
    quick: record.quick,
    meta: [
      { label: 'Submission', value: record.submission ?? '—' },
      { label: 'Command', value: record.command },
      { label: 'Started', value: record.startedAt },
      {
        label: 'Backend',
        value: `${record.backend.name} (${record.backend.package} ${record.backend.version})`,
      },
      { label: 'Data', value: `${record.data.source}, ${record.data.samples} images` },
    ],
    ...(examples
      ? {
          examples: examplesPlot(examples, {
            count: 32,
            columns: 8,
            title: 'The first 32 digits of the data set',
          }),
        }
      : {}),
    cells: views.filter((c) => c.id !== 'tuning'),
    tuning: views.filter((c) => c.id === 'tuning'),
    comparisons,
  };
  return renderTemplate('experiments', view);
}
