/**
 * A plot model (plot-model.ts) as one self-contained SVG string: every style is an inline
 * presentation attribute (no stylesheet, no script, no external resource), every text is
 * XML-escaped, and the title and legend are drawn inside the SVG, so the string can be written
 * to a file, opened in a browser or embedded in a page as it is. It is the only renderer of plots:
 * the report pages embed its SVG too (reports/template-engine.ts' `plotSvg`), and every mark
 * carries its role as classes (`line student`, `rule threshold`, `bar rate low`, `key …`), so a
 * page's stylesheet may restyle it, while the inline attributes keep it right on its own.
 */
import { xmlAttribute, xmlText } from '../xml.js';
import type { LegendEntry, Plot } from './plot-model.js';

export interface SvgOptions {
  /** Draw the title above the plot (default true; a page that captions the figure turns it off). */
  title?: boolean;
  /** Draw the legend under the plot (default true). */
  legend?: boolean;
  /**
   * Mark the <svg> with `data-plot` (the kind) and `data-series-count` (default true; a page whose
   * figure carries them turns it off, so that each plot is marked once).
   */
  marked?: boolean;
}

/** Colours of the comparison series series-0, series-1, … (colour-blind friendly, distinct in grey print). */
export const SERIES_COLOURS = [
  '#1f5fbf',
  '#d1495b',
  '#2a9d5c',
  '#8a4fbf',
  '#e08a00',
  '#00838f',
  '#6d6d6d',
  '#b5651d',
  '#c2185b',
  '#33691e',
];

interface Stroke {
  stroke: string;
  width: number;
  dash?: string;
}

const LINES: Record<string, Stroke> = {
  student: { stroke: '#1f5fbf', width: 2 },
  training: { stroke: '#1f5fbf', width: 1.6 },
  reference: { stroke: '#444b57', width: 2, dash: '6 4' },
  validation: { stroke: '#c0561a', width: 2.5, dash: '5 3' },
  error: { stroke: '#b3261e', width: 2 },
  trajectory: { stroke: '#ff5a36', width: 2.5 },
  threshold: { stroke: '#7a1f8f', width: 1.5, dash: '3 3' },
  divergence: { stroke: '#7a1f8f', width: 1.5, dash: '8 3 2 3' },
};

interface Mark {
  fill: string;
  stroke?: string;
  width?: number;
}

const POINTS: Record<string, Mark> = {
  state: { fill: '#ff5a36', stroke: '#ffffff', width: 1 },
  start: { fill: '#ffffff', stroke: '#111111', width: 2 },
  end: { fill: '#111111', stroke: '#ffffff', width: 2 },
  error: { fill: '#b3261e' },
  nonfinite: { fill: '#ffffff', stroke: '#b3261e', width: 2 },
};

/** Bars by role: a histogram's counts, a pass rate (half or more, under half), an image's frame. */
const BARS: Record<string, Mark> = {
  count: { fill: '#4a78c2' },
  rate: { fill: '#1e7a3c' },
  'rate low': { fill: '#b3261e' },
  frame: { fill: 'none', stroke: '#c8ced8', width: 1 },
};

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif"';
const TEXT = `${FONT} font-size="11" fill="#5b6475"`;
const TITLE_BAND = 26;
const LEGEND_ROW = 20;

let counter = 0;

const r1 = (v: number): number => Math.round(v * 10) / 10;

function lineStyle(role: string): Stroke {
  const series = /^series-(\d+)$/.exec(role);
  if (series) return { stroke: SERIES_COLOURS[Number(series[1]) % SERIES_COLOURS.length]!, width: 1.6 };
  return LINES[role.split(' ').at(-1)!] ?? LINES['student']!;
}

function strokeAttrs(s: Stroke): string {
  return `fill="none" stroke="${s.stroke}" stroke-width="${s.width}" stroke-linejoin="round" stroke-linecap="round"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}`;
}

function pointStyle(role: string): Mark {
  const key = role.split(' ')[0]!;
  if (key.startsWith('nonfinite')) return POINTS['nonfinite']!;
  return POINTS[key] ?? { fill: lineStyle(role).stroke };
}

function barStyle(role: string): Mark {
  return BARS[role] ?? BARS[role.split(' ')[0]!] ?? BARS['count']!;
}

/** Fill and stroke attributes of a point or a bar. */
function fillAttrs(m: Mark): string {
  return `fill="${m.fill}"${m.stroke ? ` stroke="${m.stroke}" stroke-width="${m.width ?? 1}"` : ''}`;
}

/**
 * The key of a legend entry. Every mark carries its role as classes (`line student`, `bar rate low`,
 * …), so a page's stylesheet can restyle what the inline attributes draw (reports/styles.css).
 */
