/**
 * An in-memory image data set: images as one Float32Array (NHWC, already transformed) and
 * integer labels. Subsets are views by index; nothing is copied until a batch is made.
 */
export interface ImageDataset {
  readonly length: number;
  /** [height, width, channels] of one image. */
  readonly imageShape: readonly [number, number, number];
  /** Copies image `i` into `target` at `offset` (in floats). */
  copyImage(i: number, target: Float32Array, offset: number): void;
  label(i: number): number;
}
