import type { RankedItem } from './ranker';

/** Whether `a` (at `i`) comes before `b` (at `j`): higher score, then lower id, then the earlier place. */
function before(a: RankedItem, i: number, b: RankedItem, j: number): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.product.id !== b.product.id) return a.product.id < b.product.id;
  return i < j;
}

/** The head of a list being filled, built as it grows (see {@link createTopRanked}). */
export interface TopRanked {
  /** The most items {@link take} returns. */
  readonly k: number;
  /** Looks at the list's items from where the last call stopped up to `end` (exclusive). */
  offer(end: number): void;
  /** The best `k` of the items offered so far, best first. */
  take(): RankedItem[];
}

/**
 * The first `k` of `items` ranked best first — higher score, then lower product id, then the earlier place: what a
 * stable sort by score then id puts first — without ordering the rest, built while `items` grows: each
 * {@link TopRanked.offer} looks at the items added since the last one. A heap of the best `k` so far, so O(n log k)
 * in all, spread over the parts in which a ranking scores its candidates (choosing the head of 50,000 scored
 * products at once was a 56 ms step at 4× CPU throttling, after the full sort it replaced had been 61–63 ms).
 * Hand-written (30 lines) rather than a heap package: the runtime chunk has a byte budget. Scores are numbers, not
 * NaN; items already offered must not change.
 */
export function createTopRanked(items: readonly RankedItem[], k: number): TopRanked {
  const size = Math.max(0, Math.floor(k));
  /** Places of the best `size` so far; the root is the one that comes last among them. */
  const heap: number[] = [];
  let next = 0;
  const after = (x: number, y: number): boolean => before(items[y]!, y, items[x]!, x);
  const swap = (a: number, b: number): void => {
    const t = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = t;
  };
  return {
    k: size,
    offer(end) {
      for (; next < Math.min(end, items.length) && size > 0; next++) {
        const i = next;
        if (heap.length < size) {
          heap.push(i);
          for (let at = heap.length - 1; at > 0 && after(heap[at]!, heap[(at - 1) >> 1]!); at = (at - 1) >> 1) swap(at, (at - 1) >> 1);
        } else if (after(heap[0]!, i)) {
          heap[0] = i;
          for (let at = 0; ; ) {
            const l = 2 * at + 1;
            let last = at;
            if (l < size && after(heap[l]!, heap[last]!)) last = l;
            if (l + 1 < size && after(heap[l + 1]!, heap[last]!)) last = l + 1;
            if (last === at) break;
            swap(at, last);
            at = last;
          }
        }
      }
    },
    take: () => heap.slice().sort((x, y) => (before(items[x]!, x, items[y]!, y) ? -1 : 1)).map((i) => items[i]!),
  };
}
