import * as tf from '@tensorflow/tfjs-core';
import { buildProfile } from '../src/core/build-profile';
import { createHeuristicRanker } from '../src/core/create-heuristic-ranker';
import { createModelRanker } from '../src/core/create-model-ranker';
import type { ModelWeights } from '../src/core/create-scorer';
import { createScorer, weightNames } from '../src/core/create-scorer';
import { historyEvents } from '../src/core/history-events';
import { historyProduct } from '../src/core/history-product';
import { defineModel } from '../src/model/define-model';
import { trainOnDevice } from '../src/model/train-on-device';
import { featurize } from '../src/core/featurize';
import type { FeatureSchema } from '../src/core/feature-schema';
import type { NeighbourIndex } from '../src/core/neighbour-index';
import type { Product } from '../src/core/product';
import { shopperCandidates } from '../src/model/train-base-model';
import type { Scorer } from './baselines';
import type { IndexedData } from './leave-one-out';
import type { SequenceData } from './load-sequences';

/**
 * The catalog a shop would have for these data: one product per item, with its attributes and category when the
 * dataset gives them, no title or price, and `popularity` = how many of `histories` contain it (what a shop's
 * catalog "sales" field says; computed from the stage's own histories so no target leaks in).
 */
export function catalogFor(data: IndexedData, loaded: SequenceData, histories: readonly Int32Array[]): Product[] {
  const counts = new Float32Array(data.items.length);
  for (const h of histories) for (const i of new Set(h)) counts[i]! += 1;
  return data.items.map((id, i) => historyProduct(id, { category: loaded.categories.get(id), popularity: counts[i]!, attributes: loaded.attributes.get(id) }));
}

/** Per user index → their event types (events CSV), aligned with the sequences. */
export type TypesOf = (user: number, length: number) => readonly string[] | undefined;

/**
 * The two-stage model as an evaluator {@link Scorer}: stage-1 candidates from the neighbour index, reranked by the
 * model's typed-array forward pass (the code the browser ranks with). Candidates score above every other item;
 * the rest keep their stage-1 order, and items the index cannot reach follow in order of popularity.
 */
export function modelScorer(
  weightsOf: (history: Int32Array) => ModelWeights,
  schema: FeatureSchema,
  index: NeighbourIndex,
  catalog: readonly Product[],
  data: IndexedData,
  candidates: number,
  typesOf: TypesOf = () => undefined,
  userOf: (history: Int32Array) => number = () => -1,
): Scorer {
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const position = new Map(data.items.map((id, i) => [id, i]));
  const scorers = new Map<ModelWeights, ReturnType<typeof createScorer>>();
  // Beyond the neighbourhood, items keep the shop's popularity order (as the widget's heuristic candidates do),
  // scaled far below any stage-1 score so it only orders what stage 1 cannot reach.
  let maxCount = 0;
  for (const c of index.counts.values()) maxCount = Math.max(maxCount, c);
  const prior = Float32Array.from(data.items, (id) => (maxCount ? (1e-6 * (index.counts.get(id) ?? 0)) / maxCount : 0));
  return (history, out) => {
    const weights = weightsOf(history);
    let score = scorers.get(weights);
    if (!score) scorers.set(weights, (score = createScorer(weights, schema)));
    out.set(prior);
    const items = Array.from(history, (i) => data.items[i]!);
    const { ctx, candidates: ids } = shopperCandidates(items, typesOf(userOf(history), items.length), byId, schema, index, candidates);
    for (const [id, v] of ctx.neighbours) {
      const j = position.get(id);
      if (j !== undefined) out[j]! += v[0]!;
    }
    if (ids.length === 0) return;
    const rows = ids.map((id) => byId.get(id)!);
    const logits = score(featurize(rows, ctx, schema, rows));
    ids.forEach((id, k) => (out[position.get(id)!] = 1e6 + logits[k]!));
  };
}

