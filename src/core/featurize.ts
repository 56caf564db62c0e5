import type { UserProfile } from './build-profile';
import type { MutableSignals } from './create-heuristic-ranker';
import { DEFAULT_HEURISTIC_WEIGHTS, heuristicScore, largest, queryAffinity, scaled, signalScales } from './create-heuristic-ranker';
import type { FeatureSchema } from './feature-schema';
import { featureId, sparseFields } from './feature-schema';
import type { NeighbourIndex, NeighbourScores } from './neighbour-index';
import { EMPTY_NEIGHBOUR_INDEX, NEIGHBOUR_FEATURES, neighbourScores } from './neighbour-index';
import type { Product } from './product';
import { tokenize } from './tokenize';
import { productMemo } from './product-memo';
import type { ProductMemo } from './product-memo';

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

/** Numbers kept per featurised product in {@link ItemPage.meta}, in this order (see there). */
const META = 7;
const M_START = 0;
const M_TOKENS_END = 1;
const M_WORDS_END = 2;
const M_END = 3;
const M_CATEGORY = 4;
const M_BRAND = 5;
const M_CODE = 6;
/** Products per {@link ItemPage} (a power of two: a slot is its page's number and its place there). */
const PAGE_BITS = 10;
const PAGE_SLOTS = 1 << PAGE_BITS;
/** Codes a page makes room for at first, per product (a row is 13 sparse ids and a dozen or two title tokens). */
const PAGE_CODES_PER_SLOT = 32;

/**
 * The item features of up to {@link PAGE_SLOTS} products, in a few typed arrays they share (see {@link ItemStore}).
 * A page is full when its slots or its codes are used up; a row is never split over two pages.
 */
interface ItemPage {
  /**
   * Per slot, {@link META} numbers: where its codes start in `codes`; where its sparse row's title tokens end, then
   * its searched words (`titleTokensOf`), then its attributes (the end); {@link codeOf} its category and its brand
   * (−1: none); {@link productCodeOf} its id.
   */
  readonly meta: Int32Array;
  /** Per slot: `log1p(popularity)`, then its history-count feature for `countIndex[slot]` (see {@link countFeature}). */
  readonly num: Float64Array;
  readonly countIndex: NeighbourIndex[];
  /**
   * The slots' numbers, one after the other: the sparse ids (`fields` of them), then {@link codeOf} the title tokens
   * of the sparse row, of the searched words and of the attributes. One product's are found together (separate arrays
   * were a cache miss each; featurising is mostly waiting for memory).
   */
  readonly codes: Int32Array;
  /** Slots given, and numbers used in `codes`. */
  size: number;
  used: number;
}

/**
 * The item features of the products featurised so far for one item layout, in pages of a few typed arrays, not in a
 * record and an array per product: with a 50,000-product catalog the records, their `Int32Array`s (each with its own
 * `ArrayBuffer` and backing store) and their title tokens were 17.5 of the page's 36 MB of JS heap after warm-up (heap
 * snapshots with and without it), and traces of such loads at 4× CPU throttling found V8's major GC finishing inside
 * LocalRank tasks for 53–68 ms, most of it evacuating objects and updating pointers to them. Pages rather than one
 * array grown by doubling: growing it to millions of codes made warm-up slices of 52–57 ms at 4× (traces).
 */
interface ItemStore {
  /** Each product's slot: its page's number times {@link PAGE_SLOTS} plus its place there (see `productMemo`). */
  readonly slotOf: ProductMemo<number>;
  readonly pages: ItemPage[];
}

function newPage(codes: number): ItemPage {
  return {
    meta: new Int32Array(PAGE_SLOTS * META),
    num: new Float64Array(PAGE_SLOTS * 2),
    countIndex: [],
    codes: new Int32Array(Math.max(codes, PAGE_SLOTS * PAGE_CODES_PER_SLOT)),
    size: 0,
    used: 0,
  };
}

/**
 * Distinct strings numbered 0, 1, 2… in first-seen order, spread over {@link CODE_SHARDS} maps by their last
 * characters: one map of 50,000 product ids grew by rehashing every entry in one call, 29–43 ms of a model warm-up
 * slice at 4× CPU throttling (CPU profiles), the same cost the product memos avoid (`productMemo`). A shard holds
 * about a sixty-fourth of them.
 */
