/** Values as they travel from the child: JSON-safe, with non-finite numbers as strings. */
/** Non-finite numbers to strings, long strings cut, for the trip to the grading process. */
export function encode(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > 4000 ? `${value.slice(0, 3990)}… (cut)` : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => encode(v));
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}