/** Result of {@link deviceRuns}: per evaluated user, the weights to rank with (accepted or not) and what happened. */
export interface DeviceRuns {
  readonly weights: Map<number, ModelWeights | undefined>;
  readonly accepted: number;
  readonly users: number;
  /** Mean seconds per user of the on-device training run (examples, training, validation). */
  readonly secondsPerUser: number;
}

/**
 * Runs the browser's on-device training ({@link trainOnDevice}) once per user on that user's own history only:
 * fine-tuning a copy of the base model (`base` given) or training from scratch (no base, no neighbour index —
 * what a device without a shop model has). A rejected run keeps the base model (fine-tune) or the heuristic
 * (scratch: `undefined` weights), exactly as the widget does.
 */
export async function deviceRuns(
  users: readonly number[],
  histories: readonly Int32Array[],
  data: IndexedData,
  catalog: readonly Product[],
  schema: FeatureSchema,
  seed: number,
  typesOf: TypesOf,
  base?: { readonly weights: ModelWeights; readonly index: NeighbourIndex },
  onUser?: (done: number) => void,
): Promise<DeviceRuns> {
  const weights = new Map<number, ModelWeights | undefined>();
  let accepted = 0;
  const t0 = performance.now();
  const baseModel = base ? defineModel(schema, seed) : undefined;
  const baseTensors = base ? weightNames(schema).map((n) => base.weights[n]!) : [];
  for (const [n, u] of users.entries()) {
    const h = histories[u]!;
    const items = Array.from(h, (i) => data.items[i]!);
    const events = historyEvents(items, typesOf(u, items.length));
    // setWeights copies the values; tidy disposes the temporary tensors.
    if (baseModel) tf.tidy(() => baseModel.setWeights(baseModel.weights.map((w, k) => tf.tensor(baseTensors[k]!, w.shape as number[]))));
    const result = await trainOnDevice({
      model: baseModel,
      origin: base ? 'base' : 'scratch',
      events,
      counters: [],
      catalog,
      schema,
      halfLifeMs: 14 * 86_400_000,
      seed: seed + u,
      index: base?.index,
    });
    if (result.accepted) accepted++;
    weights.set(u, result.accepted ? result.weights : base?.weights);
    if (!base && result.accepted) result.model?.dispose();
    onUser?.(n + 1);
  }
  baseModel?.dispose();
  return { weights, accepted, users: users.length, secondsPerUser: (performance.now() - t0) / 1000 / Math.max(1, users.length) };
}

/**
 * The widget's own `for-you` path as an evaluator {@link Scorer} for shoppers without a shop model: the heuristic
 * proposes candidates and the device model (if its training was accepted) reranks them; the top `limit` items get
 * descending scores, everything else ties at 0.
 */
export function widgetScorer(weightsOf: (history: Int32Array) => ModelWeights | undefined, schema: FeatureSchema, catalog: readonly Product[], data: IndexedData, typesOf: TypesOf, userOf: (h: Int32Array) => number, limit = 20): Scorer {
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const position = new Map(data.items.map((id, i) => [id, i]));
  const heuristic = createHeuristicRanker();
  const rankers = new Map<ModelWeights, ReturnType<typeof createModelRanker>>();
  return (history, out) => {
    out.fill(0);
    const items = Array.from(history, (i) => data.items[i]!);
    const events = historyEvents(items, typesOf(userOf(history), items.length));
    const now = events.at(-1)?.time ?? 0;
    const profile = buildProfile(events, [], byId, now, 14 * 86_400_000);
    const w = weightsOf(history);
    let ranker = heuristic as ReturnType<typeof createModelRanker>;
    if (w) {
      ranker = rankers.get(w) ?? createModelRanker({ weights: w, schema, catalog: byId, fallback: heuristic });
      rankers.set(w, ranker);
    }
    const ranked = ranker.rank({ mode: 'for-you', candidates: catalog, profile, now, limit, maxSameCategory: 0 });
    ranked.forEach((r, k) => (out[position.get(r.product.id)!] = limit - k));
  };
}
