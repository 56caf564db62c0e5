import type { UserProfile } from './build-profile';
import type { MutableSignals } from './create-heuristic-ranker';
import { DEFAULT_HEURISTIC_WEIGHTS, heuristicScore, queryAffinity, signalScales, titleTokensOf, writeSignals } from './create-heuristic-ranker';
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

/** The title tokens of a product's sparse row: the first `n` distinct tokens that are not stop words or numbers. */
export function titleTokens(title: string, n: number): string[] {
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
  /** {@link codeOf} the title tokens of the sparse row, of the product's {@link titleTokensOf}, of its attributes. */
  readonly tokens: Int32Array;
  readonly words: Int32Array;
  readonly attributes: Int32Array;
  /** `log1p(popularity)`. */
  readonly logPopularity: number;
  /** The product's history-count feature in `countIndex` (see {@link countFeature}). */
  count: number;
  countIndex: NeighbourIndex;
}

/**
 * A number per distinct title token or attribute, for all products and shoppers of the page. Featurising compares a
 * candidate's tokens with the shopper's by these numbers: the loops looking the strings up in the shopper's maps were
 * about a third of featurising 200 candidates at 4× CPU throttling (a blank-page harness, with and without them).
 */
const codes = new Map<string, number>();

function codeOf(text: string): number {
  let code = codes.get(text);
  if (code === undefined) codes.set(text, (code = codes.size));
  return code;
}

function codesOf(texts: readonly string[]): Int32Array {
  return Int32Array.from(texts, codeOf);
}

/** `weights` keyed by {@link codeOf} their keys. */
function byCode(weights: ReadonlyMap<string, number>, value: (key: string, weight: number) => number = (_, w) => w): Map<number, number> {
  const out = new Map<number, number>();
  for (const [key, weight] of weights) out.set(codeOf(key), value(key, weight));
  return out;
}

/**
 * Per item layout, per product: its sparse ids and title tokens. They depend only on the product (immutable) and the
 * schema's item layout (vocabulary, price edges, token and attribute counts), and hashing them is most of
 * featurising: a page ranks the same products again and again, and a newly trained model keeps the layout, so its
 * first ranking finds them hashed already. One record holds all a candidate needs that is not the shopper's, so a
 * ranking looks each product up once.
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
  if (!f) {
    f = {
      ids: itemIds(p, schema),
      tokens: codesOf(titleTokens(p.title, schema.tokens)),
      words: codesOf(titleTokensOf(p)),
      attributes: codesOf(p.attributes ?? []),
      logPopularity: Math.log1p(p.popularity),
      count: 0,
      countIndex: EMPTY_NEIGHBOUR_INDEX,
    };
    cache.set(p, f);
  }
  return f;
}

/**
 * The item's popularity among `index`'s histories, `log1p(count) / log1p(maxCount)`, remembered per index (the
 * counts map holds every item of the index).
 */
function countFeature(f: ItemFeatures, index: NeighbourIndex, id: string): number {
  if (f.countIndex !== index) {
    f.count = index.maxCount > 0 ? Math.log1p(index.counts.get(id) ?? 0) / Math.log1p(index.maxCount) : 0;
    f.countIndex = index;
  }
  return f.count;
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
  /**
   * What featurising compares candidates with, keyed by token code (see `codes`): `tokenWeights`,
   * `attributeWeights` and the shopper's normalised search-token affinities (see `queryAffinity`; none without
   * searches), with the largest token and attribute weight.
   */
  readonly byCode: {
    readonly tokens: ReadonlyMap<number, number>;
    readonly attributes: ReadonlyMap<number, number>;
    readonly queries: ReadonlyMap<number, number> | undefined;
    readonly tokenMax: number;
    readonly attributeMax: number;
  };
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
  let tokenMax = 0;
  for (const w of tokenWeights.values()) tokenMax = Math.max(tokenMax, w);
  let attributeMax = 0;
  for (const w of attributeWeights.values()) attributeMax = Math.max(attributeMax, w);
  // Search affinities depend on the shopper alone (the candidates only scale popularity).
  const queryScales = signalScales(profile, []);
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
    byCode: {
      tokens: byCode(tokenWeights),
      attributes: byCode(attributeWeights),
      queries: profile.queryTokens.size > 0 ? byCode(profile.queryTokens, (token) => queryAffinity(queryScales, token)) : undefined,
      tokenMax,
      attributeMax,
    },
  };
}

// Sums of many scores are heavy-tailed; log1p keeps them in a range the network trains well on.
const LOG_SCALED = Uint8Array.from(NEIGHBOUR_FEATURES, (_, k) => (k === 0 || k === 1 || k === 2 || k === 5 ? 1 : 0));

/** Arrays a caller lends {@link featurize} for its batches, grown as needed (see its `into`). */
export interface FeatureBuffers {
  item: Int32Array;
  user: Int32Array;
  dense: Float32Array;
  /** The shopper row `user` holds in its first `userRows` rows (the same row in each), if any. */
  userRow: Int32Array | undefined;
  userRows: number;
}

