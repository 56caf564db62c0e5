import { createRandom } from '../src/core/create-random';

/** What the benchmark passes to `LocalRank.track`. */
export interface BenchEvent {
  readonly type: 'impression' | 'click' | 'add-to-cart';
  readonly productId: string;
  readonly time: number;
}

/** Output of {@link shopperHistory}. */
export interface ShopperHistory {
  readonly events: readonly BenchEvent[];
  /** Products the history never engaged with, in the liked categories first: new positives for a later run. */
  readonly unengaged: readonly string[];
  /** Distinct products clicked or carted. */
  readonly positives: number;
}

/**
 * A plausible shopper's log of exactly `n` events ending at `end`, 20 s apart: browsing sessions where the shopper sees
 * three products of other categories and one of two liked categories, clicks the liked one (each product once) and
 * carts every third. Deterministic for a seed; products are drawn from `catalog` (ids and categories).
 */
export function shopperHistory(catalog: ReadonlyArray<{ id: string; category: string }>, n: number, end: number, seed = 1): ShopperHistory {
  const random = createRandom(seed);
  const categories = [...new Set(catalog.map((p) => p.category))].sort();
  const liked = new Set(categories.slice(0, 2));
  const likedProducts = catalog.filter((p) => liked.has(p.category)).map((p) => p.id);
  const others = catalog.filter((p) => !liked.has(p.category)).map((p) => p.id);
  const pick = (ids: readonly string[]): string => ids[Math.floor(random() * ids.length)]!;
  const events: BenchEvent[] = [];
  const engaged = new Set<string>();
  let next = 0;
  let time = end - n * 20_000;
  const push = (type: BenchEvent['type'], productId: string): void => {
    if (events.length < n) events.push({ type, productId, time: (time += 20_000) });
  };
  while (events.length < n) {
    for (let k = 0; k < 3; k++) push('impression', pick(others));
    // Liked products in order, then again from the start: a long history re-engages (not a new positive).
    const id = likedProducts[next++ % likedProducts.length]!;
    push('impression', id);
    push('click', id);
    if (events.at(-1)?.type === 'click') engaged.add(id);
    if (next % 3 === 0) push('add-to-cart', id);
  }
  const unengaged = [...likedProducts, ...others].filter((id) => !engaged.has(id));
  return { events, unengaged, positives: engaged.size };
}
