/**
 * Loss per training step: the student's run over the reference's (or a run's training and
 * validation losses), with the pass threshold as a dashed rule. NaN/∞ losses (stored as null)
 * break the line and are marked along the top edge.
 */
import { maxOf } from '../extent.js';
import { line } from 'd3-shape';
import {
  emptyPlot,
  finiteValues,
  formatNumber,
  frameOf,
  stepScale,
  valueScale,
  type FrameSpec,
  type Plot,
} from './plot-model.js';

export interface LossSeries {
  label: string;
  /** One loss per step; null where it was NaN or ±Infinity. */
  values: ReadonlyArray<number | null>;
  /** The line's style: student | reference | training | validation, or series-0, series-1, … for comparisons. */
  role: 'student' | 'reference' | 'training' | 'validation' | `series-${number}`;
  /** Where value i sits on the step axis (default i + 1), e.g. validation losses at epoch ends. */
  steps?: readonly number[];
}

export interface LossCurvesInput extends FrameSpec {
  title: string;
  series: readonly LossSeries[];
  threshold?: number;
  xLabel?: string;
  /** Where the x axis starts (default 1, the first step; 0 for an axis in epochs). */
  xStart?: number;
}

export function lossCurvesPlot(input: LossCurvesInput): Plot {
  const frame = frameOf(input);
  const shown = input.series.filter((s) => s.values.length > 0);
  const plot = emptyPlot(
    'loss-curves',
    input.title,
    `Loss per step of ${shown.map((s) => s.label).join(' and ') || 'no run'}${input.threshold !== undefined ? `, with the threshold ${formatNumber(input.threshold)}` : ''}.`,
    frame,
  );
  const stepsOf = (s: LossSeries): readonly number[] => s.steps ?? s.values.map((_, i) => i + 1);
  const start = input.xStart ?? 1;
  const n = Math.max(start + 1, maxOf(shown.map((s) => maxOf(stepsOf(s)))));
  const x = stepScale(n, [frame.left, frame.right], start);
  const all = shown.flatMap((s) => finiteValues(s.values));
  const y = valueScale(input.threshold !== undefined ? [...all, input.threshold] : all, [
    frame.bottom,
    frame.top,
  ]);
  plot.xAxis = { ticks: x.ticks, label: input.xLabel ?? 'step' };
  plot.yAxis = { ticks: y.ticks, label: y.log ? 'loss (log scale)' : 'loss' };

  for (const s of shown) {
    const steps = stepsOf(s);
    const path = line<number | null>()
      .defined((v) => v !== null && Number.isFinite(v))
      .x((_, i) => x.scale(steps[i] ?? i + 1))
      .y((v) => y.scale(v ?? 0))
      .digits(1)(s.values as Array<number | null>);
    plot.series.push({ label: s.label, d: path ?? '', role: s.role });
    plot.legend.push({ label: s.label, role: s.role, kind: 'line' });
    const bad = s.values.flatMap((v, i) => (v === null || !Number.isFinite(v) ? [i] : []));
    for (const i of bad) {
      plot.points.push({
        cx: x.scale(steps[i] ?? i + 1),
        cy: frame.top + 4,
        r: 3,
        title: `${s.label}: step ${steps[i] ?? i + 1} is NaN/∞`,
        role: `nonfinite ${s.role}`,
      });
    }
    if (bad.length > 0)
      plot.notes.push(
        `${s.label}: ${bad.length} of ${s.values.length} losses are NaN or infinite (marked along the top edge).`,
      );
  }
  if (input.threshold !== undefined) {
    const ty = y.scale(input.threshold);
    plot.rules.push({
      x1: frame.left,
      x2: frame.right,
      y1: ty,
      y2: ty,
      label: `threshold ${formatNumber(input.threshold)}`,
      role: 'threshold',
      labelX: frame.right - 4,
      labelY: ty - 4,
      anchor: 'end',
    });
    plot.legend.push({ label: 'threshold', role: 'threshold', kind: 'line' });
  }
  if (shown.length === 0) plot.notes.push('No losses were recorded.');
  return plot;
}
