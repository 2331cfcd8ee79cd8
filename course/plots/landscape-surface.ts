/**
 * The loss landscape of one run as a static 3-D surface (the notebook's `plot_surface`): every
 * cell of the grid is a quadrilateral at its loss (log scale) seen from above at an angle, drawn
 * back to front (painter's order), coloured like the contour and shaded by a fixed light; the
 * trajectory's sampled states sit on it at their recorded losses. No script is needed to see it.
 */
import { maxOf, minOf } from '../extent.js';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { LANDSCAPE_RAMP, type LandscapeGrid } from './landscape-contour.js';
import { emptyPlot, finiteValues, formatNumber, frameOf, type FrameSpec, type Plot } from './plot-model.js';

export interface SurfaceInput extends FrameSpec {
  title: string;
  landscape: LandscapeGrid;
  /** Degrees around the vertical axis (default −35) and above the plane (default 35). */
  azimuth?: number;
  elevation?: number;
}

interface Projected {
  sx: number;
  sy: number;
  depth: number;
}

function parseRgb(colour: string): [number, number, number] {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(colour);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  return hex ? [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)] : [128, 128, 128];
}

const shade = (colour: string, light: number): string => {
  const [r, g, b] = parseRgb(colour).map((c) => Math.round(Math.min(255, c * light)));
  return `rgb(${r}, ${g}, ${b})`;
};

/** Heights on the log scale of the loss, 0 at the lowest loss of the grid and 1 at the highest. */
interface Heights {
  lo: number;
  span: number;
  /** A loss's height; diverged (NaN/∞) cells stand at the highest loss seen. */
  of: (v: number | null | undefined) => number;
}

/** The projection of the grid's plane (u, v in [−1, 1]) and a height onto the page. */
interface View {
  project: (pu: number, pv: number, w: number) => Projected;
  /** A grid coordinate on the plane. */
  u: (x: number) => number;
  v: (y: number) => number;
  /** Page coordinates of a projected point, to 0.1 px. */
  X: (p: Projected) => number;
  Y: (p: Projected) => number;
  /** Every grid point at its height: corners[iy][ix]. */
  corners: Projected[][];
}

const LIFT = 0.9;

export function landscapeSurfacePlot(input: SurfaceInput): Plot {
  const frame = frameOf({
    width: 520,
    height: 400,
    ...input,
    margin: { left: 16, right: 16, top: 12, bottom: 16, ...input.margin },
  });
  const { landscape } = input;
  const [nx, ny] = [landscape.xs.length, landscape.ys.length];
  const plot = emptyPlot(
    'surface',
    input.title,
    `The loss landscape on a ${nx}×${ny} grid as a surface (height and colour: the loss on a log scale), with the sampled states on it.`,
    frame,
  );
  const heights = heightsOf(landscape);
  if (heights === undefined) {
    plot.notes.push('The landscape grid is empty or malformed; nothing to draw.');
    return plot;
  }
  const colour = scaleLinear<string>()
    .domain(LANDSCAPE_RAMP.map((_, i) => i / (LANDSCAPE_RAMP.length - 1)))
    .range([...LANDSCAPE_RAMP])
    .clamp(true);
  const view = viewOf(landscape, heights, frame, input.azimuth ?? -35, input.elevation ?? 35);
  drawBase(plot, view);
  drawFaces(plot, landscape, heights, view, colour);
  drawStates(plot, landscape, heights, view);
  const edge = (pu: number, pv: number, text: string): void => {
    const p = view.project(pu, pv, 0);
    plot.texts.push({ x: view.X(p), y: view.Y(p) + 14, text, anchor: 'middle', role: 'axis-name' });
  };
  edge(0, -1.12, 'direction 1');
  edge(1.12, 0, 'direction 2');
  for (const [t, label] of [
    [0, 'low'],
    [0.5, 'middle'],
    [1, 'high'],
  ] as const) {
    plot.legend.push({
      label: `loss ${formatNumber(10 ** (heights.lo + t * heights.span), 3)} (${label})`,
      role: 'level',
      kind: 'swatch',
      fill: colour(t),
    });
  }
  return plot;
}

