/**
 * The notebook's plotting helpers for students' own scripts: `plotLosses`, `plotContour`,
 * `plotSurface` and `plotExamples` (`plot_losses`, `plot_contour`, `plot_surface`,
 * `plot_examples`). Each returns a self-contained SVG string and, given `out`, also writes it to
 * that file (open it in any browser). They draw exactly what `npm run experiments` puts on its page.
 *
 *   const { losses, states } = theLoop(net, new GD(0.002), gdDataLoader, { epochs: 10 });
 *   plotLosses(losses, { out: 'out/gd-losses.svg' });
 *   const directions = getStateDirections(states, { nStates: 10, startFrom: 0 });
 *   const grid = getLossGrid(net, dataLoader, lossFn, { directions, scale: scaleFromCoordinates(directions.coordinates) });
 *   plotContour(grid, { trajectory: directions, losses, out: 'out/gd-contour.svg' });
 *   plotSurface(grid, { trajectory: directions, losses, out: 'out/gd-surface.svg' });
 */
import { resolve } from 'node:path';
import { writeTextAtomic } from '../atomic-write.js';
import type { ImageDataset } from '../data/dataset.js';
import { badOption, describeValue } from '../errors.js';
import { examplesPlot, type ExamplesInput } from './examples-grid.js';
import { landscapeContourPlot, type LandscapeGrid } from './landscape-contour.js';
import { landscapeSurfacePlot } from './landscape-surface.js';
import { lossCurvesPlot, type LossSeries } from './loss-curves.js';
import type { Plot } from './plot-model.js';
import { plotToSvg } from './svg.js';

export interface PlotOutput {
  title?: string;
  /** Also write the SVG to this file. */
  out?: string;
  width?: number;
  height?: number;
}

type Losses = ReadonlyArray<number | null>;

export interface LossesOptions extends PlotOutput {
  /** Validation losses, one per epoch, drawn at the end of each epoch. */
  valLosses?: Losses;
}

/** What a landscape plot needs of `getLossGrid`'s result. */
export interface GridLike {
  xs: readonly number[];
  ys: readonly number[];
  losses: ReadonlyArray<ReadonlyArray<number | null>>;
}

export interface LandscapeOptions extends PlotOutput {
  /** What `getStateDirections` returned: the sampled states' ids and coordinates. */
  trajectory?: {
    stateIds: readonly number[];
    coordinates: readonly [ReadonlyArray<number | null>, ReadonlyArray<number | null>];
  };
  /** The run's losses (one per step), to label each sampled state with its loss. */
  losses?: Losses;
}

function emit(plot: Plot, out: string | undefined): string {
  const svg = plotToSvg(plot);
  if (out !== undefined) writeTextAtomic(resolve(out), `${svg}\n`);
  return svg;
}

const numbers = (name: string, values: unknown): Losses => {
  if (!Array.isArray(values) || !values.every((v) => v === null || typeof v === 'number')) {
    throw badOption(name, 'an array of numbers', describeValue(values), 'argument');
  }
  return values as Losses;
};

const size = (o: PlotOutput) => ({
  ...(o.width !== undefined ? { width: o.width } : {}),
  ...(o.height !== undefined ? { height: o.height } : {}),
});

/**
 * The loss per step of one run (with its validation losses), or of several runs on one chart:
 * `plotLosses({ GD: gdLosses, SGDwM: momentumLosses })`.
 */
export function plotLosses(
  losses: Losses | Readonly<Record<string, Losses>>,
  options: LossesOptions = {},
): string {
  const series: LossSeries[] = [];
  if (Array.isArray(losses)) {
    series.push({ label: 'training loss', values: numbers('losses', losses), role: 'training' });
  } else if (typeof losses === 'object' && losses !== null) {
    Object.entries(losses).forEach(([label, values], i) =>
      series.push({ label, values: numbers(`losses.${label}`, values), role: `series-${i}` }),
    );
  } else {
    throw badOption(
      'losses',
      'an array of numbers or an object of them by label',
      describeValue(losses),
      'argument',
    );
  }
  const val = options.valLosses === undefined ? [] : numbers('valLosses', options.valLosses);
  if (val.length > 0) {
    const steps = series[0]?.values.length ?? val.length;
    series.push({
      label: 'validation loss',
      values: val,
      role: 'validation',
      steps: val.map((_, i) => Math.max(1, Math.round(((i + 1) * steps) / val.length))),
    });
  }
  return emit(
    lossCurvesPlot({ title: options.title ?? 'Loss per step', series, ...size(options) }),
    options.out,
  );
}

function landscapeOf(grid: GridLike, options: LandscapeOptions): LandscapeGrid {
  if (
    typeof grid !== 'object' ||
    grid === null ||
    !Array.isArray(grid.xs) ||
    !Array.isArray(grid.ys) ||
    !Array.isArray(grid.losses)
  ) {
    throw badOption(
      'grid',
      'what getLossGrid returned ({ xs, ys, losses })',
      describeValue(grid),
      'argument',
    );
  }
  const t = options.trajectory;
  const stateIds = t?.stateIds ?? [];
  return {
    xs: grid.xs,
    ys: grid.ys,
    losses: grid.losses,
    stateIds,
    coordinates: t?.coordinates ?? [[], []],
    stateLosses: stateIds.map((id) => options.losses?.[id] ?? null),
  };
}

/** The landscape as filled contours, with the trajectory through the sampled states over it. */
export function plotContour(grid: GridLike, options: LandscapeOptions = {}): string {
  return emit(
    landscapeContourPlot({
      title: options.title ?? 'Loss landscape',
      landscape: landscapeOf(grid, options),
      ...size(options),
    }),
    options.out,
  );
}

/** The landscape as a static 3-D surface, with the sampled states on it at their losses. */
export function plotSurface(grid: GridLike, options: LandscapeOptions = {}): string {
  return emit(
    landscapeSurfacePlot({
      title: options.title ?? 'Loss surface',
      landscape: landscapeOf(grid, options),
      ...size(options),
    }),
    options.out,
  );
}

/** A grid of example images with their labels (default: the first 32, 8 per row). */
export function plotExamples(data: ImageDataset, options: ExamplesInput & { out?: string } = {}): string {
  return emit(examplesPlot(data, options), options.out);
}
