import type { Product } from './product';
import type { UserProfile } from './build-profile';

/** What a ranking is for. `rerank` orders a host list and never drops items. */
export type RankMode = 'for-you' | 'similar' | 'trending' | 'recently-viewed' | 'rerank';

/** Why an item was recommended; turned into text by the widget (i18n). */
export interface Explanation {
  readonly kind: 'viewed' | 'brand' | 'search' | 'popular-in' | 'similar' | 'recent' | 'trending' | 'popular';
  /** Product title, brand, category or query the explanation names. */
  readonly subject?: string;
}

/** Input of {@link Ranker.rank}. */
export interface RankRequest {
  readonly mode: RankMode;
  /** Candidates in the host's order (that order is a relevance prior for `rerank`). */
  readonly candidates: readonly Product[];
  readonly profile: UserProfile;
  /** Evaluation time, epoch ms. */
  readonly now: number;
  /** Anchor product for `similar` (and the current product page, excluded from results). */
  readonly anchor?: Product;
  /**
   * Ids left out of a recommendation (For you, Trending, Similar), like out-of-stock products: Trending leaves out
   * what For you shows on the page. Ignored by `rerank` and `recently-viewed`.
   */
  readonly exclude?: ReadonlySet<string>;
  /** Max items returned (ignored by `rerank`, which returns all). */
  readonly limit?: number;
  /** Max consecutive items of one category; 0 disables diversity. */
  readonly maxSameCategory?: number;
  /**
   * `rerank` only: whether items get their {@link Explanation} (default true). A host list shows no reasons, so the
   * runtime asks for them only when the debug overlay is on; the others get {@link UNEXPLAINED}.
   */
  readonly explain?: boolean;
}

/** The reason of an item nobody asked to explain (see {@link RankRequest.explain}). */
export const UNEXPLAINED: Explanation = Object.freeze({ kind: 'popular' });

/** One ranked item. */
export interface RankedItem {
  readonly product: Product;
  readonly score: number;
  readonly reason: Explanation;
  /** In `rerank`: the item's position in the request's `candidates`. */
  readonly index?: number;
}

/**
 * Orders candidate products for the shopper. The heuristic ranker implements it today; the on-device model
 * implements it too and falls back to the heuristic whenever it is not ready.
 */
export interface Ranker {
  /** Short name reported in `status()` and `rank` events, e.g. `"heuristic"`. */
  readonly name: string;
  rank(request: RankRequest): RankedItem[];
  /**
   * Optional: does ahead of time work a later `rank()` would do — the shopper context of `profile`, the features of
   * `products`, part of `request` — so callers can spread it over tasks of their own (each call stays short for a
   * slice of products). With `request` (a `for-you`, `trending` or `similar` ranking about to be asked for), it does
   * one part per call — the heuristic's scores of the next candidates, the head, explanations; for `for-you` the
   * model ranker's stage-1 pool, then the model's scores of the next slice of that pool — and returns `true` while
   * parts are left; the `rank()` of the same request (its profile, candidates, anchor, limit) uses what was done.
   * Returns nothing (or `false`) when nothing is left to do.
   */
  prepare?(work: { readonly profile?: UserProfile; readonly products?: readonly Product[]; readonly request?: RankRequest }): boolean | void;
}
