/**
 * `values` for an `in (…)` list, padded with copies of its last value to the next power of two (at most 512, then
 * the next multiple of 512). Each length of list is a statement of its own, and SQLite keeps every prepared
 * statement in native memory (tens of KB for a join of a few tables): a wave of reminder batches of every size from 1
 * to 200 held hundreds of them. Padded, a query has at most ten shapes. Repeats change nothing an `in` matches.
 */
export function paddedList<T>(values: readonly T[]): T[] {
  const padded = values.slice();
  const length = paddedLength(values.length);
  const last = values[values.length - 1] as T;
  while (padded.length < length) padded.push(last);
  return padded;
}

export function paddedLength(length: number): number {
  if (length <= 1) return length;
  if (length > 512) return Math.ceil(length / 512) * 512;
  return 2 ** Math.ceil(Math.log2(length));
}