/** The heights of the grid's losses, or undefined if the grid is empty or malformed. */
function heightsOf(landscape: LandscapeGrid): Heights | undefined {
  const [nx, ny] = [landscape.xs.length, landscape.ys.length];
  const grid = landscape.losses.flatMap((row) => row.slice(0, nx));
  const finite = finiteValues(grid).filter((v) => v > 0);
  if (nx < 2 || ny < 2 || finite.length === 0 || grid.length !== nx * ny) return undefined;
  const lo = Math.log10(minOf(finite));
  const hi = Math.log10(maxOf(finite));
  const span = hi > lo ? hi - lo : 1;
  const of = (v: number | null | undefined): number =>
    ((v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? Math.log10(v) : hi) - lo) / span;
  return { lo, span, of };
}

/** The view from `azimuth` and `elevation` (degrees), scaled so the whole box of the surface fits the frame. */
function viewOf(
  landscape: LandscapeGrid,
  heights: Heights,
  frame: Plot['frame'],
  azimuth: number,
  elevation: number,
): View {
  const { xs, ys, losses } = landscape;
  const az = (azimuth * Math.PI) / 180;
  const el = (elevation * Math.PI) / 180;
  const [x0, x1, y0, y1] = [xs[0]!, xs[xs.length - 1]!, ys[0]!, ys[ys.length - 1]!];
  const u = (x: number): number => (x1 === x0 ? 0 : (2 * (x - x0)) / (x1 - x0) - 1);
  const v = (y: number): number => (y1 === y0 ? 0 : (2 * (y - y0)) / (y1 - y0) - 1);
  const project = (pu: number, pv: number, w: number): Projected => {
    const rx = pu * Math.cos(az) - pv * Math.sin(az);
    const ry = pu * Math.sin(az) + pv * Math.cos(az);
    return { sx: rx, sy: -(w * LIFT * Math.cos(el) + ry * Math.sin(el)), depth: ry };
  };
  const corners = ys.map((y, iy) => xs.map((x, ix) => project(u(x), v(y), heights.of(losses[iy]?.[ix]))));
  const all = corners.flat();
  for (const [pu, pv] of [
    [-1, -1],
    [1, -1],
    [-1, 1],
    [1, 1],
  ] as const)
    all.push(project(pu, pv, 0), project(pu, pv, 1));
  const [sx0, sx1] = [minOf(all.map((p) => p.sx)), maxOf(all.map((p) => p.sx))];
  const [sy0, sy1] = [minOf(all.map((p) => p.sy)), maxOf(all.map((p) => p.sy))];
  const k = Math.min((frame.right - frame.left) / (sx1 - sx0), (frame.bottom - frame.top) / (sy1 - sy0));
  const ox = (frame.left + frame.right) / 2 - (k * (sx0 + sx1)) / 2;
  const oy = (frame.top + frame.bottom) / 2 - (k * (sy0 + sy1)) / 2;
  const X = (p: Projected): number => Math.round((ox + k * p.sx) * 10) / 10;
  const Y = (p: Projected): number => Math.round((oy + k * p.sy) * 10) / 10;
  return { project, u, v, X, Y, corners };
}

/** A flat base under the surface, so its height reads against something. */
function drawBase(plot: Plot, { project, X, Y }: View): void {
  const base = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([pu, pv]) => project(pu!, pv!, 0));
  plot.areas.push({
    d: `M${base.map((p) => `${X(p)},${Y(p)}`).join('L')}Z`,
    fill: '#eef1f5',
    title: 'the plane of the two directions',
  });
}

