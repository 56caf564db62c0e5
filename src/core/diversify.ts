/**
 * Reorders `items` (already sorted best first) so that no more than `maxRun` consecutive items share a
 * category, taking the best item that does not break the rule at each slot (greedy, stable). When only one
 * category is left the rest is appended in order. `maxRun <= 0` returns the input order.
 * @param limit stop after this many items (default: all)
 */
export function diversify<T>(
  items: readonly T[],
  categoryOf: (item: T) => string,
  maxRun: number,
  limit: number = items.length,
): T[] {
  if (maxRun <= 0) return items.slice(0, limit);
  const remaining = items.slice();
  const out: T[] = [];
  while (out.length < limit && remaining.length > 0) {
    let runCategory: string | undefined;
    let run = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const c = categoryOf(out[i]!);
      if (runCategory === undefined) runCategory = c;
      if (c !== runCategory) break;
      run++;
    }
    let pick = 0;
    if (run >= maxRun) {
      const other = remaining.findIndex((item) => categoryOf(item) !== runCategory);
      if (other >= 0) pick = other;
    }
    out.push(remaining.splice(pick, 1)[0]!);
  }
  return out;
}