interface CodeBook {
  /** The string's number, given now if it has none. */
  code(text: string): number;
  /** Numbers given: the next one, and the length the per-code tables need. */
  readonly size: number;
}

const CODE_SHARDS = 64;

function createCodeBook(): CodeBook {
  const shards = Array.from({ length: CODE_SHARDS }, () => new Map<string, number>());
  let size = 0;
  return {
    code(text) {
      let h = text.length;
      for (let i = Math.max(0, text.length - 4); i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
      const shard = shards[h & (CODE_SHARDS - 1)]!;
      let code = shard.get(text);
      if (code === undefined) shard.set(text, (code = size++));
      return code;
    },
    get size() {
      return size;
    },
  };
}

/**
 * A number per distinct title token or attribute, for all products and shoppers of the page. Featurising compares a
 * candidate's tokens with the shopper's by these numbers: the loops looking the strings up in the shopper's maps were
 * about a third of featurising 200 candidates at 4× CPU throttling (a blank-page harness, with and without them).
 * Sharded like the product ids: a 50,000-product catalog has tens of thousands of distinct tokens.
 */
const tokenCodes = createCodeBook();
const codeOf = (text: string): number => tokenCodes.code(text);

/** A number per distinct product id of the page, as {@link tokenCodes} has per token. */
const productCodes = createCodeBook();
const productCodeOf = (id: string): number => productCodes.code(id);

/** The distinct codes of `keys`' keys (by `code`), in first-seen order, and each one's row in that order. */
function keyRows<K>(keysOf: readonly Iterable<K>[], code: (key: K) => number): { codes: Int32Array; rowOf: Map<K, number> } {
  const rowOf = new Map<K, number>();
  const list: number[] = [];
  for (const keys of keysOf) {
    for (const key of keys) {
      if (rowOf.has(key)) continue;
      rowOf.set(key, list.length);
      list.push(code(key));
    }
  }
  return { codes: Int32Array.from(list), rowOf };
}

/** `weights` as a column over `rowOf`'s rows (0 where a row's key has no weight). */
function column<K>(rowOf: ReadonlyMap<K, number>, weights: Iterable<readonly [K, number]>, value: (key: K, weight: number) => number = (_, w) => w): Float64Array {
  const out = new Float64Array(rowOf.size);
  for (const [key, weight] of weights) out[rowOf.get(key)!] = value(key, weight);
  return out;
}

/** A column over `rowOf`'s rows with bit `1 << i` set for the keys in `sets[i]`. */
function flagColumn<K>(rowOf: ReadonlyMap<K, number>, sets: readonly Iterable<K>[]): Uint8Array {
  const out = new Uint8Array(rowOf.size);
  sets.forEach((keys, i) => {
    for (const key of keys) out[rowOf.get(key)!]! |= 1 << i;
  });
  return out;
}

/** What a {@link ShopperContext} knows per token code and per product code, as rows of columns (see `byCode`). */
export interface ShopperLookup {
  /** The codes of the shopper's title tokens, attributes, search tokens, categories and brands, one row each. */
  readonly codes: Int32Array;
  /**
   * Per row: the token's weight, the attribute's weight, the search token's normalised affinity, the category's and
   * the brand's affinity (0 for none), and whether the category is the last viewed one (1) or among the recent (2).
   */
  readonly tokenWeights: Float64Array;
  readonly attributeWeights: Float64Array;
  readonly queryAffinities: Float64Array;
  readonly categoryAffinity: Float64Array;
  readonly brandAffinity: Float64Array;
  readonly categoryFlags: Uint8Array;
  /** Whether the shopper searched (no search signal without). */
  readonly hasQueries: boolean;
  readonly tokenMax: number;
  readonly attributeMax: number;
  /** The product codes of every product the shopper has a fact about, one row each. */
  readonly products: Int32Array;
  /** Per row: times seen without a click, clicked (1) and carted (2), product affinity, neighbourhood features (if any). */
  readonly seenNotClicked: Float64Array;
  readonly productFlags: Uint8Array;
  readonly productAffinity: Float64Array;
  readonly neighbours: readonly (Float32Array | undefined)[];
}

/**
 * Code → row of the {@link ShopperLookup} featurize last used (−1: none), by token code and by product code. A
 * candidate's facts are found with an array read instead of a lookup in each of the shopper's maps (those lookups were
 * about a third of featurising in a Node harness, most of them missing). Only one shopper's rows are set at a time.
 */
let active: ShopperLookup | undefined;
let tokenRow: Int32Array = new Int32Array(0);
let productRow: Int32Array = new Int32Array(0);

function activate(lookup: ShopperLookup): void {
  if (active) {
    for (const c of active.codes) tokenRow[c] = -1;
    for (const c of active.products) productRow[c] = -1;
  }
  if (tokenRow.length < tokenCodes.size) tokenRow = grown(tokenRow, tokenCodes.size);
  if (productRow.length < productCodes.size) productRow = grown(productRow, productCodes.size);
  lookup.codes.forEach((c, row) => (tokenRow[c] = row));
  lookup.products.forEach((c, row) => (productRow[c] = row));
  active = lookup;
}

/** `table`'s row for `code`: −1 for none, and for codes made after the table was set (past its end). */
function rowIn(table: Int32Array, code: number): number {
  return code < table.length ? table[code]! : -1;
}

function grown(table: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size * 2).fill(-1);
  out.set(table);
  return out;
}

