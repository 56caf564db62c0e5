import type { UserProfile } from './build-profile';
import type { Product } from './product';
import type { Explanation, RankRequest, RankedItem, Ranker } from './ranker';
import { UNEXPLAINED } from './ranker';
import { rerankOrder } from './rerank-order';
import { diversify } from './diversify';
import { createTopRanked, scoredOrder } from './create-top-ranked';
import type { ComesFirst, TopRanked } from './create-top-ranked';
import { tokenize } from './tokenize';
import { productMemo } from './product-memo';

/** Weights of the heuristic's signals; all optional, defaults tuned by hand on the demo shop. */
export interface HeuristicWeights {
  readonly category: number;
  readonly brand: number;
  readonly product: number;
  readonly query: number;
  readonly popularity: number;
  /** Weight of the host's own order in `rerank` (a relevance prior). */
  readonly hostOrder: number;
}

/** Default {@link HeuristicWeights}. */
export const DEFAULT_HEURISTIC_WEIGHTS: HeuristicWeights = {
  category: 1,
  brand: 0.35,
  product: 0.25,
  query: 0.3,
  popularity: 0.25,
  hostOrder: 0.6,
};

/** The largest value in `map`, at least 0. */
export function largest(map: ReadonlyMap<string, number>): number {
  let max = 0;
  for (const v of map.values()) if (v > max) max = v;
  return max;
}

/** A signal's raw value `v` scaled by the shopper's largest `max` into [-1, 1]; with no positive `max`, clamped into [-1, 0]. */
export function scaled(v: number, max: number): number {
  return max <= 0 ? Math.max(-1, Math.min(0, v)) : Math.max(-1, Math.min(1, v / max));
}

/** `map[key]` scaled by the map's largest value `max` (see {@link scaled}). */
function normalised(map: ReadonlyMap<string, number>, max: number, key: string): number {
  return scaled(map.get(key) ?? 0, max);
}

/** The heuristic's per-product signals, each in [-1, 1] (popularity in [0, 1]). */
export interface Signals {
  readonly category: number;
  readonly brand: number;
  readonly product: number;
  readonly query: number;
  readonly popularity: number;
}

/** Title tokens per product (products are immutable; the same products are ranked again and again). */
const titleTokenCache = productMemo<readonly string[]>('localrank.titleTokens');

/** A product's lower-cased title tokens (see `tokenize`), cached per product: what search tokens are matched against. */
export function titleTokensOf(p: Product): readonly string[] {
  let tokens = titleTokenCache.get(p);
  if (!tokens) titleTokenCache.set(p, (tokens = tokenize(p.title)));
  return tokens;
}

/** What the {@link Signals} of one ranking are scaled by: the shopper's largest affinities, the candidates' popularity. */
export interface SignalScales {
  readonly profile: UserProfile;
  readonly category: number;
  readonly brand: number;
  readonly product: number;
  readonly query: number;
  /** log1p of the candidates' largest popularity (1 when that is 0). */
  readonly popularity: number;
}

/** The {@link SignalScales} of a ranking of `candidates` for this shopper. */
export function signalScales(profile: UserProfile, candidates: readonly Product[]): SignalScales {
  let maxPop = 0;
  for (const p of candidates) if (p.popularity > maxPop) maxPop = p.popularity;
  return {
    profile,
    category: largest(profile.categoryAffinity),
    brand: largest(profile.brandAffinity),
    product: largest(profile.productAffinity),
    query: largest(profile.queryTokens),
    popularity: Math.log1p(maxPop) || 1,
  };
}

/** A {@link Signals} record to fill with {@link writeSignals}. */
export type MutableSignals = { -readonly [K in keyof Signals]: number };

/** A search token's affinity for this shopper, normalised: what {@link querySignal} takes the best of. */
export function queryAffinity(scales: SignalScales, token: string): number {
  return normalised(scales.profile.queryTokens, scales.query, token);
}

/** The query signal of a product with title tokens `words` (its {@link titleTokensOf}): the best {@link queryAffinity}, at least 0. */
export function querySignal(scales: SignalScales, words: readonly string[]): number {
  let q = 0;
  if (scales.profile.queryTokens.size > 0) for (let i = 0; i < words.length; i++) q = Math.max(q, queryAffinity(scales, words[i]!));
  return q;
}