function legendKey(entry: LegendEntry, x: number, y: number): string {
  const role = xmlAttribute(entry.role);
  if (entry.kind === 'line')
    return `<line class="key line ${role}" x1="${x}" x2="${x + 26}" y1="${y}" y2="${y}" ${strokeAttrs(lineStyle(entry.role))}/>`;
  if (entry.kind === 'point')
    return `<circle class="key point ${role}" cx="${x + 13}" cy="${y}" r="4" ${fillAttrs(pointStyle(entry.role))}/>`;
  const fill = entry.fill === undefined ? barStyle(entry.role).fill : xmlAttribute(entry.fill);
  return `<rect class="key bar ${role}" x="${x + 3}" y="${y - 5}" width="20" height="10" fill="${fill}" stroke="#8a93a3" stroke-width="0.5"/>`;
}

/** Lays the legend out in rows across the plot's width; returns the markup and its height. */
function legendOf(plot: Plot, top: number): { svg: string; height: number } {
  if (plot.legend.length === 0) return { svg: '', height: 0 };
  const parts: string[] = [];
  let x = plot.frame.left;
  let row = 0;
  for (const entry of plot.legend) {
    const width = 34 + entry.label.length * 6.2 + 14;
    if (x + width > plot.width - 4 && x > plot.frame.left) {
      row += 1;
      x = plot.frame.left;
    }
    const y = top + row * LEGEND_ROW + LEGEND_ROW / 2;
    parts.push(
      `${legendKey(entry, x, y)}<text ${TEXT} x="${r1(x + 32)}" y="${y + 4}">${xmlText(entry.label)}</text>`,
    );
    x += width;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: (row + 1) * LEGEND_ROW + 6 };
}

/** The plot as a standalone SVG document (a string that starts with `<svg`). */
export function plotToSvg(plot: Plot, options: SvgOptions = {}): string {
  counter += 1;
  const uid = `optnn-${plot.kind}-${plot.uid || counter}`;
  const { frame } = plot;
  const top = options.title === false ? 0 : TITLE_BAND;
  const legend = options.legend === false ? { svg: '', height: 0 } : legendOf(plot, top + plot.height);
  const height = top + plot.height + legend.height;
  const fw = r1(frame.right - frame.left);
  const fh = r1(frame.bottom - frame.top);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${plot.width} ${height}" width="${plot.width}" height="${height}" role="img" aria-labelledby="${uid}-title ${uid}-desc"${options.marked === false ? '' : ` data-plot="${plot.kind}" data-series-count="${plot.series.length}"`}>`,
    `<title id="${uid}-title">${xmlText(plot.title)}</title><desc id="${uid}-desc">${xmlText(plot.description)}</desc>`,
    `<rect width="${plot.width}" height="${height}" fill="#ffffff"/>`,
    top > 0
      ? `<text ${FONT} font-size="13" font-weight="600" fill="#1d2330" x="${frame.left}" y="17">${xmlText(plot.title)}</text>`
      : '',
    `<g transform="translate(0 ${top})">`,
    `<defs><clipPath id="${uid}-clip"><rect x="${frame.left}" y="${frame.top}" width="${fw}" height="${fh}"/></clipPath></defs>`,
    plot.kind !== 'examples' && plot.kind !== 'surface'
      ? `<rect class="plot-bg" x="${frame.left}" y="${frame.top}" width="${fw}" height="${fh}" fill="#fcfcfd"/>`
      : '',
    ...dataOf(plot, `clip-path="url(#${uid}-clip)"`),
    ...annotationsOf(plot),
    xAxisOf(plot),
    yAxisOf(plot),
    '</g>',
    legend.svg,
    '</svg>',
  ].join('');
}

/** What the data draws, back to front: areas, grid lines, bars, series (areas and series clipped to the frame). */
function dataOf(plot: Plot, clip: string): string[] {
  const { frame } = plot;
  const edge =
    plot.kind === 'landscape'
      ? ' stroke="rgba(255,255,255,0.35)" stroke-width="0.5"'
      : plot.kind === 'surface'
        ? ' stroke="rgba(20,30,50,0.35)" stroke-width="0.4"'
        : '';
  return [
    `<g class="areas" ${clip}>${plot.areas
      .map(
        (a) =>
          `<path d="${a.d}" fill="${xmlAttribute(a.fill)}"${edge}><title>${xmlText(a.title)}</title></path>`,
      )
      .join('')}</g>`,
    plot.kind !== 'landscape'
      ? `<g class="grid">${plot.yAxis.ticks.map((t) => `<line x1="${frame.left}" x2="${frame.right}" y1="${r1(t.at)}" y2="${r1(t.at)}" stroke="#e7ebf0"/>`).join('')}</g>`
      : '',
    `<g class="bars">${plot.bars
      .map(
        (b) =>
          `<rect class="bar ${xmlAttribute(b.role)}" x="${r1(b.x)}" y="${r1(b.y)}" width="${r1(b.width)}" height="${r1(b.height)}" ` +
          `${fillAttrs(barStyle(b.role))}><title>${xmlText(b.title)}</title></rect>`,
      )
      .join('')}</g>`,
    `<g class="series" ${clip}>${plot.series
      .map(
        (s) =>
          `<path class="line ${xmlAttribute(s.role)}" data-series="${xmlAttribute(s.label)}" d="${s.d}" ${strokeAttrs(lineStyle(s.role))}><title>${xmlText(s.label)}</title></path>`,
      )
      .join('')}</g>`,
  ];
}

