/**
 * The students' plotting helpers (course/plots/helpers.ts): each returns one well-formed,
 * self-contained SVG document (no script, no external reference, every text escaped), draws what
 * it was given, writes it with `out`, and rejects what is not a plot's input with a clear message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ArrayImageDataset } from '../../course/data/dataset.js';
import { plotContour, plotExamples, plotLosses, plotSurface } from '../../course/plots/helpers.js';

const count = (svg: string, pattern: RegExp): number => svg.match(pattern)?.length ?? 0;

function expectStandalone(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).not.toMatch(/<script|href=|url\((?!#)|@import/i);
}

const xs = [-1, -0.5, 0, 0.5, 1];
const ys = [-1, 0, 1];
const grid = { xs, ys, losses: ys.map((y) => xs.map((x) => 0.5 + x * x + 2 * y * y)) };
const trajectory = {
  stateIds: [0, 4, 9],
  coordinates: [
    [-1, -0.4, 0],
    [1, 0.3, 0],
  ] as [number[], number[]],
};
const losses = Array.from({ length: 10 }, (_, i) => 2 / (i + 1));

describe('plotLosses', () => {
  it("draws a run's training loss and its validation losses at the ends of the epochs", () => {
    const svg = plotLosses(losses, { valLosses: [1.1, 0.3] });
    expectStandalone(svg);
    expect(count(svg, /data-series=/g)).toBe(2);
    expect(svg).toContain('data-series="training loss"');
    expect(svg).toContain('data-series="validation loss"');
    expect(svg).toContain('>Loss per step</text>');
  });

  it('draws several runs on one chart, each in its own colour, named in the legend', () => {
    const svg = plotLosses({ GD: losses, Adam: losses.map((v) => v / 2) }, { title: 'GD & <Adam>' });
    expectStandalone(svg);
    const strokes = [...svg.matchAll(/class="line series-\d+"[^>]*stroke="(#[0-9a-f]{6})"/g)].map(
      (m) => m[1],
    );
    expect(strokes).toHaveLength(2);
    expect(new Set(strokes).size).toBe(2);
    expect(svg).toContain('GD &amp; &lt;Adam&gt;');
    expect(svg).not.toContain('<Adam>');
  });

  it('rejects losses that are not numbers, naming the argument', () => {
    expect(() => plotLosses(['a'] as unknown as number[])).toThrow(
      /Expected the `losses` argument to be an array of numbers/,
    );
  });
});

describe('plotContour and plotSurface', () => {
  it('plotContour fills contour bands and draws the trajectory through the sampled states, labelled by their losses', () => {
    const svg = plotContour(grid, { trajectory, losses });
    expectStandalone(svg);
    expect(count(svg, /<path d="M[^"]+" fill="rgb/g)).toBeGreaterThanOrEqual(5);
    expect(svg).toContain('data-series="trajectory"');
    expect(count(svg, /<circle class="point (start|state|end)"/g)).toBe(3);
    expect(svg).toContain('state 4: loss 0.4');
  });

  it("plotSurface draws one shaded face per grid cell in painter's order, and the states on the surface", () => {
    const svg = plotSurface(grid, { trajectory, losses });
    expectStandalone(svg);
    // (5 − 1) × (3 − 1) faces (the base plane under them has a grey hex fill).
    expect(count(svg, /<path d="M[^"]+" fill="rgb\(/g)).toBe(8);
    expect(svg).toContain('data-series="trajectory"');
    expect(count(svg, /<circle class="point/g)).toBe(3);
    const faces = [...svg.matchAll(/fill="rgb\((\d+), (\d+), (\d+)\)"/g)].map((m) => m.slice(1).join(','));
    expect(new Set(faces).size).toBeGreaterThan(3);
  });

  it('says so instead of drawing when the grid is malformed', () => {
    const svg = plotSurface({ xs: [0], ys: [0], losses: [[1]] });
    expectStandalone(svg);
    expect(svg).toContain('data-series-count="0"');
    expect(() => plotContour({} as never)).toThrow(
      /Expected the `grid` argument to be what getLossGrid returned/,
    );
  });

  it('writes the SVG with `out`', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'plots-')), 'sub', 'contour.svg');
    const svg = plotContour(grid, { out });
    expect(readFileSync(out, 'utf8')).toBe(`${svg}\n`);
  });
});

describe('plotExamples', () => {
  const images = new Float32Array(12 * 28 * 28).map((_, i) => (i % 28 > 10 && i % 28 < 18 ? 1 : -1));
  const data = new ArrayImageDataset(
    images,
    Int32Array.from({ length: 12 }, (_, i) => i % 10),
    [28, 28, 1],
  );

  it('draws every image framed, dark on white, with its label', () => {
    const svg = plotExamples(data, { count: 10, columns: 5 });
    expectStandalone(svg);
    expect(count(svg, /<rect [^>]*fill="none"/g)).toBe(10);
    expect(count(svg, />label \d<\/text>/g)).toBe(10);
    expect(svg).toContain('fill="rgb(0, 0, 0)"');
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
  });

  it('rejects indices outside the data set', () => {
    expect(() => plotExamples(data, { indices: [0, 12] })).toThrow(
      /Expected the `indices` option to be integers in \[0, 11\], got `12`/,
    );
  });
});