/**
 * Per item layout, per product: its sparse ids and title tokens. They depend only on the product (immutable) and the
 * schema's item layout (vocabulary, price edges, token and attribute counts), and hashing them is most of
 * featurising: a page ranks the same products again and again, and a newly trained model keeps the layout, so its
 * first ranking finds them hashed already. One slot holds all a candidate needs that is not the shopper's, so a
 * ranking looks each product up once.
 */
const itemCache = new Map<string, ItemStore>();
const layoutKeys = new WeakMap<FeatureSchema, string>();

function itemsOf(schema: FeatureSchema): ItemStore {
  let key = layoutKeys.get(schema);
  if (key === undefined) layoutKeys.set(schema, (key = JSON.stringify([schema.vocab, schema.priceEdges, schema.tokens, schema.attributes])));
  let store = itemCache.get(key);
  if (!store) itemCache.set(key, (store = { slotOf: productMemo(`localrank.itemSlot ${itemCache.size}`), pages: [] }));
  return store;
}

/** The slot of `p` in `store` (see {@link ItemStore}), its item features written there first if it has none. */
function itemSlot(p: Product, schema: FeatureSchema, store: ItemStore): number {
  const known = store.slotOf.get(p);
  if (known !== undefined) return known;
  const fields = sparseFields(schema);
  const tokens = titleTokens(p.title, schema.tokens);
  // Not `titleTokensOf`, which keeps the words on the product: only their codes are needed here.
  const words = tokenize(p.title);
  const attributes = p.attributes ?? [];
  const length = fields + tokens.length + words.length + attributes.length;
  let page = store.pages[store.pages.length - 1];
  if (!page || page.size >= PAGE_SLOTS || page.used + length > page.codes.length) store.pages.push((page = newPage(length)));
  const { codes, meta, num } = page;
  const start = page.used;
  itemIds(p, schema, codes, start);
  let at = start + fields;
  for (const text of tokens) codes[at++] = codeOf(text);
  const tokensEnd = at;
  for (const text of words) codes[at++] = codeOf(text);
  const wordsEnd = at;
  for (const text of attributes) codes[at++] = codeOf(text);
  page.used = at;
  const k = page.size++;
  const m = k * META;
  meta[m + M_START] = start;
  meta[m + M_TOKENS_END] = tokensEnd;
  meta[m + M_WORDS_END] = wordsEnd;
  meta[m + M_END] = at;
  meta[m + M_CATEGORY] = codeOf(p.category);
  meta[m + M_BRAND] = p.brand ? codeOf(p.brand) : -1;
  meta[m + M_CODE] = productCodeOf(p.id);
  num[k * 2] = Math.log1p(p.popularity);
  num[k * 2 + 1] = 0;
  page.countIndex[k] = EMPTY_NEIGHBOUR_INDEX;
  const slot = (store.pages.length - 1) * PAGE_SLOTS + k;
  store.slotOf.set(p, slot);
  return slot;
}

/**
 * The item's popularity among `index`'s histories, `log1p(count) / log1p(maxCount)`, remembered per index (the
 * counts map holds every item of the index): slot `k` of `page`.
 */
