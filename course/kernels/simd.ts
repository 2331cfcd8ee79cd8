/**
 * The WebAssembly SIMD training kernels (source: assembly/training-kernels.ts, bytes committed in
 * training-kernels-wasm.ts), instantiated once per process, synchronously, with no file read and no
 * network. They work on their own linear memory: a kernel copies its inputs in, runs, and copies the
 * result out (a few hundred microseconds for a training step's tensors). The memory grows to the
 * largest step seen and is reused, never freed: no allocation per step once warm.
 */
import { TRAINING_KERNELS_WASM_BASE64 } from './training-kernels-wasm.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  filterGradCo8(
    x: number,
    dy: number,
    dw64: number,
    table: number,
    blocks: number,
    n: number,
    ho: number,
    wo: number,
    wp: number,
    hp: number,
    ci: number,
    co: number,
    rowsPerFlush: number,
  ): void;
  filterGradCo16(
    x: number,
    dy: number,
    dw64: number,
    table: number,
    blocks: number,
    n: number,
    ho: number,
    wo: number,
    wp: number,
    hp: number,
    ci: number,
    co: number,
    rowsPerFlush: number,
  ): void;
  inputGrad(
    dy: number,
    wt: number,
    dxp: number,
    n: number,
    ho: number,
    wo: number,
    co: number,
    fh: number,
    ci: number,
    l16: number,
    dxRow: number,
  ): void;
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    ho: number,
    wo: number,
  ): void;
  maxPoolGrad2x2Wide(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    ho: number,
    wo: number,
  ): void;
  addBias(x: number, tile: number, out: number, total: number, c: number): void;
  tileSum(x: number, partial: number, acc: number, total: number, c: number): void;
  convForwardC1(
    x: number,
    w: number,
    rowBuf: number,
    out: number,
    n: number,
    hp: number,
    wp: number,
    ho: number,
    wo: number,
    fh: number,
    fw: number,
    co: number,
    groups: number,
    jBlocks: number,
  ): void;
  convForwardCo16(
    x: number,
    wt: number,
    out: number,
    n: number,
    hp: number,
    wp: number,
    ci: number,
    ho: number,
    wo: number,
    fh: number,
    l: number,
  ): void;
  matMul(a: number, b: number, c: number, mp: number, np: number, k: number, sam: number, sak: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, dstRow: number): void;
}

/** Memory below this byte is left to the AssemblyScript runtime (it uses none, but stays clear). */
const BASE = 65_536;
/** Floats of slack after each region: vectors may read up to 16 floats past a row's end. */
const SLACK = 16;

let kernels: KernelExports | undefined;

function instance(): KernelExports {
  if (kernels === undefined) {
    const module = new WebAssembly.Module(Buffer.from(TRAINING_KERNELS_WASM_BASE64, 'base64'));
    kernels = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('training kernels: abort');
        },
      },
    }).exports as unknown as KernelExports;
  }
  return kernels;
}

/** A region of the kernels' memory: its byte address, and views made after the memory last grew. */
export interface Region {
  byteOffset: number;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
}

/**
 * Lays out regions of `sizes` bytes (each followed by slack, 16-byte aligned), growing the memory
 * when needed, and returns them with the kernels. Views are valid until the next call.
 */
export function layout(sizes: number[]): { wasm: KernelExports; regions: Region[] } {
  const wasm = instance();
  const offsets: number[] = [];
  let end = BASE;
  for (const size of sizes) {
    offsets.push(end);
    end += Math.ceil((size + SLACK * 8) / 16) * 16;
  }
  const have = wasm.memory.buffer.byteLength;
  if (end > have) wasm.memory.grow(Math.ceil((end - have) / 65_536));
  const buffer = wasm.memory.buffer;
  const regions = offsets.map((byteOffset, i) => {
    const bytes = Math.ceil((sizes[i]! + SLACK * 8) / 8) * 8;
    return {
      byteOffset,
      f32: new Float32Array(buffer, byteOffset, bytes / 4),
      f64: new Float64Array(buffer, byteOffset, bytes / 8),
      i32: new Int32Array(buffer, byteOffset, bytes / 4),
    };
  });
  return { wasm, regions };
}
