/**
 * `localrank/testing`: Playwright helpers for QA teams testing a shop that embeds LocalRank. They drive the
 * public `window.LocalRank` API and the widgets' DOM (stable `data-testid`s) and import nothing of Playwright at
 * run time (its `Page` type only).
 *
 * ```ts
 * import { seedHistory, waitForModel, getRanking, resetStore } from 'localrank/testing';
 * ```
 */
export { getRanking } from './get-ranking.js';
export type { GetRankingOptions, WidgetRef } from './get-ranking.js';
export type { LocalRankErrorLike, ModelStatusLike, StatusLike } from './when-ready.js';
export { resetStore } from './reset-store.js';
export type { ResetStoreOptions } from './reset-store.js';
export { seedHistory } from './seed-history.js';
export type { SeedEvent, SeedHistoryOptions } from './seed-history.js';
export { waitForModel } from './wait-for-model.js';
export type { ModelSource, WaitForModelOptions } from './wait-for-model.js';
