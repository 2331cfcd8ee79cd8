/** Values as they travel from the child: JSON-safe, with non-finite numbers as strings. */

/**
 * A float32 tensor's values that travel packed, `{ f32: base64 of their bytes }`, instead of as a
 * JSON array: a trained net's parameters are some 44,000 numbers, which as JSON cost both
 * processes far more to write, read and validate (runner/protocol.ts unpacks them).
 */
export class PackedFloat32 {
  constructor(readonly values: Float32Array) {}
}

/** Non-finite numbers to strings, long strings cut, packed values packed, for the trip to the grading process. */
export function encode(value: unknown): unknown {
  if (value instanceof PackedFloat32) {
    const { buffer, byteOffset, byteLength } = value.values;
    return { f32: Buffer.from(buffer, byteOffset, byteLength).toString('base64') };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > 4000 ? `${value.slice(0, 3990)}… (cut)` : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => encode(v));
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

/** The numbers of packed tensors, for trusted code that calls a probe in its own process. */
export const valuesOf = (packed: readonly PackedFloat32[]): number[][] =>
  packed.map((p) => Array.from(p.values));
