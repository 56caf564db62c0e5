import { describe, expect, it } from 'vitest';
import { createRandom } from './create-random';
import type { Product } from './product';
import type { RankedItem } from './ranker';
import { topRanked } from './top-ranked';
import { createTopRanked, rankedOrder } from './create-top-ranked';

const item = (id: string, score: number): RankedItem => ({ product: { id } as Product, score, reason: { kind: 'popular' } });
/** What the rankers did before: a stable sort by score (descending), then id. */
const sortedHead = (items: readonly RankedItem[], k: number): RankedItem[] =>
  items
    .slice()
    .sort((a, b) => b.score - a.score || (a.product.id < b.product.id ? -1 : a.product.id > b.product.id ? 1 : 0))
    .slice(0, k);

describe('topRanked', () => {
  it("gives exactly a stable sort's first k, ties and repeated ids included", () => {
    const rng = createRandom(11);
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rng() * 300);
      // Few distinct scores and ids, so ties on score, and on score and id together, are common.
      const items = Array.from({ length: n }, () => item(`p${Math.floor(rng() * 40)}`, Math.floor(rng() * 8) / 4));
      for (const k of [0, 1, 5, 48, n - 1, n, n + 3]) {
        const got = topRanked(items, k);
        const want = sortedHead(items, Math.max(0, k));
        expect(got).toHaveLength(want.length);
        // The same objects, not merely equal ones: repeated ids keep their places' order.
        got.forEach((r, i) => expect(r).toBe(want[i]));
      }
    }
  });

  it('handles negative and infinite scores, and leaves its input alone', () => {
    const items = [item('b', -1), item('a', Infinity), item('c', 0), item('d', -Infinity), item('a', 0)];
    const copy = items.slice();
    expect(topRanked(items, 3).map((r) => `${r.product.id}:${r.score}`)).toEqual(['a:Infinity', 'a:0', 'c:0']);
    expect(items).toEqual(copy);
    expect(topRanked([], 5)).toEqual([]);
  });
});

describe('createTopRanked', () => {
  it('offered in parts while the list grows, gives what topRanked gives for the whole list', () => {
    const rng = createRandom(12);
    for (let round = 0; round < 100; round++) {
      const all = Array.from({ length: Math.floor(rng() * 400) }, () => item(`p${Math.floor(rng() * 40)}`, Math.floor(rng() * 8) / 4));
      for (const k of [0, 1, 12, 48, all.length + 2]) {
        const growing: RankedItem[] = [];
        const top = createTopRanked(k, rankedOrder(growing));
        while (growing.length < all.length) {
          const part = 1 + Math.floor(rng() * 60);
          growing.push(...all.slice(growing.length, growing.length + part));
          top.offer(growing.length);
          // A head can be taken between parts: the best of what was offered.
          if (rng() < 0.2) top.take().forEach((place, i) => expect(growing[place]).toBe(topRanked(growing, k)[i]));
        }
        const got = top.take().map((place) => growing[place]!);
        const want = sortedHead(all, k);
        expect(got).toHaveLength(want.length);
        got.forEach((r, i) => expect(r).toBe(want[i]));
        expect(top.k).toBe(k);
      }
    }
  });
});