/** One shaded face per grid cell, back to front (painter's order). */
function drawFaces(
  plot: Plot,
  landscape: LandscapeGrid,
  heights: Heights,
  { corners, X, Y }: View,
  colour: (t: number) => string,
): void {
  const { losses } = landscape;
  const [nx, ny] = [landscape.xs.length, landscape.ys.length];
  const height = heights.of;
  const quads: Array<{ depth: number; d: string; fill: string; title: string }> = [];
  for (let iy = 0; iy < ny - 1; iy++) {
    for (let ix = 0; ix < nx - 1; ix++) {
      const q = [corners[iy]![ix]!, corners[iy]![ix + 1]!, corners[iy + 1]![ix + 1]!, corners[iy + 1]![ix]!];
      const hs = [
        height(losses[iy]?.[ix]),
        height(losses[iy]?.[ix + 1]),
        height(losses[iy + 1]?.[ix + 1]),
        height(losses[iy + 1]?.[ix]),
      ];
      const mean = (hs[0]! + hs[1]! + hs[2]! + hs[3]!) / 4;
      // Lambert shading from the slope of the cell (light from the upper left).
      const du = ((hs[1]! + hs[2]! - (hs[0]! + hs[3]!)) / 2 / (2 / (nx - 1))) * LIFT;
      const dv = ((hs[2]! + hs[3]! - (hs[0]! + hs[1]!)) / 2 / (2 / (ny - 1))) * LIFT;
      const norm = Math.hypot(du, dv, 1);
      const light = 0.7 + 0.45 * ((-du * -0.5 + -dv * 0.5 + 1 * 0.7) / (norm * Math.hypot(0.5, 0.5, 0.7)));
      const loss = 10 ** (heights.lo + mean * heights.span);
      quads.push({
        depth: (q[0]!.depth + q[2]!.depth) / 2,
        d: `M${q.map((p) => `${X(p)},${Y(p)}`).join('L')}Z`,
        fill: shade(colour(mean), light),
        title: `loss ≈ ${formatNumber(loss, 3)}`,
      });
    }
  }
  quads.sort((a, b) => b.depth - a.depth);
  for (const { d, fill, title } of quads) plot.areas.push({ d, fill, title });
}

/** The sampled states on the surface at their losses, joined by the trajectory; those off the grid are counted. */
function drawStates(plot: Plot, landscape: LandscapeGrid, heights: Heights, view: View): void {
  const { xs, ys, coordinates, stateIds, stateLosses } = landscape;
  const { project, u, v, X, Y } = view;
  const [x0, x1, y0, y1] = [xs[0]!, xs[xs.length - 1]!, ys[0]!, ys[ys.length - 1]!];
  const inside = (c: number, a: number, b: number): boolean =>
    c >= Math.min(a, b) - 1e-12 && c <= Math.max(a, b) + 1e-12;
  const states = coordinates[0].flatMap((cx, i) => {
    const cy = coordinates[1][i];
    if (cx === null || cy === null || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy))
      return [];
    if (!inside(cx, x0, x1) || !inside(cy, y0, y1)) return [];
    return [
      {
        p: project(u(cx), v(cy), Math.min(1.15, Math.max(0, heights.of(stateLosses[i])))),
        id: stateIds[i] ?? i,
        loss: stateLosses[i],
      },
    ];
  });
  const outside = coordinates[0].length - states.length;
  if (states.length > 0) {
    const path = line<Projected>().x(X).y(Y).digits(1)(states.map((s) => s.p));
    plot.series.push({ label: 'trajectory', d: path ?? '', role: 'trajectory' });
    states.forEach((s, i) =>
      plot.points.push({
        cx: X(s.p),
        cy: Y(s.p),
        r: i === 0 || i === states.length - 1 ? 4.5 : 2.5,
        role: i === 0 ? 'start' : i === states.length - 1 ? 'end' : 'state',
        title: `state ${s.id}: loss ${formatNumber(s.loss)}`,
      }),
    );
    plot.legend.push({
      label: 'trajectory (sampled states at their loss)',
      role: 'trajectory',
      kind: 'line',
    });
  }
  if (outside > 0)
    plot.notes.push(
      `${outside} of ${coordinates[0].length} sampled states lie outside the grid and are not drawn on the surface.`,
    );
}