/** Empty {@link FeatureBuffers}. */
export function createFeatureBuffers(): FeatureBuffers {
  return { item: new Int32Array(0), user: new Int32Array(0), dense: new Float32Array(0), userRow: undefined, userRows: 0 };
}

/**
 * Featurises candidates for the model (pure). Dense features, in {@link DENSE_FEATURES} order: the heuristic's
 * score and signals, how often the shopper saw the product without clicking, whether they clicked or carted it,
 * category match with the last / recent views, price fit to recently viewed prices, title-token overlap with
 * recent views and searches; then the neighbourhood features of `ctx.neighbours` (see `neighbourScores`), the
 * stage-1 score relative to the shopper's best, and the item's popularity among the index's histories.
 * @param into arrays to write the batch into instead of new ones: the batch is views of them, valid until the next
 *   call with the same buffers (for a caller that scores each batch at once; allocating three typed arrays was a
 *   fifth of featurising 200 candidates at 4× CPU throttling, in a blank-page harness)
 */
export function featurize(
  candidates: readonly Product[],
  ctx: ShopperContext,
  schema: FeatureSchema,
  normaliseOver: readonly Product[] = candidates,
  into?: FeatureBuffers,
): FeatureBatch {
  const fields = sparseFields(schema);
  const d = schema.dense.length;
  const n = candidates.length;
  const buffers = into ?? createFeatureBuffers();
  if (buffers.item.length < n * fields) {
    buffers.item = new Int32Array(n * fields);
    buffers.user = new Int32Array(n * fields);
    buffers.userRows = 0;
  }
  if (buffers.dense.length < n * d) buffers.dense = new Float32Array(n * d);
  const item = buffers.item.subarray(0, n * fields);
  const user = buffers.user.subarray(0, n * fields);
  const dense = buffers.dense.subarray(0, n * d).fill(0);
  const scales = signalScales(ctx.profile, normaliseOver);
  const s: MutableSignals = { category: 0, brand: 0, product: 0, query: 0, popularity: 0 };
  const { tokens: tokenWeights, attributes: attributeWeights, queries, tokenMax, attributeMax: attrMax } = ctx.byCode;
  const cache = itemsOf(schema);
  const userIds = ctx.userIds;
  // The shopper's row, repeated per candidate, is the same from call to call until the shopper acts: lent buffers
  // that hold it already are not written again (the copies were about a tenth of featurising, in a Node harness).
  if (buffers.userRow !== userIds || buffers.userRows < n) {
    for (let i = 0; i < n; i++) for (let f = 0; f < fields; f++) user[i * fields + f] = userIds[f]!;
    buffers.userRow = userIds;
    buffers.userRows = n;
  }
  const index = ctx.index;
  for (let i = 0; i < n; i++) {
    const p = candidates[i]!;
    const features = cache.get(p) ?? itemFeatures(p, schema, cache);
    // Element by element: `set` of a 13-element array costs more than the copy here (the hot path of `rerank`).
    const ids = features.ids;
    const at = i * fields;
    for (let f = 0; f < fields; f++) item[at + f] = ids[f]!;
    // The query signal as `querySignal` has it: the best affinity among the product's title tokens, at least 0.
    let query = 0;
    if (queries) {
      const words = features.words;
      for (let w = 0; w < words.length; w++) query = Math.max(query, queries.get(words[w]!) ?? 0);
    }
    writeSignals(scales, p, query, features.logPopularity, s);
    let overlap = 0;
    if (tokenMax > 0) {
      const tokens = features.tokens;
      for (let t = 0; t < tokens.length; t++) overlap += (tokenWeights.get(tokens[t]!) ?? 0) / tokenMax;
    }
    const attributes = features.attributes;
    if (attrMax > 0) for (let a = 0; a < attributes.length; a++) overlap += (attributeWeights.get(attributes[a]!) ?? 0) / attrMax;
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
    const after = o + 13 + NEIGHBOUR_FEATURES.length;
    // Most candidates are no recent item's neighbour: their neighbourhood features stay 0.
    const nb = ctx.neighbours.get(p.id);
    if (nb) {
      for (let k = 0; k < nb.length; k++) dense[o + 13 + k] = LOG_SCALED[k] ? Math.log1p(nb[k]!) : nb[k]!;
      dense[after] = ctx.stage1Max > 0 ? nb[0]! / ctx.stage1Max : 0;
    }
    dense[after + 1] = features.countIndex === index ? features.count : countFeature(features, index, p.id);
  }
  return { size: n, item, user, dense };
}

/** The heuristic's score of each row (dense feature 0): the baseline a model is validated against. */
export function heuristicColumn(batch: FeatureBatch, schema: FeatureSchema): Float32Array {
  const d = schema.dense.length;
  return Float32Array.from({ length: batch.size }, (_, i) => batch.dense[i * d]!);
}
