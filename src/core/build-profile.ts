import type { Counter } from './counter';
import type { Interaction } from './interaction';
import type { Product } from './product';
import { decay, interactionWeight } from './event-weights';
import { tokenize } from './tokenize';

/** What LocalRank knows about the shopper, derived from the event log and compacted counters. */
export interface UserProfile {
  /** Decayed interest per product id (can be slightly negative: seen but never clicked). */
  readonly productAffinity: ReadonlyMap<string, number>;
  /** Decayed interest per category. */
  readonly categoryAffinity: ReadonlyMap<string, number>;
  /** Decayed interest per brand (products with a brand only). */
  readonly brandAffinity: ReadonlyMap<string, number>;
  /** Decayed weight of search-query tokens. */
  readonly queryTokens: ReadonlyMap<string, number>;
  /** Products the shopper bought. */
  readonly purchased: ReadonlySet<string>;
  /** Products viewed (click, dwell, cart, purchase), newest first, unique. */
  readonly recentlyViewed: readonly string[];
  /** Impressions per product that never led to a positive event. */
  readonly seenNotClicked: ReadonlyMap<string, number>;
  /** Products clicked (or dwelt on) before. */
  readonly clicked: ReadonlySet<string>;
  /** Products added to the cart before. */
  readonly carted: ReadonlySet<string>;
  /** Per category, the product with the strongest recent positive signal — for "Because you viewed X". */
  readonly anchorByCategory: ReadonlyMap<string, string>;
  /** Events and counters that went into the profile. */
  readonly eventCount: number;
}

/** An empty profile (cold start). */
export const EMPTY_PROFILE: UserProfile = {
  productAffinity: new Map(),
  categoryAffinity: new Map(),
  brandAffinity: new Map(),
  queryTokens: new Map(),
  purchased: new Set(),
  seenNotClicked: new Map(),
  clicked: new Set(),
  carted: new Set(),
  recentlyViewed: [],
  anchorByCategory: new Map(),
  eventCount: 0,
};

/** Adds `value` to `key`'s number in `map` (from 0). */
export function addTo(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * Builds the shopper's profile (pure).
 * @param events the event log (any order)
 * @param counters compacted counters of events removed from the log
 * @param catalog products by id (unknown ids still count for product affinity)
 * @param now evaluation time, epoch ms
 * @param halfLifeMs time-decay half-life
 */
export function buildProfile(
  events: readonly Interaction[],
  counters: readonly Counter[],
  catalog: ReadonlyMap<string, Product>,
  now: number,
  halfLifeMs: number,
): UserProfile {
  const productAffinity = new Map<string, number>();
  const categoryAffinity = new Map<string, number>();
  const brandAffinity = new Map<string, number>();
  const queryTokens = new Map<string, number>();
  const purchased = new Set<string>();
  const seenNotClicked = new Map<string, number>();
  const clicked = new Set<string>();
  const carted = new Set<string>();
  const lastViewed = new Map<string, number>();
  const anchorStrength = new Map<string, { id: string; strength: number }>();

  const positive = new Set<string>();
  for (const e of events) if (e.productId && e.type !== 'impression') positive.add(e.productId);

  const credit = (productId: string, value: number, time: number, isPositive: boolean): void => {
    addTo(productAffinity, productId, value);
    const product = catalog.get(productId);
    if (!product) return;
    addTo(categoryAffinity, product.category, value);
    if (product.brand) addTo(brandAffinity, product.brand, value);
    if (isPositive) {
      const prev = anchorStrength.get(product.category);
      const strength = value + time / 1e15; // ties go to the newer event
      if (!prev || strength > prev.strength) anchorStrength.set(product.category, { id: productId, strength });
    }
  };

  for (const e of events) {
    const d = decay(now - e.time, halfLifeMs);
    if (e.type === 'search') {
      for (const token of tokenize(e.context.query ?? '')) addTo(queryTokens, token, d);
      continue;
    }
    if (!e.productId) continue;
    if (e.type === 'impression' && positive.has(e.productId)) continue;
    if (e.type === 'impression') addTo(seenNotClicked, e.productId, 1);
    if (e.type === 'click' || e.type === 'dwell') clicked.add(e.productId);
    if (e.type === 'add-to-cart') carted.add(e.productId);
    if (e.type === 'purchase') purchased.add(e.productId);
    if (e.type !== 'impression') lastViewed.set(e.productId, Math.max(lastViewed.get(e.productId) ?? 0, e.time));
    credit(e.productId, interactionWeight(e) * d, e.time, e.type !== 'impression');
  }

  const counted = addCounters({ productAffinity, categoryAffinity, brandAffinity, purchased, clicked, carted, lastViewed }, counters, catalog, now, halfLifeMs, (category, id, value) => {
    if (!anchorStrength.has(category)) anchorStrength.set(category, { id, strength: value });
  });

  const recentlyViewed = [...lastViewed.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const anchorByCategory = new Map<string, string>();
  for (const [category, { id }] of anchorStrength) anchorByCategory.set(category, id);
  return {
    productAffinity,
    categoryAffinity,
    brandAffinity,
    queryTokens,
    purchased,
    seenNotClicked,
    clicked,
    carted,
    recentlyViewed,
    anchorByCategory,
    eventCount: events.length + counted,
  };
}

/** The parts of a profile that compacted counters add to (see {@link addCounters}). */
export interface CounterParts {
  readonly productAffinity: Map<string, number>;
  readonly categoryAffinity: Map<string, number>;
  readonly brandAffinity: Map<string, number>;
  readonly purchased: Set<string>;
  readonly clicked: Set<string>;
  readonly carted: Set<string>;
  readonly lastViewed: Map<string, number>;
}

/**
 * Adds compacted counters to a profile's parts, decayed to `now`: affinities, the bought / clicked / carted sets,
 * the last view of products the log no longer holds, and (through `anchor`) a viewed product per category for
 * categories without an anchor yet. Returns how many events the product counters fold.
 */
export function addCounters(
  parts: CounterParts,
  counters: readonly Counter[],
  catalog: ReadonlyMap<string, Product>,
  now: number,
  halfLifeMs: number,
  anchor: (category: string, productId: string, value: number) => void,
): number {
  let counted = 0;
  for (const c of counters) {
    const value = c.score * decay(now - c.refTime, halfLifeMs);
    if (c.kind === 'category') {
      addTo(parts.categoryAffinity, c.name, value);
      continue;
    }
    for (const n of Object.values(c.counts)) counted += n;
    addTo(parts.productAffinity, c.name, value);
    if (c.counts.purchase > 0) parts.purchased.add(c.name);
    if (c.counts['add-to-cart'] > 0) parts.carted.add(c.name);
    if (c.counts.click + c.counts.dwell > 0) parts.clicked.add(c.name);
    const viewed = c.counts.click + c.counts.dwell + c.counts['add-to-cart'] + c.counts.purchase > 0;
    if (viewed && !parts.lastViewed.has(c.name)) parts.lastViewed.set(c.name, c.lastTime);
    const product = catalog.get(c.name);
    if (product?.brand) addTo(parts.brandAffinity, product.brand, value);
    if (product && viewed) anchor(product.category, c.name, value);
  }
  return counted;
}
