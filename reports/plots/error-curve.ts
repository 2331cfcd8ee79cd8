/**
 * Per step, the largest absolute error of the student's parameters against the reference
 * (diagnostics.errorCurve), on a log scale, with the first diverging step marked. Steps whose
 * result was NaN/∞ or missing (null) are marked along the top edge; exact zeros sit on the floor.
 */
import { minOf } from '../../course/extent.js';
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
} from '../../course/plots/plot-model.js';

export interface ErrorCurveInput extends FrameSpec {
  title: string;
  errors: ReadonlyArray<number | null>;
  /** The first diverging step (1-based), as the diagnostics report it. */
  firstStep?: number;
}

export function errorCurvePlot(input: ErrorCurveInput): Plot {
  const frame = frameOf(input);
  const plot = emptyPlot(
    'error-curve',
    input.title,
    `Largest absolute error against the reference at each of ${input.errors.length} steps.`,
    frame,
  );
  const x = stepScale(input.errors.length, [frame.left, frame.right]);
  const finite = finiteValues(input.errors);
  const positive = finite.filter((v) => v > 0);
  const floor = positive.length > 0 ? minOf(positive) / 10 : 1e-12;
  const y = valueScale(positive.length > 0 ? [floor, ...positive] : [1e-12, 1], [frame.bottom, frame.top], {
    allowLog: true,
  });
  plot.xAxis = { ticks: x.ticks, label: 'step' };
  plot.yAxis = { ticks: y.ticks, label: y.log ? 'max |error| (log scale)' : 'max |error|' };
  const at = (v: number): number => y.scale(Math.max(v, floor));

  if (finite.length > 0) {
    const path = line<number | null>()
      .defined((v) => v !== null && Number.isFinite(v))
      .x((_, i) => x.scale(i + 1))
      .y((v) => at(v ?? floor))
      .digits(1)(input.errors as Array<number | null>);
    plot.series.push({ label: 'max |error| per step', d: path ?? '', role: 'error' });
    plot.legend.push({ label: 'max |error| per step', role: 'error', kind: 'line' });
    input.errors.forEach((v, i) => {
      if (v !== null && Number.isFinite(v))
        plot.points.push({
          cx: x.scale(i + 1),
          cy: at(v),
          r: 2.5,
          title: `step ${i + 1}: ${formatNumber(v)}`,
          role: 'error',
        });
    });
  }
  const bad = input.errors.flatMap((v, i) => (v === null || !Number.isFinite(v) ? [i + 1] : []));
  for (const step of bad)
    plot.points.push({
      cx: x.scale(step),
      cy: frame.top + 4,
      r: 3,
      title: `step ${step}: NaN/∞ or missing`,
      role: 'nonfinite error',
    });
  if (bad.length > 0) {
    plot.legend.push({ label: 'NaN/∞ or missing', role: 'nonfinite error', kind: 'point' });
    plot.notes.push(
      bad.length === input.errors.length
        ? 'No step produced a finite result to compare (every step is NaN/∞ or missing).'
        : `${bad.length} of ${input.errors.length} steps are NaN/∞ or missing (marked along the top edge).`,
    );
  }
  if (
    input.firstStep !== undefined &&
    input.firstStep >= 1 &&
    input.firstStep <= Math.max(2, input.errors.length)
  ) {
    const sx = x.scale(input.firstStep);
    plot.rules.push({
      x1: sx,
      x2: sx,
      y1: frame.top,
      y2: frame.bottom,
      label: `first divergence: step ${input.firstStep}`,
      role: 'divergence',
      labelX: sx > (frame.left + frame.right) / 2 ? sx - 4 : sx + 4,
      labelY: frame.top + 14,
      anchor: sx > (frame.left + frame.right) / 2 ? 'end' : 'start',
    });
    plot.legend.push({ label: 'first diverging step', role: 'divergence', kind: 'line' });
  }
  return plot;
}
