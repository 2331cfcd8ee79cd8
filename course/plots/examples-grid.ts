/**
 * A grid of example images with their labels (the notebook's `plot_examples`): each image is
 * drawn as dark ink on white (prints well), pixels quantised to 16 grey levels, one SVG path per
 * level made of horizontal runs, so a grid of 32 digits stays small.
 */
import type { ImageDataset } from '../data/dataset.js';
import { badOption, describeValue } from '../errors.js';
import { emptyPlot, type Plot } from './plot-model.js';

export interface ExamplesInput {
  title?: string;
  /** Which images (default the first `count`). */
  indices?: readonly number[];
  count?: number;
  columns?: number;
  /** Screen pixels per image pixel (default 3). */
  pixel?: number;
  /** Maps a stored pixel to ink in [0, 1] (default: the course's Normalize(0.5, 0.5) undone). */
  toInk?: (value: number) => number;
}

const LEVELS = 16;

export function examplesPlot(data: ImageDataset, input: ExamplesInput = {}): Plot {
  const count = input.count ?? 32;
  if (!Number.isInteger(count) || count < 1)
    throw badOption('count', 'a positive integer', describeValue(count));
  const indices = input.indices ?? Array.from({ length: Math.min(count, data.length) }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= data.length)
      throw badOption('indices', `integers in [0, ${data.length - 1}]`, describeValue(i));
  }
  const columns = Math.max(1, Math.min(input.columns ?? 8, indices.length));
  const px = input.pixel ?? 3;
  const [h, w, c] = data.imageShape;
  const cell = { w: w * px + 12, h: h * px + 22 };
  const rows = Math.ceil(indices.length / columns);
  const width = columns * cell.w + 8;
  const height = rows * cell.h + 8;
  const plot = emptyPlot(
    'examples',
    input.title ?? 'Examples of the data set',
    `${indices.length} images of the data set with their labels.`,
    { width, height, left: 0, top: 0, right: width, bottom: height },
  );
  const toInk = input.toInk ?? ((v: number) => v * 0.5 + 0.5);
  const runs: string[][] = Array.from({ length: LEVELS }, () => []);
  const image = new Float32Array(h * w * c);
  indices.forEach((index, n) => {
    data.copyImage(index, image, 0);
    const left = 8 + (n % columns) * cell.w;
    const top = 8 + Math.floor(n / columns) * cell.h;
    plot.bars.push({
      x: left - 1,
      y: top - 1,
      width: w * px + 2,
      height: h * px + 2,
      role: 'frame',
      title: `image ${index}: label ${data.label(index)}`,
    });
    for (let y = 0; y < h; y++) {
      let x = 0;
      while (x < w) {
        const level = Math.round(Math.min(1, Math.max(0, toInk(image[(y * w + x) * c]!))) * (LEVELS - 1));
        let end = x + 1;
        while (
          end < w &&
          Math.round(Math.min(1, Math.max(0, toInk(image[(y * w + end) * c]!))) * (LEVELS - 1)) === level
        )
          end++;
        if (level > 0)
          runs[level]!.push(`M${left + x * px},${top + y * px}h${(end - x) * px}v${px}h${-(end - x) * px}Z`);
        x = end;
      }
    }
    plot.texts.push({
      x: left + (w * px) / 2,
      y: top + h * px + 15,
      text: `label ${data.label(index)}`,
      anchor: 'middle',
      role: 'value',
    });
  });
  runs.forEach((d, level) => {
    if (d.length === 0) return;
    const grey = Math.round(255 * (1 - level / (LEVELS - 1)));
    plot.areas.push({
      d: d.join(''),
      fill: `rgb(${grey}, ${grey}, ${grey})`,
      title: `ink ${level}/${LEVELS - 1}`,
    });
  });
  return plot;
}
