import type { UserProfile } from './build-profile';
import { createScorer } from './create-scorer';
import type { ModelWeights, ScoreKernel } from './create-scorer';
import { DEFAULT_HEURISTIC_WEIGHTS, explain, signalsFor } from './create-heuristic-ranker';
import { diversify } from './diversify';
import type { FeatureSchema } from './feature-schema';
import { createFeatureBuffers, featurize, shopperContext, warmItemFeatures } from './featurize';
import type { ShopperContext } from './featurize';
import type { NeighbourIndex } from './neighbour-index';
import { topCandidates } from './neighbour-index';
import type { Product } from './product';
import type { Explanation, RankRequest, RankedItem, Ranker } from './ranker';
import { rerankOrder } from './rerank-order';

/** Options of {@link createModelRanker}. */
export interface ModelRankerOptions {
  readonly weights: ModelWeights;
  readonly schema: FeatureSchema;
  readonly catalog: ReadonlyMap<string, Product>;
  /** The heuristic: candidate generation, business rules, and the fallback for other modes. */
  readonly fallback: Ranker;
  /** Candidates the model rescores for `for-you` (the heuristic's top N; default 200). */
  readonly candidates?: number;
  /** Weight of the host's order in `rerank` relative to the model's z-scored logits (default 0.6). */
  readonly hostOrder?: number;
  /** The shop's neighbour index: neighbourhood features, and extra `for-you` candidates from the recent items' neighbours. */
  readonly neighbours?: NeighbourIndex;
  /** The SIMD score kernel (see `createScoreKernel`); without it, the plain typed-array forward pass scores. */
  readonly kernel?: ScoreKernel;
  /** Rows of a `for-you` pool one `prepare` call scores (default 20, see {@link Ranker.prepare}). */
  readonly prepareRows?: number;
}

/** Rows a new model ranker scores while it warms up (see `prepare`). */
const WARM_ROWS = 600;
/**
 * Rows of a `for-you` pool a `prepare` call scores by default: the whole pool (200–400 rows) in one render step was
 * 20–45 ms at 4× CPU throttling while the worker trained, the first ranking after the shopper acted, and so were
 * 100 rows right after a new model arrived (cold item features and projections; an instrumented build). Callers
 * run as many calls as fit their time budget.
 */
const PREPARE_ROWS = 20;

/**
 * `rerank`'s scores: the logits z-scored (rounded to float32, as they were stored) plus the host order's prior
 * `hostOrder / log2(position + 2)`, written into `out`.
 */
function rerankScores(logits: Float32Array, hostOrder: number, out: Float64Array): Float64Array {
  const n = logits.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += logits[i]!;
  mean /= Math.max(1, n);
  let sd = 0;
  for (let i = 0; i < n; i++) sd += (logits[i]! - mean) ** 2;
  sd = Math.sqrt(sd / Math.max(1, n)) || 1;
  for (let i = 0; i < n; i++) out[i] = Math.fround((logits[i]! - mean) / sd) + hostOrder / Math.log2(i + 2);
  return out;
}

/**
 * Ranks with the on-device model (pure; the typed-array forward pass, no tfjs). Two stages for `for-you`: the
 * heuristic proposes its top candidates (in stock, not purchased), the model rescores them, then diversity is
 * applied. `rerank` scores every host item with the model plus the host's order as a prior, out-of-stock last.
 * `similar`, `trending` and `recently-viewed` stay with the heuristic (their order is by definition, not taste).
 * Explanations come from the heuristic's signals.
 */
