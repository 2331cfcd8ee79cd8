/**
 * Per test, the share of graded submissions that passed it: one horizontal bar per test, the
 * percentage written beside it; the plot grows with the number of tests.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { emptyPlot, frameOf, linearTicks, type FrameSpec, type Plot } from '../../course/plots/plot-model.js';

export interface PassRate {
  id: string;
  name: string;
  passRate: number;
  passed: number;
  graded: number;
}

export interface PassRateInput extends FrameSpec {
  title: string;
  tests: readonly PassRate[];
}

const ROW = 18;

export function passRatePlot(input: PassRateInput): Plot {
  const labelWidth = Math.min(260, 24 + 6.5 * Math.max(4, ...input.tests.map((t) => t.id.length)));
  const frame = frameOf({
    height: 16 + 44 + ROW * Math.max(1, input.tests.length),
    ...input,
    margin: { left: labelWidth, right: 48, top: 16, bottom: 44, ...input.margin },
  });
  const plot = emptyPlot(
    'pass-rate',
    input.title,
    `Share of graded submissions that passed each of ${input.tests.length} tests.`,
    frame,
  );
  const x = scaleLinear().domain([0, 1]).range([frame.left, frame.right]);
  const y = scaleBand<string>()
    .domain(input.tests.map((t) => t.id))
    .range([frame.top, frame.bottom])
    .padding(0.2);
  plot.xAxis = {
    ticks: linearTicks(x, 5, (v) => `${Math.round(v * 100)}%`),
    label: 'passed (share of graded submissions)',
  };
  plot.yAxis = { ticks: [], label: '' };
  for (const t of input.tests) {
    const top = y(t.id) ?? frame.top;
    const pct = `${Math.round(t.passRate * 100)}%`;
    plot.bars.push({
      x: frame.left,
      y: top,
      width: Math.max(0, x(t.passRate) - frame.left),
      height: y.bandwidth(),
      role: t.passRate >= 0.5 ? 'rate' : 'rate low',
      title: `${t.name}: ${t.passed} of ${t.graded} passed (${pct})`,
    });
    plot.texts.push({
      x: frame.left - 6,
      y: top + y.bandwidth() / 2 + 4,
      text: t.id,
      anchor: 'end',
      role: 'category',
    });
    plot.texts.push({
      x: x(t.passRate) + 4,
      y: top + y.bandwidth() / 2 + 4,
      text: pct,
      anchor: 'start',
      role: 'value',
    });
  }
  if (input.tests.length === 0) plot.notes.push('No tests were graded.');
  // One swatch per colour the bars use, so the legend matches what is drawn.
  if (input.tests.some((t) => t.passRate >= 0.5))
    plot.legend.push({ label: 'share passed (half or more)', role: 'rate', kind: 'swatch' });
  if (input.tests.some((t) => t.passRate < 0.5))
    plot.legend.push({ label: 'share passed (under half)', role: 'rate low', kind: 'swatch' });
  return plot;
}
