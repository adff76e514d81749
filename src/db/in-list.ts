/**
 * `values` for an `in (…)` list, padded with copies of its last value to the next power of two (at most 512, then
 * the next multiple of 512). Each length of list is a statement of its own, and SQLite keeps every prepared
 * statement in native memory (400 lengths of one small UPDATE held 20 MB); over a long life the Home and the
 * reconciler see lists of every length. Padded, a query has at most ten shapes. Repeats change nothing an `in`
 * matches, and a sorted list stays sorted.
 */
export function paddedList<T>(values: readonly T[]): T[] {
  const padded = values.slice();
  const length = paddedLength(values.length);
  const last = values[values.length - 1] as T;
  while (padded.length < length) padded.push(last);
  return padded;
}

/** The length `paddedList` gives a list of `length` values. */
export function paddedLength(length: number): number {
  if (length <= 1) return length;
  if (length > 512) return Math.ceil(length / 512) * 512;
  return 2 ** Math.ceil(Math.log2(length));
}
