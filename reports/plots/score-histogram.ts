/**
 * The class's score distribution: one bar per bin of the cohort histogram, its count written on it.
 */
import { scaleLinear } from 'd3-scale';
import {
  emptyPlot,
  formatNumber,
  frameOf,
  linearTicks,
  type FrameSpec,
  type Plot,
} from '../../course/plots/plot-model.js';

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export interface ScoreHistogramInput extends FrameSpec {
  title: string;
  bins: readonly HistogramBin[];
}

export function scoreHistogramPlot(input: ScoreHistogramInput): Plot {
  const frame = frameOf(input);
  const total = input.bins.reduce((s, b) => s + b.count, 0);
  const plot = emptyPlot(
    'score-histogram',
    input.title,
    `Number of submissions per score range (${total} in all).`,
    frame,
  );
  if (input.bins.length === 0) {
    plot.notes.push('No submissions.');
    return plot;
  }
  const lo = input.bins[0]!.from;
  const hi = input.bins[input.bins.length - 1]!.to;
  const x = scaleLinear()
    .domain([lo, hi > lo ? hi : lo + 1])
    .range([frame.left, frame.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...input.bins.map((b) => b.count))])
    .range([frame.bottom, frame.top])
    .nice();
  plot.xAxis = {
    ticks:
      input.bins.length <= 10
        ? [...input.bins.map((b) => b.from), hi].map((v) => ({ at: x(v), label: formatNumber(v, 3) }))
        : linearTicks(x, 10),
    label: 'score (points)',
  };
  plot.yAxis = {
    ticks: linearTicks(y, Math.min(5, y.domain()[1] ?? 5), (v) =>
      Number.isInteger(v) ? String(v) : '',
    ).filter((t) => t.label !== ''),
    label: 'submissions',
  };
  for (const b of input.bins) {
    const x0 = x(b.from) + 1;
    const width = Math.max(0, x(b.to) - x(b.from) - 2);
    const top = y(b.count);
    plot.bars.push({
      x: x0,
      y: top,
      width,
      height: frame.bottom - top,
      role: 'count',
      title: `${formatNumber(b.from, 3)}–${formatNumber(b.to, 3)} points: ${b.count} submission(s)`,
    });
    if (b.count > 0)
      plot.texts.push({
        x: x0 + width / 2,
        y: top - 4,
        text: String(b.count),
        anchor: 'middle',
        role: 'value',
      });
  }
  plot.legend.push({ label: 'submissions per score range', role: 'count', kind: 'swatch' });
  return plot;
}