function countFeature(page: ItemPage, k: number, index: NeighbourIndex, id: string): number {
  if (page.countIndex[k] !== index) {
    page.num[k * 2 + 1] = index.maxCount > 0 ? Math.log1p(index.counts.get(id) ?? 0) / Math.log1p(index.maxCount) : 0;
    page.countIndex[k] = index;
  }
  return page.num[k * 2 + 1]!;
}

/**
 * Hashes the sparse ids of `products` for `schema` ahead of ranking (idempotent), so the first ranking after a model
 * arrives does not pay for the whole pool at once: the runtime calls it in small slices in idle time.
 */
export function warmItemFeatures(products: readonly Product[], schema: FeatureSchema): void {
  const store = itemsOf(schema);
  for (const p of products) itemSlot(p, schema, store);
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
   * What featurising compares candidates with, by token code (see `codes`) and product code: `tokenWeights`,
   * `attributeWeights`, the shopper's normalised search-token affinities (see `queryAffinity`), and the profile's
   * per-product facts and `neighbours`.
   */
  readonly byCode: ShopperLookup;
}

/** The {@link ShopperLookup} of a shopper context's parts. */
function shopperLookup(
  profile: UserProfile,
  tokenWeights: ReadonlyMap<string, number>,
  attributeWeights: ReadonlyMap<string, number>,
  neighbours: NeighbourScores,
  lastCategory: string | undefined,
  recentCategories: ReadonlySet<string>,
): ShopperLookup {
  // Search affinities depend on the shopper alone (the candidates only scale popularity).
  const queryScales = signalScales(profile, []);
  const last = lastCategory === undefined ? [] : [lastCategory];
  const tokens = keyRows(
    [tokenWeights.keys(), attributeWeights.keys(), profile.queryTokens.keys(), profile.categoryAffinity.keys(), profile.brandAffinity.keys(), last, recentCategories],
    codeOf,
  );
  const products = keyRows(
    [profile.seenNotClicked.keys(), profile.clicked, profile.carted, profile.productAffinity.keys(), neighbours.keys()],
    productCodeOf,
  );
  const nb: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(products.codes.length).fill(undefined);
  for (const [id, scores] of neighbours) nb[products.rowOf.get(id)!] = scores;
  return {
    codes: tokens.codes,
    tokenWeights: column(tokens.rowOf, tokenWeights),
    attributeWeights: column(tokens.rowOf, attributeWeights),
    queryAffinities: column(tokens.rowOf, profile.queryTokens, (token) => queryAffinity(queryScales, token)),
    categoryAffinity: column(tokens.rowOf, profile.categoryAffinity),
    brandAffinity: column(tokens.rowOf, profile.brandAffinity),
    categoryFlags: flagColumn(tokens.rowOf, [last, recentCategories]),
    hasQueries: profile.queryTokens.size > 0,
    tokenMax: largest(tokenWeights),
    attributeMax: largest(attributeWeights),
    products: products.codes,
    seenNotClicked: column(products.rowOf, profile.seenNotClicked),
    productFlags: flagColumn(products.rowOf, [profile.clicked, profile.carted]),
    productAffinity: column(products.rowOf, profile.productAffinity),
    neighbours: nb,
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
  const lastCategory = recent[0]?.category;
  const recentCategories = new Set(recent.slice(0, 5).map((p) => p.category));
  return {
    profile,
    userIds,
    lastCategory,
    recentCategories,
    refPrice,
    tokenWeights,
    attributeWeights,
    neighbours,
    stage1Max,
    index,
    byCode: shopperLookup(profile, tokenWeights, attributeWeights, neighbours, lastCategory, recentCategories),
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
  const lookup = ctx.byCode;
  const { tokenWeights, attributeWeights, queryAffinities, categoryAffinity, brandAffinity, categoryFlags, hasQueries, tokenMax, attributeMax: attrMax } = lookup;
  if (active !== lookup) activate(lookup);
  const rows = tokenRow;
  const products = productRow;
  const store = itemsOf(schema);
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
    const slot = itemSlot(p, schema, store);
    const page = store.pages[slot >> PAGE_BITS]!;
    const place = slot & (PAGE_SLOTS - 1);
    const { codes, meta, num } = page;
    const m = place * META;
    const start = meta[m + M_START]!;
    const tokensEnd = meta[m + M_TOKENS_END]!;
    const wordsEnd = meta[m + M_WORDS_END]!;
    const end = meta[m + M_END]!;
    const categoryCode = meta[m + M_CATEGORY]!;
    const brandCode = meta[m + M_BRAND]!;
    // Element by element: `set` of a 13-element array costs more than the copy here (the hot path of `rerank`).
    const at = i * fields;
    for (let f = 0; f < fields; f++) item[at + f] = codes[start + f]!;
    // The heuristic's signals (see `signalsFor`) and the token overlap, from the shopper's rows for the product's
    // codes. A code without a row has weight 0: adding nothing, or taking the larger of 0 and a non-negative `query`,
    // is what the lookups in the shopper's maps did for it. The query signal is the best affinity among the product's
    // title tokens (see `querySignal`).
    let query = 0;
    if (hasQueries) {
      for (let w = tokensEnd; w < wordsEnd; w++) {
        const row = rowIn(rows, codes[w]!);
        if (row >= 0) query = Math.max(query, queryAffinities[row]!);
      }
    }
    let overlap = 0;
    if (tokenMax > 0) {
      for (let t = start + fields; t < tokensEnd; t++) {
        const row = rowIn(rows, codes[t]!);
        if (row >= 0) overlap += tokenWeights[row]! / tokenMax;
      }
    }
    if (attrMax > 0) {
      for (let a = wordsEnd; a < end; a++) {
        const row = rowIn(rows, codes[a]!);
        if (row >= 0) overlap += attributeWeights[row]! / attrMax;
      }
    }
    const category = rowIn(rows, categoryCode);
    const brand = brandCode >= 0 ? rowIn(rows, brandCode) : -1;
    const known = rowIn(products, meta[m + M_CODE]!);
    s.category = scaled(category >= 0 ? categoryAffinity[category]! : 0, scales.category);
    s.brand = brandCode >= 0 ? scaled(brand >= 0 ? brandAffinity[brand]! : 0, scales.brand) : 0;
    s.product = scaled(known >= 0 ? lookup.productAffinity[known]! : 0, scales.product);
    s.query = query;
    s.popularity = num[place * 2]! / scales.popularity;
    const flags = category >= 0 ? categoryFlags[category]! : 0;
    const o = i * d;
    dense[o] = heuristicScore(s, DEFAULT_HEURISTIC_WEIGHTS);
    dense[o + 1] = s.category;
    dense[o + 2] = s.brand;
    dense[o + 3] = s.product;
    dense[o + 4] = s.query;
    dense[o + 5] = s.popularity;
    dense[o + 6] = Math.min(1, Math.log1p(known >= 0 ? lookup.seenNotClicked[known]! : 0) / 3);
    const history = known >= 0 ? lookup.productFlags[known]! : 0;
    dense[o + 7] = history & 1;
    dense[o + 8] = history & 2 ? 1 : 0;
    dense[o + 9] = flags & 1;
    dense[o + 10] = flags & 2 ? 1 : 0;
    dense[o + 11] =
      ctx.refPrice !== undefined && p.price !== undefined && p.price > 0 && ctx.refPrice > 0
        ? Math.max(0, 1 - Math.abs(Math.log(p.price / ctx.refPrice)) / Math.log(4))
        : 0;
    dense[o + 12] = Math.min(1, overlap / 2);
    const after = o + 13 + NEIGHBOUR_FEATURES.length;
    // Most candidates are no recent item's neighbour: their neighbourhood features stay 0.
    const nb = known >= 0 ? lookup.neighbours[known] : undefined;
    if (nb) {
      for (let k = 0; k < nb.length; k++) dense[o + 13 + k] = LOG_SCALED[k] ? Math.log1p(nb[k]!) : nb[k]!;
      dense[after] = ctx.stage1Max > 0 ? nb[0]! / ctx.stage1Max : 0;
    }
    dense[after + 1] = page.countIndex[place] === index ? num[place * 2 + 1]! : countFeature(page, place, index, p.id);
  }
  return { size: n, item, user, dense };
}

/** The heuristic's score of each row (dense feature 0): the baseline a model is validated against. */
export function heuristicColumn(batch: FeatureBatch, schema: FeatureSchema): Float32Array {
  const d = schema.dense.length;
  return Float32Array.from({ length: batch.size }, (_, i) => batch.dense[i * d]!);
}
