import type { UserProfile } from './build-profile';
import { DEFAULT_HEURISTIC_WEIGHTS, heuristicScore, signalsFor } from './create-heuristic-ranker';
import type { FeatureSchema } from './feature-schema';
import { featureId, sparseFields } from './feature-schema';
import type { NeighbourIndex, NeighbourScores } from './neighbour-index';
import { EMPTY_NEIGHBOUR_INDEX, NEIGHBOUR_FEATURES, neighbourScores } from './neighbour-index';
import type { Product } from './product';
import { tokenize } from './tokenize';

/** Model inputs for a batch of candidates, as flat typed arrays (row-major). */
export interface FeatureBatch {
  readonly size: number;
  /** Candidate sparse ids, `size × fields`. */
  readonly item: Int32Array;
  /** Shopper sparse ids, `size × fields` (the same row repeated per candidate). */
  readonly user: Int32Array;
  /** Dense features, `size × dense.length`. */
  readonly dense: Float32Array;
}

const STOP = new Set(['ml', 'cm', 'mm', 'kg', 'for', 'and', 'the', 'with', 'of', 'in', 'pack', 'set']);

function titleTokens(title: string, n: number): string[] {
  const out: string[] = [];
  for (const t of tokenize(title)) {
    if (STOP.has(t) || /^\d+$/.test(t) || out.includes(t)) continue;
    out.push(t);
    if (out.length >= n) break;
  }
  return out;
}

/** Price band index of a price (0 = unknown). */
export function priceBand(price: number | undefined, edges: readonly number[]): number {
  if (price === undefined) return 0;
  const i = edges.findIndex((e) => price < e);
  return 1 + (i < 0 ? edges.length : i);
}

interface ItemFeatures {
  readonly ids: Int32Array;
  readonly tokens: readonly string[];
}

/**
 * Per item layout, per product: its sparse ids and title tokens. They depend only on the product (immutable) and the
 * schema's item layout (vocabulary, price edges, token and attribute counts), and hashing them is most of
 * featurising: a page ranks the same products again and again, and a newly trained model keeps the layout, so its
 * first ranking finds them hashed already.
 */
const itemCache = new Map<string, WeakMap<Product, ItemFeatures>>();
const layoutKeys = new WeakMap<FeatureSchema, string>();

function itemsOf(schema: FeatureSchema): WeakMap<Product, ItemFeatures> {
  let key = layoutKeys.get(schema);
  if (key === undefined) layoutKeys.set(schema, (key = JSON.stringify([schema.vocab, schema.priceEdges, schema.tokens, schema.attributes])));
  let byProduct = itemCache.get(key);
  if (!byProduct) itemCache.set(key, (byProduct = new WeakMap()));
  return byProduct;
}

function itemFeatures(p: Product, schema: FeatureSchema, cache = itemsOf(schema)): ItemFeatures {
  let f = cache.get(p);
  if (!f) cache.set(p, (f = { ids: itemIds(p, schema), tokens: titleTokens(p.title, schema.tokens) }));
  return f;
}

/**
 * Hashes the sparse ids of `products` for `schema` ahead of ranking (idempotent), so the first ranking after a model
 * arrives does not pay for the whole pool at once: the runtime calls it in small slices in idle time.
 */
export function warmItemFeatures(products: readonly Product[], schema: FeatureSchema): void {
  const cache = itemsOf(schema);
  for (const p of products) itemFeatures(p, schema, cache);
}

/** Sparse ids of one product: category, brand, price band, title tokens, attribute ids (each padded with 0). */
export function itemIds(p: Product, schema: FeatureSchema, out: Int32Array = new Int32Array(sparseFields(schema)), offset = 0): Int32Array {
  const v = schema.vocab;
  out[offset] = featureId('c', p.category, v);
  out[offset + 1] = p.brand ? featureId('b', p.brand, v) : 0;
  out[offset + 2] = featureId('p', String(priceBand(p.price, schema.priceEdges)), v);
  const tokens = titleTokens(p.title, schema.tokens);
  for (let i = 0; i < schema.tokens; i++) out[offset + 3 + i] = tokens[i] ? featureId('t', tokens[i]!, v) : 0;
  const attrs = p.attributes ?? [];
  for (let i = 0; i < schema.attributes; i++) out[offset + 3 + schema.tokens + i] = attrs[i] ? featureId('a', attrs[i]!, v) : 0;
  return out;
}

