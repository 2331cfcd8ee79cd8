/**
 * What a plot is, as data: geometry (SVG path strings made by d3 in Node) plus text. One renderer,
 * svg.ts, turns it into SVG (XML-escaping every label) for the course helpers' files and for the
 * report pages alike. Each plot module builds one of these; none writes markup.
 */
import { maxOf, minOf } from '../extent.js';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';

export type PlotKind =
  'loss-curves' | 'landscape' | 'surface' | 'examples' | 'error-curve' | 'score-histogram' | 'pass-rate';

export interface Tick {
  at: number;
  label: string;
}
/** A line of data: `role` names its style (solid/dashed/dotted, colour) in svg.ts, and its classes. */
export interface PlotSeries {
  label: string;
  d: string;
  role: string;
}
export interface PlotRule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  label: string;
  role: string;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'middle' | 'end';
}
export interface PlotArea {
  d: string;
  fill: string;
  title: string;
}
export interface PlotBar {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  role: string;
}
export interface PlotPoint {
  cx: number;
  cy: number;
  r: number;
  title: string;
  role: string;
}
export interface PlotText {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  role: string;
}
export interface LegendEntry {
  label: string;
  role: string;
  kind: 'line' | 'swatch' | 'point';
  fill?: string;
}

export interface Plot {
  kind: PlotKind;
  title: string;
  /** One sentence describing the plot, for screen readers and under the plot. */
  description: string;
  width: number;
  height: number;
  frame: { left: number; top: number; right: number; bottom: number };
  xAxis: { ticks: Tick[]; label: string };
  yAxis: { ticks: Tick[]; label: string };
  areas: PlotArea[];
  bars: PlotBar[];
  series: PlotSeries[];
  rules: PlotRule[];
  points: PlotPoint[];
  texts: PlotText[];
  legend: LegendEntry[];
  /** Plain-text remarks shown under the plot (e.g. "3 steps were NaN"). */
  notes: string[];
  /** A unique id for the SVG's clip path and title (set by the renderer). */
  uid: string;
}

export interface FrameSpec {
  width?: number;
  height?: number;
  margin?: Partial<{ left: number; top: number; right: number; bottom: number }>;
}

export function frameOf(spec: FrameSpec = {}): Plot['frame'] & { width: number; height: number } {
  const width = spec.width ?? 640;
  const height = spec.height ?? 320;
  const m = { left: 76, top: 16, right: 20, bottom: 52, ...spec.margin };
  return { width, height, left: m.left, top: m.top, right: width - m.right, bottom: height - m.bottom };
}

/** A short, readable number: 0.0293, 2.297, 1.2e-7, 3400. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NaN/∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(Math.max(0, digits - 2)).replace('e+', 'e');
  return String(Number(value.toPrecision(digits)));
}

export function finiteValues(values: ReadonlyArray<number | null>): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** A linear scale, or a log one when every value is positive and they span more than two decades. */
export function valueScale(
  values: readonly number[],
  range: [number, number],
  options: { allowLog?: boolean; includeZero?: boolean } = {},
): {
  scale: ScaleContinuousNumeric<number, number>;
  log: boolean;
  ticks: Tick[];
} {
  const lo = minOf(options.includeZero ? [...values, 0] : values);
  const hi = maxOf(values);
  const empty = !Number.isFinite(lo) || !Number.isFinite(hi);
  if (!empty && options.allowLog !== false && lo > 0 && hi / lo > 100) {
    const scale = scaleLog().domain([lo, hi]).range(range).nice().clamp(true);
    const decades = scale.ticks(5).filter((t) => Number.isInteger(Math.round(Math.log10(t) * 1e6) / 1e6));
    const ticks = (decades.length >= 2 ? decades : scale.ticks(5)).map((t) => ({
      t,
      label: formatNumber(t, 2),
    }));
    return { scale, log: true, ticks: ticks.map(({ t, label }) => ({ at: scale(t), label })) };
  }
  const [a, b] = empty
    ? [0, 1]
    : lo === hi
      ? [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1]
      : [lo, hi];
  const scale = scaleLinear().domain([a, b]).range(range).nice();
  return { scale, log: false, ticks: linearTicks(scale, 5) };
}

export function linearTicks(
  scale: ScaleContinuousNumeric<number, number>,
  count: number,
  format?: (value: number) => string,
): Tick[] {
  const fmt = format ?? scale.tickFormat(count);
  return scale.ticks(count).map((t) => ({ at: scale(t), label: fmt(t) }));
}

/** Steps start..n on the x axis (start 1 by default; 0 for epochs), with integer ticks. */
export function stepScale(
  n: number,
  range: [number, number],
  start = 1,
): { scale: ScaleContinuousNumeric<number, number>; ticks: Tick[] } {
  const scale = scaleLinear()
    .domain([start, Math.max(start + 1, n)])
    .range(range);
  const ticks = scale.ticks(Math.min(8, Math.max(1, n - start))).filter((t) => Number.isInteger(t));
  return { scale, ticks: ticks.map((t) => ({ at: scale(t), label: String(t) })) };
}

export function emptyPlot(
  kind: PlotKind,
  title: string,
  description: string,
  frame: Plot['frame'] & { width: number; height: number },
): Plot {
  const { width, height, ...rest } = frame;
  return {
    kind,
    title,
    description,
    width,
    height,
    frame: rest,
    xAxis: { ticks: [], label: '' },
    yAxis: { ticks: [], label: '' },
    areas: [],
    bars: [],
    series: [],
    rules: [],
    points: [],
    texts: [],
    legend: [],
    notes: [],
    uid: '',
  };
}
