/**
 * The smallest and largest of many numbers, by a loop: `Math.min(...values)` passes every value as
 * an argument and throws a RangeError past about 100,000 of them, so a long array (one a child
 * reported, say) would turn a plot into an exception.
 */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let lo = empty;
  for (const v of values) if (v < lo) lo = v;
  return lo;
}

export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let hi = empty;
  for (const v of values) if (v > hi) hi = v;
  return hi;
}
