/**
 * The plot modules as data: series, gaps for NaN/∞, axes, contour bands and bars, before any
 * markup is made.
 */
import { describe, expect, it } from 'vitest';
import { errorCurvePlot } from '../../reports/plots/error-curve.js';
import { landscapeContourPlot } from '../../course/plots/landscape-contour.js';
import { lossCurvesPlot } from '../../course/plots/loss-curves.js';
import { passRatePlot } from '../../reports/plots/pass-rate-bars.js';
import { formatNumber } from '../../course/plots/plot-model.js';
import { scoreHistogramPlot } from '../../reports/plots/score-histogram.js';

const subpaths = (d: string): number => d.match(/M/g)?.length ?? 0;
const inside = (v: number, lo: number, hi: number): boolean => v >= lo - 1e-6 && v <= hi + 1e-6;

describe('lossCurvesPlot', () => {
  it('draws one path per series, breaks it at NaN/∞ and marks those steps', () => {
    const plot = lossCurvesPlot({
      title: 't',
      threshold: 1,
      series: [
        { label: 'your run', role: 'student', values: [2, 1.5, null, 1.2, 1.1, null, 0.9] },
        { label: 'reference', role: 'reference', values: [2, 1.4, 1.3, 1.1, 1, 0.95, 0.9] },
      ],
    });
    expect(plot.series.map((s) => [s.role, subpaths(s.d)])).toEqual([
      ['student', 3],
      ['reference', 1],
    ]);
    expect(plot.points.filter((p) => p.role.startsWith('nonfinite'))).toHaveLength(2);
    expect(plot.notes).toEqual(['your run: 2 of 7 losses are NaN or infinite (marked along the top edge).']);
    expect(plot.rules).toHaveLength(1);
    expect(plot.yAxis.label).toBe('loss');
    for (const t of [...plot.xAxis.ticks.map((t) => t.at)])
      expect(inside(t, plot.frame.left, plot.frame.right)).toBe(true);
  });

  it('switches to a log axis when a loss explodes', () => {
    const plot = lossCurvesPlot({
      title: 't',
      series: [{ label: 'a', role: 'student', values: [2, 30, 4e4, 1e8] }],
    });
    expect(plot.yAxis.label).toBe('loss (log scale)');
    expect(plot.yAxis.ticks.map((t) => t.label)).toContain('1e6');
  });
});

describe('errorCurvePlot', () => {
  it('puts the errors on a log axis with the first diverging step marked', () => {
    const plot = errorCurvePlot({ title: 't', errors: [0, 1e-7, 1e-3, 0.02, 0.3], firstStep: 3 });
    expect(plot.series).toHaveLength(1);
    expect(plot.yAxis.label).toContain('log scale');
    expect(plot.rules.map((r) => r.label)).toEqual(['first divergence: step 3']);
    expect(plot.points.filter((p) => p.role === 'error')).toHaveLength(5);
  });

  it('says so when no step has a finite error, instead of drawing an empty line', () => {
    const plot = errorCurvePlot({ title: 't', errors: [null, null, null] });
    expect(plot.series).toHaveLength(0);
    expect(plot.points).toHaveLength(3);
    expect(plot.notes[0]).toMatch(/No step produced a finite result/);
  });
});

describe('landscapeContourPlot', () => {
  const xs = [-1, -0.5, 0, 0.5, 1];
  const ys = [-1, 0, 1];
  const landscape = {
    xs,
    ys,
    stateIds: [0, 1, 2],
    stateLosses: [2, 1, 0.5],
    coordinates: [
      [-1, -0.4, 0],
      [1, 0.3, 0],
    ] as [number[], number[]],
    losses: ys.map((y) => xs.map((x) => 0.5 + x * x + 2 * y * y)),
  };

  it('fills contour bands over the sampled area and draws the trajectory through every state', () => {
    const plot = landscapeContourPlot({ title: 't', landscape, levels: 6 });
    expect(plot.areas.length).toBeGreaterThanOrEqual(5);
    expect(
      plot.areas.every((a) => a.d.startsWith('M') && a.d.endsWith('Z') && a.fill.startsWith('rgb(')),
    ).toBe(true);
    expect(plot.series).toEqual([expect.objectContaining({ role: 'trajectory' })]);
    expect(plot.points.map((p) => p.role)).toEqual(['start', 'state', 'end']);
    expect(plot.texts.map((t) => t.text)).toEqual(['start', 'end']);
    // The trajectory's last state (0, 0) is the centre of the plot.
    const end = plot.points[2]!;
    expect(end.cx).toBeCloseTo((plot.frame.left + plot.frame.right) / 2, 5);
    expect(end.cy).toBeCloseTo((plot.frame.top + plot.frame.bottom) / 2, 5);
  });

  it('treats diverged cells as the highest loss, and reports a malformed grid instead of drawing it', () => {
    const diverged = {
      ...landscape,
      losses: landscape.losses.map((row, iy) => row.map((v, ix) => (iy === 0 && ix === 0 ? null : v))),
    };
    expect(landscapeContourPlot({ title: 't', landscape: diverged }).areas.length).toBeGreaterThan(0);
    const broken = landscapeContourPlot({ title: 't', landscape: { ...landscape, losses: [[1, 2]] } });
    expect(broken.areas).toHaveLength(0);
    expect(broken.notes[0]).toMatch(/malformed/);
  });
});

describe('bar charts', () => {
  it('scoreHistogramPlot: one bar per bin, taller for more submissions, counts written on them', () => {
    const plot = scoreHistogramPlot({
      title: 't',
      bins: [
        { from: 0, to: 50, count: 1 },
        { from: 50, to: 100, count: 3 },
      ],
    });
    expect(plot.bars).toHaveLength(2);
    expect(plot.bars[1]!.height).toBeGreaterThan(plot.bars[0]!.height * 2.9);
    expect(plot.texts.map((t) => t.text)).toEqual(['1', '3']);
  });

  it('passRatePlot: one bar per test, its width the pass rate, and a height that grows with the tests', () => {
    const tests = ['a', 'b', 'c'].map((id, i) => ({ id, name: id, passRate: i / 2, passed: i, graded: 2 }));
    const plot = passRatePlot({ title: 't', tests });
    expect(plot.bars.map((b) => b.width / (plot.frame.right - plot.frame.left))).toEqual([0, 0.5, 1]);
    expect(
      passRatePlot({ title: 't', tests: [...tests, ...tests.map((t) => ({ ...t, id: `${t.id}2` }))] }).height,
    ).toBeGreaterThan(plot.height);
  });
});

describe('formatNumber', () => {
  it('is short, keeps small and large values readable, and names non-finite values', () => {
    expect([0.029349451, 2.2971464, 1.2e-7, 123456, 0, null].map((v) => formatNumber(v))).toEqual([
      '0.02935',
      '2.297',
      '1.20e-7',
      '1.23e5',
      '0',
      'NaN/∞',
    ]);
  });
});
