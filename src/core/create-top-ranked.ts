import type { RankedItem } from './ranker';

/**
 * Whether the item at place `i` of a list comes before the one at place `j`; a strict total order (no two places
 * equal), so the head it picks is unique.
 */
export type ComesFirst = (i: number, j: number) => boolean;

/**
 * The order rankers use: higher score, then lower product id, then the earlier place — what a stable sort by score
 * then id gives — for a list whose place `i` has score `score(i)` and product id `id(i)`.
 */
export function scoredOrder(score: (i: number) => number, id: (i: number) => string): ComesFirst {
  return (i, j) => {
    const a = score(i);
    const b = score(j);
    if (a !== b) return a > b;
    const x = id(i);
    const y = id(j);
    return x !== y ? x < y : i < j;
  };
}

/** {@link scoredOrder} for a list of ranked items. */
export function rankedOrder(items: readonly RankedItem[]): ComesFirst {
  return scoredOrder(
    (i) => items[i]!.score,
    (i) => items[i]!.product.id,
  );
}

/** The head of a list being filled, built as it grows (see {@link createTopRanked}). */
export interface TopRanked {
  /** The most places {@link take} returns. */
  readonly k: number;
  /** Looks at the list's places from where the last call stopped up to `end` (exclusive). */
  offer(end: number): void;
  /** The places of the best `k` offered so far, best first. */
  take(): number[];
}

/**
 * The first `k` places of a list in the order `comesFirst` gives, without ordering the rest, built while the list
 * grows: each {@link TopRanked.offer} looks at the places added since the last one. A heap of the best `k` so far, so
 * O(n log k) in all, spread over the parts in which a ranking scores its candidates (choosing the head of 50,000
 * scored products at once was a 56 ms step at 4× CPU throttling, after the full sort it replaced had been 61–63 ms).
 * It works on places, not items, so a ranking can keep its scores in a typed array and make items for its head only.
 * Hand-written (30 lines) rather than a heap package: the runtime chunk has a byte budget. What decides the order of
 * places already offered must not change.
 */
export function createTopRanked(k: number, comesFirst: ComesFirst): TopRanked {
  const size = Math.max(0, Math.floor(k));
  /** Places of the best `size` so far; the root is the one that comes last among them. */
  const heap: number[] = [];
  let next = 0;
  const after = (x: number, y: number): boolean => comesFirst(y, x);
  const swap = (a: number, b: number): void => {
    const t = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = t;
  };
  return {
    k: size,
    offer(end) {
      for (; next < end && size > 0; next++) {
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
      next = Math.max(next, end);
    },
    take: () => heap.slice().sort((x, y) => (comesFirst(x, y) ? -1 : 1)),
  };
}