export function createModelRanker(options: ModelRankerOptions): Ranker & { readonly simd: boolean } {
  const { schema, catalog, fallback } = options;
  const score = createScorer(options.weights, schema, options.kernel);
  const topN = options.candidates ?? 200;
  const hostOrder = options.hostOrder ?? 0.6;
  const prepareRows = Math.max(1, options.prepareRows ?? PREPARE_ROWS);
  let cached: { profile: UserProfile; ctx: ShopperContext } | undefined;
  let warmed = 0;
  // `rerank` runs on every host-list change: its arrays are reused, not allocated per call (see `featurize`).
  const buffers = createFeatureBuffers();
  let logitBuffer = new Float32Array(0);
  let scoreBuffer = new Float64Array(0);
  const context = (profile: UserProfile): ShopperContext => {
    if (cached?.profile !== profile) cached = { profile, ctx: shopperContext(profile, catalog, schema, options.neighbours) };
    return cached.ctx;
  };
  const titles = (id: string): string | undefined => catalog.get(id)?.title;
  /** The candidates of the latest stage 1 by id (the same list from ranking to ranking, in the widgets). */
  let allowed: { readonly candidates: readonly Product[]; readonly byId: ReadonlyMap<string, Product> } | undefined;
  /** The heuristic's request for stage 1: its top candidates, with no diversity. */
  const poolRequest = (request: RankRequest): RankRequest => ({ ...request, limit: Math.max(topN, request.limit ?? 12), maxSameCategory: 0 });
  /**
   * Stage 1 of `for-you`: the heuristic's top candidates (in stock, not purchased), plus the recent items' neighbours
   * (in stock, not bought, among the request's candidates).
   */
  const stage1 = (request: RankRequest): RankedItem[] => {
    const { profile, candidates } = request;
    const ctx = context(profile);
    const pool = fallback.rank(poolRequest(request));
    const inPool = new Set(pool.map((r) => r.product.id));
    if (allowed?.candidates !== candidates) allowed = { candidates, byId: new Map(candidates.map((p) => [p.id, p])) };
    const { byId } = allowed;
    const exclude = new Set([...inPool, ...profile.purchased]);
    for (const id of topCandidates(ctx.neighbours, topN, exclude)) {
      const p = byId.get(id);
      if (!p?.inStock) continue;
      // Explained by the most recent item that lists it as a neighbour.
      const anchor = profile.recentlyViewed.find((r) => options.neighbours?.similar.get(r)?.ids.includes(id) || options.neighbours?.next.get(r)?.ids.includes(id));
      const subject = anchor ? titles(anchor) : undefined;
      pool.push({ product: p, score: 0, reason: subject ? { kind: 'viewed', subject } : { kind: 'popular' } });
    }
    return pool;
  };
  /**
   * A `for-you` ranking `prepare` has begun (see {@link Ranker.prepare}): its stage-1 pool, and the model's logits of
   * its first `scored` rows.
   */
  let prepared: { readonly request: RankRequest; readonly pool: RankedItem[]; readonly logits: Float32Array; scored: number } | undefined;
  /** The request whose heuristic parts are all done (the pool is next; see `prepare`). */
  let pooling: RankRequest | undefined;
  const sameRequest = (a: RankRequest, b: RankRequest): boolean => a.profile === b.profile && a.candidates === b.candidates && (a.limit ?? 12) === (b.limit ?? 12);
  /** Scores a prepared pool's rows from `scored` to `to` into its logits. */
  const scoreSlice = (work: NonNullable<typeof prepared>, to: number): void => {
    const { request, pool, logits } = work;
    const products = pool.slice(work.scored, to).map((r) => r.product);
    logits.set(score(featurize(products, context(request.profile), schema, request.candidates)), work.scored);
    work.scored = to;
  };
  return {
    name: 'model',
    simd: score.simd,
    prepare(work) {
      if (work.profile) context(work.profile);
      const { request } = work;
      // The modes the heuristic ranks (see `rank`) are prepared by it too.
      if (request && request.mode !== 'for-you' && request.mode !== 'rerank') return fallback.prepare?.({ request }) === true;
      if (request?.mode === 'for-you') {
        if (!prepared || !sameRequest(prepared.request, request)) {
          // The heuristic's own parts first, where it has them: its ranking of the catalog in one call was 22–75 ms
          // at 4× CPU throttling while the worker trained (an instrumented build). Its last part is a call of its
          // own too: the pool is the next one.
          if (fallback.prepare && !(pooling && sameRequest(pooling, request))) {
            if (fallback.prepare({ request: poolRequest(request) }) !== true) pooling = request;
            return true;
          }
          pooling = undefined;
          const pool = stage1(request);
          prepared = { request, pool, logits: new Float32Array(pool.length), scored: 0 };
          return pool.length > 0;
        }
        if (prepared.scored < prepared.pool.length) scoreSlice(prepared, Math.min(prepared.pool.length, prepared.scored + prepareRows));
        return prepared.scored < prepared.pool.length;
      }
      if (work.products) {
        warmItemFeatures(work.products, schema);
        // The page's first ranking with a model ran the forward pass in cold code (20–35 ms for a For you pool
        // here, a long task at 4× throttling): scoring the first few hundred products in these small slices lets
        // the engine optimise it first, and fills the scorer's cache for this shopper.
        if (cached && warmed < WARM_ROWS && work.products.length > 0) {
          score(featurize(work.products, cached.ctx, schema));
          warmed += work.products.length;
        }
      }
      return false;
    },
    rank(request: RankRequest): RankedItem[] {
      if (request.mode !== 'for-you' && request.mode !== 'rerank') return fallback.rank(request);
      const { profile, candidates } = request;
      const ctx = context(profile);
      if (request.mode === 'rerank') {
        const n = candidates.length;
        if (logitBuffer.length < n) {
          logitBuffer = new Float32Array(n);
          scoreBuffer = new Float64Array(n);
        }
        const logits = score(featurize(candidates, ctx, schema, candidates, buffers), logitBuffer);
        const scores = rerankScores(logits, hostOrder, scoreBuffer.subarray(0, n));
        let reasons: Explanation[] | undefined;
        if (request.explain !== false) {
          const signals = signalsFor(profile, candidates);
          reasons = candidates.map((p) => explain(p, signals(p), DEFAULT_HEURISTIC_WEIGHTS, profile, titles));
        }
        return rerankOrder(candidates, scores, reasons);
      }
      const limit = request.limit ?? 12;
      const work = prepared && sameRequest(prepared.request, request) ? prepared : undefined;
      prepared = undefined;
      pooling = undefined;
      let pool: RankedItem[];
      let logits: Float32Array;
      if (work) {
        if (work.scored < work.pool.length) scoreSlice(work, work.pool.length);
        ({ pool, logits } = work);
      } else {
        pool = stage1(request);
        logits = score(featurize(pool.map((r) => r.product), ctx, schema, candidates));
      }
      const ranked = pool.map((r, i) => ({ product: r.product, score: logits[i]!, reason: r.reason }));
      ranked.sort((a, b) => b.score - a.score || (a.product.id < b.product.id ? -1 : 1));
      return diversify(ranked, (r) => r.product.category, request.maxSameCategory ?? 2, limit);
    },
  };
}