function topKey(map: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let max = 0;
  for (const [k, v] of map) if (v > max) [best, max] = [k, v];
  return best;
}

/** What the features need to know about the shopper, computed once per ranking. */
export interface ShopperContext {
  readonly profile: UserProfile;
  readonly userIds: Int32Array;
  readonly lastCategory: string | undefined;
  readonly recentCategories: ReadonlySet<string>;
  /** Median price of recently viewed products, or undefined. */
  readonly refPrice: number | undefined;
  /** Title tokens of recently viewed products (weighted by recency) and searched tokens. */
  readonly tokenWeights: ReadonlyMap<string, number>;
  /** Attribute ids of recently viewed products (weighted by recency). */
  readonly attributeWeights: ReadonlyMap<string, number>;
  /** Neighbourhood features of items reachable from the recent items (empty without an index). */
  readonly neighbours: NeighbourScores;
  /** Largest stage-1 score among `neighbours` (0 when empty). */
  readonly stage1Max: number;
  readonly index: NeighbourIndex;
}

/**
 * Builds the {@link ShopperContext}: the shopper's own sparse row (favourite category and brand, usual price band,
 * most frequent recent title/search tokens) and recency facts used by the dense features.
 */
export function shopperContext(
  profile: UserProfile,
  catalog: ReadonlyMap<string, Product>,
  schema: FeatureSchema,
  index: NeighbourIndex = EMPTY_NEIGHBOUR_INDEX,
): ShopperContext {
  const recent = profile.recentlyViewed.slice(0, 10).map((id) => catalog.get(id)).filter((p): p is Product => !!p);
  const tokenWeights = new Map<string, number>();
  recent.forEach((p, i) => {
    for (const t of titleTokens(p.title, schema.tokens)) tokenWeights.set(t, (tokenWeights.get(t) ?? 0) + 1 / (1 + i));
  });
  for (const [t, w] of profile.queryTokens) tokenWeights.set(t, (tokenWeights.get(t) ?? 0) + w);
  const attributeWeights = new Map<string, number>();
  recent.forEach((p, i) => {
    for (const a of p.attributes ?? []) attributeWeights.set(a, (attributeWeights.get(a) ?? 0) + 1 / (1 + i));
  });
  const prices = recent.map((p) => p.price).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  const refPrice = prices.length ? prices[Math.floor(prices.length / 2)] : undefined;
  const userIds = new Int32Array(sparseFields(schema));
  const v = schema.vocab;
  const cat = topKey(profile.categoryAffinity);
  const brand = topKey(profile.brandAffinity);
  userIds[0] = cat ? featureId('c', cat, v) : 0;
  userIds[1] = brand ? featureId('b', brand, v) : 0;
  userIds[2] = refPrice !== undefined ? featureId('p', String(priceBand(refPrice, schema.priceEdges)), v) : 0;
  const tokens = [...tokenWeights.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, schema.tokens);
  tokens.forEach(([t], i) => (userIds[3 + i] = featureId('t', t, v)));
  const attrs = [...attributeWeights.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, schema.attributes);
  attrs.forEach(([a], i) => (userIds[3 + schema.tokens + i] = featureId('a', a, v)));
  const neighbours = index.similar.size || index.next.size ? neighbourScores(profile.recentlyViewed, index) : new Map<string, Float32Array>();
  let stage1Max = 0;
  for (const s of neighbours.values()) stage1Max = Math.max(stage1Max, s[0]!);
  return {
    profile,
    userIds,
    lastCategory: recent[0]?.category,
    recentCategories: new Set(recent.slice(0, 5).map((p) => p.category)),
    refPrice,
    tokenWeights,
    attributeWeights,
    neighbours,
    stage1Max,
    index,
  };
}

const NO_NEIGHBOURS = new Float32Array(NEIGHBOUR_FEATURES.length);
// Sums of many scores are heavy-tailed; log1p keeps them in a range the network trains well on.
const LOG_SCALED = Uint8Array.from(NEIGHBOUR_FEATURES, (_, k) => (k === 0 || k === 1 || k === 2 || k === 5 ? 1 : 0));

