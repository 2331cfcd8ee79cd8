/**
 * The plot `npm run tune` writes: one horizontal bar per choice, for its validation loss and for
 * its test accuracy (with the grader's accuracy bands as rules), stacked in one SVG file.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { emptyPlot, formatNumber, frameOf, linearTicks, type Plot } from '../../course/plots/plot-model.js';
import { plotToSvg } from '../../course/plots/svg.js';

export interface TunedRow {
  label: string;
  valLoss: number;
  testAccuracy: number;
  best: boolean;
}

const ROW = 22;

function barsPlot(
  title: string,
  rows: readonly TunedRow[],
  value: (r: TunedRow) => number,
  domain: [number, number],
  xLabel: string,
  format: (v: number) => string,
  rules: ReadonlyArray<{ at: number; label: string }> = [],
): Plot {
  const labelWidth = Math.min(420, 24 + 6.3 * Math.max(8, ...rows.map((r) => r.label.length)));
  const frame = frameOf({
    width: labelWidth + 420,
    height: 16 + 52 + ROW * Math.max(1, rows.length),
    margin: { left: labelWidth, right: 60, top: 16, bottom: 52 },
  });
  const plot = emptyPlot(
    'pass-rate',
    title,
    `${title} of ${rows.length} choice(s), one bar each; the best by validation loss is marked ★.`,
    frame,
  );
  const x = scaleLinear().domain(domain).range([frame.left, frame.right]).clamp(true);
  const y = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([frame.top, frame.bottom])
    .padding(0.2);
  plot.xAxis = { ticks: linearTicks(x, 5, format), label: xLabel };
  rows.forEach((r, i) => {
    const top = y(i) ?? frame.top;
    const v = value(r);
    plot.bars.push({
      x: frame.left,
      y: top,
      width: Math.max(0, x(v) - frame.left),
      height: y.bandwidth(),
      role: 'rate',
      title: `${r.label}: ${format(v)}`,
    });
    plot.texts.push({
      x: frame.left - 6,
      y: top + y.bandwidth() / 2 + 4,
      text: `${r.best ? '★ ' : ''}${r.label}`,
      anchor: 'end',
      role: 'category',
    });
    plot.texts.push({
      x: x(v) + 4,
      y: top + y.bandwidth() / 2 + 4,
      text: format(v),
      anchor: 'start',
      role: 'value',
    });
  });
  for (const rule of rules) {
    const rx = x(rule.at);
    plot.rules.push({
      x1: rx,
      x2: rx,
      y1: frame.top,
      y2: frame.bottom,
      label: rule.label,
      role: 'threshold',
      labelX: rx,
      labelY: frame.top - 4 + 12,
      anchor: 'middle',
    });
  }
  return plot;
}

/** Both panels as one SVG document. */
export function tunePlotSvg(
  rows: readonly TunedRow[],
  bands: ReadonlyArray<{ accuracy: number; fraction: number }>,
): string {
  const maxLoss = Math.max(0.1, ...rows.map((r) => (Number.isFinite(r.valLoss) ? r.valLoss : 0)));
  const finiteLoss = (r: TunedRow): number => (Number.isFinite(r.valLoss) ? r.valLoss : maxLoss);
  const lowAcc = Math.min(0.8, ...rows.map((r) => r.testAccuracy));
  const loss = barsPlot(
    'Validation loss (lower is better)',
    rows,
    finiteLoss,
    [0, maxLoss * 1.1],
    'mean validation loss after 1 epoch',
    (v) => formatNumber(v, 3),
  );
  const acc = barsPlot(
    "Test accuracy (the grader's bands as rules)",
    rows,
    (r) => r.testAccuracy,
    [Math.floor(lowAcc * 20) / 20, 1],
    'test accuracy after 1 epoch',
    (v) => `${(v * 100).toFixed(1)} %`,
    bands.map((b) => ({ at: b.accuracy, label: `${b.fraction * 100} %` })),
  );
  const parts = [plotToSvg(loss), plotToSvg(acc)];
  const sizes = parts
    .map((s) => /width="([\d.]+)" height="([\d.]+)"/.exec(s)!)
    .map((m) => [Number(m[1]), Number(m[2])] as const);
  const width = Math.max(...sizes.map((s) => s[0]));
  const height = sizes.reduce((h, s) => h + s[1] + 12, 0);
  let top = 0;
  const nested = parts.map((s, i) => {
    const placed = s.replace('<svg ', `<svg x="0" y="${top}" `);
    top += sizes[i]![1] + 12;
    return placed;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#ffffff"/>${nested.join('')}</svg>\n`;
}