/** What is drawn over the data: rules with their labels, points, texts. */
function annotationsOf(plot: Plot): string[] {
  return [
    `<g class="rules">${plot.rules
      .map(
        (l) =>
          `<line class="rule ${xmlAttribute(l.role)}" x1="${r1(l.x1)}" x2="${r1(l.x2)}" y1="${r1(l.y1)}" y2="${r1(l.y2)}" ${strokeAttrs(lineStyle(l.role))}/>` +
          `<text class="rule-label ${xmlAttribute(l.role)}" ${FONT} font-size="11" fill="#7a1f8f" stroke="#ffffff" stroke-width="3" paint-order="stroke" x="${r1(l.labelX)}" y="${r1(l.labelY)}" text-anchor="${l.anchor}">${xmlText(l.label)}</text>`,
      )
      .join('')}</g>`,
    `<g class="points">${plot.points
      .map(
        (p) =>
          `<circle class="point ${xmlAttribute(p.role)}" cx="${r1(p.cx)}" cy="${r1(p.cy)}" r="${p.r}" ${fillAttrs(pointStyle(p.role))}><title>${xmlText(p.title)}</title></circle>`,
      )
      .join('')}</g>`,
    `<g class="texts">${plot.texts
      .map((t) => {
        const style =
          t.role === 'label'
            ? `${FONT} font-size="11" font-weight="700" fill="#111111" stroke="#ffffff" stroke-width="3" paint-order="stroke"`
            : `${FONT} font-size="11" fill="#1d2330"`;
        return `<text class="${xmlAttribute(t.role)}" ${style} x="${r1(t.x)}" y="${r1(t.y)}" text-anchor="${t.anchor}">${xmlText(t.text)}</text>`;
      })
      .join('')}</g>`,
  ];
}

/** The x axis along the frame's bottom, with its ticks and label ('' when it has neither). */
function xAxisOf(plot: Plot): string {
  const { frame, xAxis } = plot;
  if (xAxis.ticks.length === 0 && xAxis.label === '') return '';
  return (
    `<g class="axis x-axis" stroke="#8a93a3"><line x1="${frame.left}" x2="${frame.right}" y1="${frame.bottom}" y2="${frame.bottom}"/>` +
    xAxis.ticks
      .map(
        (t) =>
          `<line x1="${r1(t.at)}" x2="${r1(t.at)}" y1="${frame.bottom}" y2="${frame.bottom + 5}"/><text ${TEXT} stroke="none" x="${r1(t.at)}" y="${frame.bottom + 20}" text-anchor="middle">${xmlText(t.label)}</text>`,
      )
      .join('') +
    (xAxis.label
      ? `<text class="axis-label" ${FONT} font-size="12" fill="#1d2330" stroke="none" x="${r1((frame.left + frame.right) / 2)}" y="${plot.height - 6}" text-anchor="middle">${xmlText(xAxis.label)}</text>`
      : '') +
    '</g>'
  );
}

/** The y axis along the frame's left, with its ticks and label ('' when it has neither). */
function yAxisOf(plot: Plot): string {
  const { frame, yAxis } = plot;
  if (yAxis.ticks.length === 0 && yAxis.label === '') return '';
  return (
    `<g class="axis y-axis" stroke="#8a93a3"><line x1="${frame.left}" x2="${frame.left}" y1="${frame.top}" y2="${frame.bottom}"/>` +
    yAxis.ticks
      .map(
        (t) =>
          `<line x1="${frame.left - 5}" x2="${frame.left}" y1="${r1(t.at)}" y2="${r1(t.at)}"/><text ${TEXT} stroke="none" x="${frame.left - 8}" y="${r1(t.at + 4)}" text-anchor="end">${xmlText(t.label)}</text>`,
      )
      .join('') +
    (yAxis.label
      ? `<text class="axis-label" ${FONT} font-size="12" fill="#1d2330" stroke="none" transform="translate(16 ${r1((frame.top + frame.bottom) / 2)}) rotate(-90)" text-anchor="middle">${xmlText(yAxis.label)}</text>`
      : '') +
    '</g>'
  );
}