/**
 * Featurises candidates for the model (pure). Dense features, in {@link DENSE_FEATURES} order: the heuristic's
 * score and signals, how often the shopper saw the product without clicking, whether they clicked or carted it,
 * category match with the last / recent views, price fit to recently viewed prices, title-token overlap with
 * recent views and searches; then the neighbourhood features of `ctx.neighbours` (see `neighbourScores`), the
 * stage-1 score relative to the shopper's best, and the item's popularity among the index's histories.
 */
export function featurize(candidates: readonly Product[], ctx: ShopperContext, schema: FeatureSchema, normaliseOver: readonly Product[] = candidates): FeatureBatch {
  const fields = sparseFields(schema);
  const d = schema.dense.length;
  const n = candidates.length;
  const item = new Int32Array(n * fields);
  const user = new Int32Array(n * fields);
  const dense = new Float32Array(n * d);
  const signals = signalsFor(ctx.profile, normaliseOver);
  let tokenMax = 0;
  for (const w of ctx.tokenWeights.values()) tokenMax = Math.max(tokenMax, w);
  let attrMax = 0;
  for (const w of ctx.attributeWeights.values()) attrMax = Math.max(attrMax, w);
  const cache = itemsOf(schema);
  const userIds = ctx.userIds;
  for (let i = 0; i < n; i++) {
    const p = candidates[i]!;
    const features = itemFeatures(p, schema, cache);
    // Element by element: `set` of a 13-element array costs more than the copy here (the hot path of `rerank`).
    const ids = features.ids;
    const at = i * fields;
    for (let f = 0; f < fields; f++) {
      item[at + f] = ids[f]!;
      user[at + f] = userIds[f]!;
    }
    const s = signals(p);
    let overlap = 0;
    if (tokenMax > 0) {
      const tokens = features.tokens;
      for (let t = 0; t < tokens.length; t++) overlap += (ctx.tokenWeights.get(tokens[t]!) ?? 0) / tokenMax;
    }
    const attributes = p.attributes;
    if (attrMax > 0 && attributes) for (let a = 0; a < attributes.length; a++) overlap += (ctx.attributeWeights.get(attributes[a]!) ?? 0) / attrMax;
    const o = i * d;
    dense[o] = heuristicScore(s, DEFAULT_HEURISTIC_WEIGHTS);
    dense[o + 1] = s.category;
    dense[o + 2] = s.brand;
    dense[o + 3] = s.product;
    dense[o + 4] = s.query;
    dense[o + 5] = s.popularity;
    dense[o + 6] = Math.min(1, Math.log1p(ctx.profile.seenNotClicked.get(p.id) ?? 0) / 3);
    dense[o + 7] = ctx.profile.clicked.has(p.id) ? 1 : 0;
    dense[o + 8] = ctx.profile.carted.has(p.id) ? 1 : 0;
    dense[o + 9] = ctx.lastCategory === p.category ? 1 : 0;
    dense[o + 10] = ctx.recentCategories.has(p.category) ? 1 : 0;
    dense[o + 11] =
      ctx.refPrice !== undefined && p.price !== undefined && p.price > 0 && ctx.refPrice > 0
        ? Math.max(0, 1 - Math.abs(Math.log(p.price / ctx.refPrice)) / Math.log(4))
        : 0;
    dense[o + 12] = Math.min(1, overlap / 2);
    const nb = ctx.neighbours.get(p.id) ?? NO_NEIGHBOURS;
    for (let k = 0; k < nb.length; k++) dense[o + 13 + k] = LOG_SCALED[k] ? Math.log1p(nb[k]!) : nb[k]!;
    const after = o + 13 + nb.length;
    dense[after] = ctx.stage1Max > 0 ? nb[0]! / ctx.stage1Max : 0;
    const count = ctx.index.counts.get(p.id) ?? 0;
    dense[after + 1] = ctx.index.maxCount > 0 ? Math.log1p(count) / Math.log1p(ctx.index.maxCount) : 0;
  }
  return { size: n, item, user, dense };
}

/** The heuristic's score of each row (dense feature 0): the baseline a model is validated against. */
export function heuristicColumn(batch: FeatureBatch, schema: FeatureSchema): Float32Array {
  const d = schema.dense.length;
  return Float32Array.from({ length: batch.size }, (_, i) => batch.dense[i * d]!);
}
