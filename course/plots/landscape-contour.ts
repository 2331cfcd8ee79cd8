/**
 * The loss landscape of one run as filled contours (d3-contour's marching squares over
 * losses[iy][ix], on a log scale of the loss), with the run's trajectory through the sampled
 * states drawn over it (landscape.coordinates), from the first state to the last.
 */
import { maxOf, minOf } from '../extent.js';
import { contours } from 'd3-contour';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import {
  emptyPlot,
  finiteValues,
  formatNumber,
  frameOf,
  linearTicks,
  type FrameSpec,
  type Plot,
} from './plot-model.js';

export interface LandscapeGrid {
  xs: readonly number[];
  ys: readonly number[];
  /** losses[iy][ix]; null where the loss was NaN/∞. */
  losses: ReadonlyArray<ReadonlyArray<number | null>>;
  coordinates: readonly [ReadonlyArray<number | null>, ReadonlyArray<number | null>];
  stateIds: readonly number[];
  stateLosses: ReadonlyArray<number | null>;
}

export interface LandscapeInput extends FrameSpec {
  title: string;
  landscape: LandscapeGrid;
  levels?: number;
}

/** Low loss dark blue, high loss pale yellow; the surface view uses the same colours. */
export const LANDSCAPE_RAMP = ['#1b3a6b', '#2e7d8c', '#7cc49a', '#f2e394'] as const;
const RAMP = LANDSCAPE_RAMP;

type Point = readonly [number, number];
type Scale = ScaleLinear<number, number>;

export function landscapeContourPlot(input: LandscapeInput): Plot {
  const frame = frameOf({
    width: 520,
    height: 440,
    ...input,
    margin: { left: 72, bottom: 52, right: 16, top: 16, ...input.margin },
  });
  const { landscape } = input;
  const [nx, ny] = [landscape.xs.length, landscape.ys.length];
  const plot = emptyPlot(
    'landscape',
    input.title,
    `Loss landscape on a ${nx}×${ny} grid around the final weights, with the trajectory of ${landscape.stateIds.length} sampled states.`,
    frame,
  );
  const levels = logLevels(landscape, input.levels ?? 10);
  if (levels === undefined) {
    plot.notes.push('The landscape grid is empty or malformed; nothing to draw.');
    return plot;
  }
  const color = scaleLinear<string>()
    .domain(RAMP.map((_, i) => levels.l0 + ((levels.l1 - levels.l0) * i) / (RAMP.length - 1)))
    .range([...RAMP]);
  const traj = trajectoryOf(landscape);
  const { x, y } = scalesOf(landscape, traj, frame);
  drawBands(plot, landscape, levels, color, x, y);
  const fmt = x.tickFormat(5);
  plot.xAxis = { ticks: linearTicks(x, 5, (v) => fmt(v)), label: 'direction 1' };
  plot.yAxis = { ticks: linearTicks(y, 5, y.tickFormat(5)), label: 'direction 2' };
  if (traj.length > 0) drawTrajectory(plot, landscape, traj, x, y);
  else plot.notes.push('The record has no trajectory coordinates.');
  for (const k of [0, Math.floor(RAMP.length / 2), RAMP.length - 1]) {
    const v = levels.l0 + ((levels.l1 - levels.l0) * k) / (RAMP.length - 1);
    plot.legend.push({
      label: `loss ${formatNumber(10 ** v, 3)}`,
      role: 'level',
      kind: 'swatch',
      fill: color(v),
    });
  }
  return plot;
}

interface LogLevels {
  /** log10 of each cell's loss, row by row; NaN/∞ (diverged) cells count as the highest loss seen. */
  logs: number[];
  /** The contour thresholds, evenly spaced over [l0, l1). */
  thresholds: number[];
  l0: number;
  l1: number;
}

/** The grid's losses on a log scale and the contour levels, or undefined if it is empty or malformed. */
function logLevels(landscape: LandscapeGrid, levels: number): LogLevels | undefined {
  const [nx, ny] = [landscape.xs.length, landscape.ys.length];
  const grid = landscape.losses.flatMap((row) => row.slice(0, nx));
  const finite = finiteValues(grid).filter((v) => v > 0);
  if (nx < 2 || ny < 2 || finite.length === 0 || grid.length !== nx * ny) return undefined;
  const lo = minOf(finite);
  const hi = maxOf(finite);
  const logs = grid.map((v) => Math.log10(v !== null && Number.isFinite(v) && v > 0 ? v : hi));
  const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
  const thresholds = l1 > l0 ? Array.from({ length: levels }, (_, i) => l0 + ((l1 - l0) * i) / levels) : [l0];
  return { logs, thresholds, l0, l1 };
}

