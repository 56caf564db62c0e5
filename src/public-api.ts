/**
 * LocalRank's public types: what a shop's code and a QA team's tests can rely on. The page gets them through the
 * `window.LocalRank` global (see {@link LocalRankApi}); this module exists for the API report (`npm run api`,
 * `api/localrank.api.md`) and for TypeScript users, and is never bundled.
 * @packageDocumentation
 */
export type { LocalRankApi } from './embed/localrank-api';
export type { LocalRankConfig } from './core/parse-config';
export type { LocalRankStrings, LocalRankStringsOverride } from './core/default-strings';
export type { LocalRankEvents, RankEvent, RuntimeStatus } from './widget/runtime-types';
export type { RerankOptions } from './widget/create-runtime';
export type { ModelStatus } from './widget/connect-model';
export type { TrainProgress, TensorMemory } from './model/worker-protocol';
export type { PrivacyState } from './core/privacy-state';
export type { Interaction, InteractionContext, InteractionType, TrackInput } from './core/interaction';
export type { Product } from './core/product';
export type { FeatureBatch } from './core/featurize';
export { ErrorCode, LocalRankError } from './core/errors';
export type { ErrorCodeValue, LocalRankErrorInfo } from './core/errors';