/** Returns a function computing {@link Signals} of a product for this shopper, normalised over `candidates`. */
export function signalsFor(profile: UserProfile, candidates: readonly Product[]): (p: Product) => Signals {
  const scales = signalScales(profile, candidates);
  const { profile: shopper } = scales;
  // A shopper who never searched has no query signal: the products' title tokens are not needed. Tokenizing them was
  // most of a first ranking's time: 1,200 products in Node took 1.89 ms the first time and 0.39 ms after; For you at
  // page load was a 50–80 ms task at 4× CPU throttling.
  const searched = shopper.queryTokens.size > 0;
  return (p) => ({
    category: normalised(shopper.categoryAffinity, scales.category, p.category),
    brand: p.brand ? normalised(shopper.brandAffinity, scales.brand, p.brand) : 0,
    product: normalised(shopper.productAffinity, scales.product, p.id),
    query: searched ? querySignal(scales, titleTokensOf(p)) : 0,
    popularity: Math.log1p(p.popularity) / scales.popularity,
  });
}

/** The heuristic's `for-you` score from signals (also a feature of the model). */
export function heuristicScore(s: Signals, w: HeuristicWeights = DEFAULT_HEURISTIC_WEIGHTS): number {
  return w.category * s.category + w.brand * s.brand + w.product * s.product + w.query * s.query + w.popularity * s.popularity;
}

/** The heuristic's explanation of why `p` suits the shopper. */
export function explain(p: Product, s: Signals, w: HeuristicWeights, profile: UserProfile, catalogTitle: (id: string) => string | undefined): Explanation {
  const parts: [Explanation, number][] = [];
  const anchor = profile.anchorByCategory.get(p.category);
  if (s.category > 0) {
    const title = anchor ? catalogTitle(anchor) : undefined;
    const reason: Explanation =
      anchor === p.id ? { kind: 'recent', subject: p.title } : title ? { kind: 'viewed', subject: title } : { kind: 'popular-in', subject: p.category };
    parts.push([reason, s.category * w.category]);
  }
  if (s.brand > 0 && p.brand) parts.push([{ kind: 'brand', subject: p.brand }, s.brand * w.brand]);
  if (s.query > 0) parts.push([{ kind: 'search' }, s.query * w.query]);
  if (s.product > 0) parts.push([{ kind: 'recent', subject: p.title }, s.product * w.product]);
  parts.sort((a, b) => b[1] - a[1]);
  return parts[0]?.[0] ?? { kind: 'popular-in', subject: p.category };
}

/** The shopper's part of the signals: category, brand, product and search affinity, weighted. */
function personalScore(s: Signals, w: HeuristicWeights): number {
  return w.category * s.category + w.brand * s.brand + w.product * s.product + w.query * s.query;
}

function priceCloseness(a: Product, b: Product): number {
  if (!a.price || !b.price) return 0;
  return Math.max(0, 1 - Math.abs(Math.log(a.price / b.price)) / Math.log(4));
}

/**
 * Candidates a `prepare` call looks at and scores (see {@link Ranker.prepare}): the whole catalog (1,200 products) in one
 * render step was 21–88 ms at 4× CPU throttling at page load and as the model's stage 1 (cold code: a page ranks
 * a few times, never hot; an instrumented build).
 */
const PREPARE_CANDIDATES = 150;
/** Head items a For you `prepare` call explains (see {@link Ranker.prepare}; the model's pool explains 200). */
const PREPARE_EXPLAINED = 50;

/**
 * How many of a sorted ranking are explained and diversified: the head. Diversifying the whole catalog would be
 * quadratic (a scan per slot). Without diversity (the model's stage-1 pool asks for none) the head is the first
 * `limit`: explaining 800 candidates for a pool of 200 took about 12 of the heuristic's 53 ms in a CPU profile at 4×.
 */
function headLength(request: RankRequest, runs: number): number {
  const limit = request.limit ?? 12;
  return runs <= 0 ? limit : Math.max(limit * 4, 48);
}

/**
 * The titles explanations name, looked up on first use: explanations need an anchor's title only now and then, and
 * only anchors' titles (a map of every candidate's was 6 ms of a For you ranking of 1,200 products at 4× throttling).
 */
function titleLookup(profile: UserProfile, candidates: readonly Product[]): (id: string) => string | undefined {
  let titles: Map<string, string> | undefined;
  return (id) => {
    if (!titles) {
      const anchors = new Set(profile.anchorByCategory.values());
      titles = new Map();
      for (const p of candidates) if (anchors.has(p.id)) titles.set(p.id, p.title);
    }
    return titles.get(id);
  };
}

/** Whether `p` may be recommended at all: in stock, not purchased, not the anchor (the product on screen). */
function recommendable(p: Product, profile: UserProfile, anchor: Product | undefined): boolean {
  return p.inStock && !profile.purchased.has(p.id) && p.id !== anchor?.id;
}

/** The modes the heuristic prepares in parts (see `prepare`). */
const PREPARED_MODES: ReadonlySet<RankRequest['mode']> = new Set(['for-you', 'trending', 'similar']);