/** The sampled states' coordinates that are finite, in order. */
function trajectoryOf(landscape: LandscapeGrid): Point[] {
  return landscape.coordinates[0]
    .map((px, k) => [px, landscape.coordinates[1][k] ?? null] as const)
    .filter(
      (p): p is Point => p[0] !== null && p[1] !== null && Number.isFinite(p[0]) && Number.isFinite(p[1]),
    );
}

/**
 * The plot's scales: they span the sampled points (and the trajectory), so the half cell
 * d3-contour adds around the grid, with its cut corners, falls outside the clip.
 */
function scalesOf(
  landscape: LandscapeGrid,
  traj: readonly Point[],
  frame: Plot['frame'],
): { x: Scale; y: Scale } {
  const { xs, ys } = landscape;
  const [nx, ny] = [xs.length, ys.length];
  const xDomain = [
    Math.min(xs[0]!, xs[nx - 1]!, ...traj.map((p) => p[0])),
    Math.max(xs[0]!, xs[nx - 1]!, ...traj.map((p) => p[0])),
  ] as const;
  const yDomain = [
    Math.min(ys[0]!, ys[ny - 1]!, ...traj.map((p) => p[1])),
    Math.max(ys[0]!, ys[ny - 1]!, ...traj.map((p) => p[1])),
  ] as const;
  return {
    x: scaleLinear().domain(xDomain).range([frame.left, frame.right]),
    y: scaleLinear().domain(yDomain).range([frame.bottom, frame.top]),
  };
}

/** The filled contour bands, one area per level, coloured by the ramp. */
function drawBands(
  plot: Plot,
  landscape: LandscapeGrid,
  levels: LogLevels,
  color: ScaleLinear<string, string>,
  x: Scale,
  y: Scale,
): void {
  const { xs, ys } = landscape;
  const [nx, ny] = [xs.length, ys.length];
  const dx = (xs[nx - 1]! - xs[0]!) / (nx - 1);
  const dy = (ys[ny - 1]! - ys[0]!) / (ny - 1);
  const [cx0, cy0] = [xs[0]! - dx / 2, ys[0]! - dy / 2];
  const [cx1, cy1] = [xs[nx - 1]! + dx / 2, ys[ny - 1]! + dy / 2];
  // d3-contour puts value i of a row at grid coordinate i + 0.5, so the grid spans [0, n].
  const gx = scaleLinear()
    .domain([0, nx])
    .range([x(cx0), x(cx1)]);
  const gy = scaleLinear()
    .domain([0, ny])
    .range([y(cy0), y(cy1)]);
  const ring = line<number[]>()
    .x((p) => gx(p[0] ?? 0))
    .y((p) => gy(p[1] ?? 0))
    .digits(1);
  for (const band of contours().size([nx, ny]).thresholds(levels.thresholds)(levels.logs)) {
    const d = band.coordinates.map((polygon) => polygon.map((r) => `${ring(r) ?? ''}Z`).join('')).join('');
    if (d !== '')
      plot.areas.push({ d, fill: color(band.value), title: `loss ≥ ${formatNumber(10 ** band.value, 3)}` });
  }
}

/** The trajectory through the sampled states, its points, and labels at its start and end. */
function drawTrajectory(
  plot: Plot,
  landscape: LandscapeGrid,
  traj: readonly Point[],
  x: Scale,
  y: Scale,
): void {
  const path = line<Point>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]))
    .digits(1)(traj);
  plot.series.push({ label: 'trajectory', d: path ?? '', role: 'trajectory' });
  plot.legend.push({ label: 'trajectory', role: 'trajectory', kind: 'line' });
  traj.forEach((p, k) => {
    const id = landscape.stateIds[k];
    plot.points.push({
      cx: x(p[0]),
      cy: y(p[1]),
      r: k === traj.length - 1 || k === 0 ? 4.5 : 2.5,
      role: k === 0 ? 'start' : k === traj.length - 1 ? 'end' : 'state',
      title: `state ${id ?? k}: loss ${formatNumber(landscape.stateLosses[k])}`,
    });
  });
  const { frame } = plot;
  // Labels point into the plot, so that one at the right edge is not cut off.
  const label = (p: Point, text: string, dy: number): void => {
    const right = x(p[0]) > (frame.left + frame.right) / 2;
    plot.texts.push({
      x: x(p[0]) + (right ? -7 : 7),
      y: y(p[1]) + dy,
      text,
      anchor: right ? 'end' : 'start',
      role: 'label',
    });
  };
  label(traj[0]!, 'start', -7);
  if (traj.length > 1) label(traj[traj.length - 1]!, 'end', 16);
}
