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

/** An ImageDataset over arrays it holds: `images` is `length` images of `imageShape`, one after another. */
export class ArrayImageDataset implements ImageDataset {
  readonly length: number;
  readonly imageShape: readonly [number, number, number];
  private readonly imageSize: number;

  constructor(
    readonly images: Float32Array,
    readonly labels: Int32Array | Uint8Array,
    imageShape: readonly [number, number, number],
  ) {
    this.imageShape = [imageShape[0], imageShape[1], imageShape[2]];
    this.imageSize = imageShape[0] * imageShape[1] * imageShape[2];
    this.length = labels.length;
    if (images.length !== this.length * this.imageSize) {
      throw new RangeError(
        `ArrayImageDataset: ${this.length} labels need ${this.length} × ${this.imageShape.join('×')} = ${this.length * this.imageSize} pixels, got ${images.length}`,
      );
    }
  }

  copyImage(i: number, target: Float32Array, offset: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`ArrayImageDataset: index ${i} is outside 0..${this.length - 1}`);
    }
    target.set(this.images.subarray(i * this.imageSize, (i + 1) * this.imageSize), offset);
  }

  label(i: number): number {
    const value = this.labels[i];
    if (value === undefined || !Number.isInteger(i)) {
      throw new RangeError(`ArrayImageDataset: index ${i} is outside 0..${this.length - 1}`);
    }
    return value;
  }
}