/** Whether two requests share their scored candidates (the length and diversity of the head aside). */
function samePrepared(a: RankRequest, b: RankRequest): boolean {
  return a.mode === b.mode && a.profile === b.profile && a.candidates === b.candidates && a.anchor?.id === b.anchor?.id && a.exclude === b.exclude;
}

/**
 * Creates the heuristic ranker (pure, deterministic): time-decayed product / category / brand affinity,
 * search-token affinity and catalog popularity for cold start. Excludes out-of-stock and purchased items from
 * recommendations (and, from "For you", what the shopper already viewed), caps runs of one category (diversity), and for `rerank` keeps every item, blends in the
 * host's order and moves out-of-stock items to the end. It is the cold-start and fallback ranker.
 */
export function createHeuristicRanker(weights: Partial<HeuristicWeights> = {}): Ranker {
  const w: HeuristicWeights = { ...DEFAULT_HEURISTIC_WEIGHTS, ...weights };
  /**
   * A ranking `prepare` has begun (For you, Trending or Similar): which of the request's candidates it ranks
   * (`keeps`), their signals, how each is scored and why it is shown, how many candidates are looked at (`next`), the
   * places in `candidates` of the ones kept so far and their scores (typed arrays: an item per candidate, kept over
   * the frames a ranking is prepared in, was 50,000 objects for the young-generation GC to copy with a 50,000-product
   * catalog), the best of them kept as they are scored (`top`, see `createTopRanked`) and, once all are scored, as
   * items in order (`head`), and how many of those are explained (For you's reasons are written for the head only).
   * The candidates are filtered as they are scored: a filter of 50,000 products was 42 ms of one part at 4× CPU
   * throttling.
   */
  interface Work {
    readonly request: RankRequest;
    readonly keeps: (p: Product) => boolean;
    next: number;
    readonly signals: (p: Product) => Signals;
    readonly title: (id: string) => string | undefined;
    readonly score: (p: Product) => number;
    readonly reason: (p: Product) => Explanation;
    readonly explains: boolean;
    /** Places in `request.candidates` of the candidates kept, `count` of them, and their scores. */
    readonly kept: Int32Array;
    readonly scores: Float64Array;
    count: number;
    readonly order: ComesFirst;
    readonly top: TopRanked;
    head: RankedItem[] | undefined;
    explained: number;
  }
  let prepared: Work | undefined;
  /** Explains the head's items from `explained` on, up to `end`. */
  const explainHead = (work: Work, head: RankedItem[], end: number): void => {
    const { signals, title, request } = work;
    for (let i = work.explained; i < end; i++) {
      const r = head[i]!;
      head[i] = { ...r, reason: explain(r.product, signals(r.product), w, request.profile, title) };
    }
    work.explained = Math.max(work.explained, end);
  };
  /** The items of `work`'s kept places `places`, in that order. */
  const itemsAt = (work: Work, places: readonly number[]): RankedItem[] =>
    places.map((i) => {
      const product = work.request.candidates[work.kept[i]!]!;
      return { product, score: work.scores[i]!, reason: work.reason(product) };
    });
  /**
   * A ranking not begun yet (see `prepared`). "For you" (and "similar" without an anchor) is for discovery: what the
   * shopper already viewed or carted is in "Recently viewed" / the cart; it is explained once its head is known
   * (explaining every candidate was most of a ranking's time). Trending and Similar have one reason per mode.
   */
  const start = (request: RankRequest): Work => {
    const { mode, profile, candidates, anchor, exclude } = request;
    const signals = signalsFor(profile, candidates);
    const kept = new Int32Array(candidates.length);
    const scores = new Float64Array(candidates.length);
    const order = scoredOrder(
      (i) => scores[i]!,
      (i) => candidates[kept[i]!]!.id,
    );
    const base = { request, signals, title: titleLookup(profile, candidates), next: 0, kept, scores, count: 0, order, top: createTopRanked(headLength(request, runsOf(request)), order), head: undefined, explained: 0 };
    const eligible = (p: Product): boolean => recommendable(p, profile, anchor) && !exclude?.has(p.id);
    if (mode === 'for-you' || (mode === 'similar' && !anchor)) {
      const seen = new Set(profile.recentlyViewed);
      return { ...base, keeps: (p) => eligible(p) && !seen.has(p.id), score: (p) => heuristicScore(signals(p), w), reason: () => UNEXPLAINED, explains: true };
    }
    if (mode === 'similar' && anchor) {
      const reason: Explanation = { kind: 'similar', subject: anchor.title };
      const score = (p: Product): number => {
        const s = signals(p);
        const sameCategory = p.category === anchor.category ? 1 : 0;
        const sameBrand = p.brand && p.brand === anchor.brand ? 1 : 0;
        return 1.2 * sameCategory + 0.4 * sameBrand + 0.3 * priceCloseness(p, anchor) + 0.2 * s.popularity + 0.3 * personalScore(s, w);
      };
      return { ...base, keeps: eligible, score, reason: () => reason, explains: false };
    }
    const score = (p: Product): number => {
      const s = signals(p);
      return s.popularity + 0.15 * Math.max(0, s.category);
    };
    return { ...base, keeps: eligible, score, reason: (p) => ({ kind: 'trending', subject: p.category }), explains: false };
  };
  /** Looks at the next `count` candidates at most, and scores the ones the ranking keeps. */
  const scoreSome = (work: Work, count: number): void => {
    const { candidates } = work.request;
    const end = Math.min(candidates.length, work.next + count);
    for (; work.next < end; work.next++) {
      const p = candidates[work.next]!;
      if (!work.keeps(p)) continue;
      work.kept[work.count] = work.next;
      work.scores[work.count++] = work.score(p);
    }
    work.top.offer(work.count);
  };
  /** Category runs allowed in a mode's head (Similar has none: closeness is its order). */
  const runsOf = (request: RankRequest): number => (request.mode === 'similar' ? 0 : (request.maxSameCategory ?? 2));
  return {
    name: 'heuristic',
    /**
     * For you, Trending and Similar in parts, one per call: their candidates, their scores
     * {@link PREPARE_CANDIDATES} at a time, the head in order, then (For you) the head's explanations
     * {@link PREPARE_EXPLAINED} at a time; `rank()` of the same request finishes from there (the same ranking as
     * without). Trending and Similar ranked a 50,000-product catalog in one render step of 119–196 ms at 4× CPU
     * throttling (a CPU profile).
     */
    prepare(work) {
      const { request } = work;
      if (!request || !PREPARED_MODES.has(request.mode)) return false;
      if (!prepared || !samePrepared(prepared.request, request)) {
        prepared = start(request);
        return true;
      }
      const length = Math.min(prepared.count, headLength(request, runsOf(request)));
      if (prepared.next < request.candidates.length) scoreSome(prepared, PREPARE_CANDIDATES);
      else if (!prepared.head) prepared.head = itemsAt(prepared, prepared.top.take());
      else if (prepared.explains && prepared.explained < length) explainHead(prepared, prepared.head, Math.min(length, prepared.explained + PREPARE_EXPLAINED));
      return !prepared.head || (prepared.explains && prepared.explained < length);
    },
    rank(request: RankRequest): RankedItem[] {
      const { mode, candidates, profile, anchor } = request;
      const limit = request.limit ?? 12;
      // It finishes what `prepare` did for this request (or does it all now); a For you ranking also ends what was
      // prepared for another.
      if (PREPARED_MODES.has(mode)) {
        const matching = prepared && samePrepared(prepared.request, request) ? prepared : undefined;
        if (matching || mode === 'for-you') prepared = undefined;
        const work = matching ?? start(request);
        const runs = runsOf(request);
        scoreSome(work, Infinity);
        const length = Math.min(work.count, headLength(request, runs));
        // A head prepared for a shorter one (another limit) is chosen again.
        if (!work.head || work.head.length < length) {
          let top = work.top;
          if (top.k < length) {
            top = createTopRanked(length, work.order);
            top.offer(work.count);
          }
          work.head = itemsAt(work, top.take());
          work.explained = 0;
        }
        if (work.explains) explainHead(work, work.head, length);
        return diversify(work.head.slice(0, length), (r) => r.product.category, runs, limit);
      }

      if (mode === 'rerank') {
        const title = titleLookup(profile, candidates);
        const signals = signalsFor(profile, candidates);
        const n = candidates.length;
        const explained = request.explain !== false;
        const scores = new Float64Array(n);
        const reasons: Explanation[] | undefined = explained ? new Array<Explanation>(n) : undefined;
        for (let i = 0; i < n; i++) {
          const p = candidates[i]!;
          const s = signals(p);
          scores[i] = personalScore(s, w) + w.hostOrder / Math.log2(i + 2);
          if (reasons) reasons[i] = explain(p, s, w, profile, title);
        }
        return rerankOrder(candidates, scores, reasons);
      }

      // Recently viewed, the mode left: the viewed ones among the candidates (a map of every candidate was 60–84 ms
      // at 4× CPU throttling with 50,000 products), without signals (their scales looked at every candidate).
      const viewed = new Set(profile.recentlyViewed);
      const byId = new Map<string, Product>();
      for (const p of candidates) if (viewed.has(p.id) && recommendable(p, profile, anchor)) byId.set(p.id, p);
      const out: RankedItem[] = [];
      for (const id of profile.recentlyViewed) {
        const p = byId.get(id);
        if (!p) continue;
        out.push({ product: p, score: 1 / (out.length + 1), reason: { kind: 'recent', subject: p.title } });
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
