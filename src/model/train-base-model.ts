import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LabelledBatch } from '../core/build-training-set';
import { concatLabelled } from '../core/build-training-set';
import { buildProfile } from '../core/build-profile';
import { createRandom } from '../core/create-random';
import { createScorer } from '../core/create-scorer';
import type { FeatureBatch } from '../core/featurize';
import { featurize, shopperContext } from '../core/featurize';
import type { FeatureSchema } from '../core/feature-schema';
import { sparseFields } from '../core/feature-schema';
import { historyEvents } from '../core/history-events';
import type { NeighbourIndex, NeighbourParams, NeighbourScores } from '../core/neighbour-index';
import { buildNeighbourIndex, neighbourScores, topCandidates } from '../core/neighbour-index';
import type { Product } from '../core/product';
import { defineModel } from './define-model';
import { readWeights, trainModel } from './train-model';

/** One shopper's history in the shop's data, oldest first (`types` from the events CSV, else purchases). */
export interface ShopHistory {
  readonly items: readonly string[];
  readonly types?: readonly string[];
}

/** Options of {@link trainBaseModel}. */
export interface BaseTrainOptions {
  readonly schema: FeatureSchema;
  readonly seed: number;
  /** Maximum epochs; the best epoch on the held-out shoppers is kept (default 8). */
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /** Stage-1 candidates per shopper the model reranks (default 100). */
  readonly candidates?: number;
  /** Negatives per example sampled from the shopper's stage-1 candidates (default 8) and from the catalog (default 2). */
  readonly hardNegatives?: number;
  readonly randomNegatives?: number;
  /** Share of shoppers held out for early stopping (default 0.1). */
  readonly holdoutShare?: number;
  readonly neighbourParams?: Partial<NeighbourParams>;
  readonly halfLifeMs?: number;
  /** Progress: building examples (`done` of `total` shoppers), then one call per epoch. */
  readonly onProgress?: (p: BaseTrainProgress) => void;
}

/** Progress reported by {@link trainBaseModel}. */
export interface BaseTrainProgress {
  readonly phase: 'examples' | 'epoch';
  readonly done: number;
  readonly total: number;
  readonly loss?: number;
  readonly holdout?: number;
}

/** What {@link trainBaseModel} measured. */
export interface BaseTrainReport {
  readonly examples: number;
  readonly trainShoppers: number;
  readonly holdoutShoppers: number;
  /** Chosen stage-1 recency decay and transition weight (grid on up to 3,000 shoppers' last items). */
  readonly stage1: { readonly decay: number; readonly transitions: number };
  /** Share of held-out shoppers whose next item is among their stage-1 candidates: the reranker's ceiling. */
  readonly candidateRecall: number;
  /** NDCG@10 over the candidates on the held-out shoppers: stage-1 order, and the model's (best epoch). */
  readonly holdoutNdcg10: { readonly stage1: number; readonly model: number };
  /** Epoch kept (0 = the untrained model, when no epoch beat it on the held-out shoppers). */
  readonly bestEpoch: number;
  readonly losses: readonly number[];
}

/** Output of {@link trainBaseModel}. */
export interface BaseTrainResult {
  readonly model: tfl.LayersModel;
  /** The index to ship: built from every history in full, with the chosen stage-1 parameters. */
  readonly index: NeighbourIndex;
  readonly report: BaseTrainReport;
}

const HALF_LIFE = 14 * 86_400_000;

/** A shopper's situation at one point of their history: features need nothing else. */
interface Case {
  readonly history: readonly string[];
  readonly types: readonly string[] | undefined;
  readonly target: string;
}

/**
 * Context and stage-1 candidates of one shopper: their history becomes LocalRank interactions and a profile, exactly
 * as in the browser; candidates are the items with the highest stage-1 score (history included: business rules
 * such as "not already bought" belong to the ranker that shows them).
 */
export function shopperCandidates(
  history: readonly string[],
  types: readonly string[] | undefined,
  byId: ReadonlyMap<string, Product>,
  schema: FeatureSchema,
  index: NeighbourIndex,
  k: number,
  halfLifeMs = HALF_LIFE,
) {
  const events = historyEvents(history, types);
  const profile = buildProfile(events, [], byId, events.at(-1)?.time ?? 0, halfLifeMs);
  const ctx = shopperContext(profile, byId, schema, index);
  // History items stay candidates: whether shoppers come back to what they saw is the data's to say (a quarter of
  // session targets are re-views), and the model has "clicked / carted before" to learn it from.
  return { profile, ctx, candidates: stage1Candidates(ctx.neighbours, history, byId, k) };
}

/** The best `k` new items by stage-1 score, plus room for the shopper's own (so long histories cannot crowd new ones out). */
function stage1Candidates(scores: NeighbourScores, history: readonly string[], byId: ReadonlyMap<string, Product>, k: number): string[] {
  return topCandidates(scores, k + new Set(history).size).filter((id) => byId.has(id));
}

function ndcg10(rank: number): number {
  return rank <= 10 ? 1 / Math.log2(rank + 1) : 0;
}

/**
 * Trains the shop's base model from its own history (the same code for `localrank train` and the evaluator).
 * Each shopper's last item is the label and the rest their history; neighbour statistics for these examples come
 * from the histories without their last items, so no label is in the statistics that describe it. A seeded share
 * of shoppers is held out to choose the best epoch; the stage-1 score's two parameters are chosen on up to 3,000
 * shoppers. The model learns to rerank stage-1
 * candidates (hard negatives) and catalog items (random negatives) with binary cross-entropy. The shipped index is
 * then built from every history in full.
 */
export async function trainBaseModel(histories: readonly ShopHistory[], catalog: readonly Product[], options: BaseTrainOptions): Promise<BaseTrainResult> {
  const { schema, seed } = options;
  const k = options.candidates ?? 100;
  const halfLifeMs = options.halfLifeMs ?? HALF_LIFE;
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const random = createRandom(seed);
  const cases: Case[] = [];
  for (const h of histories) {
    const items = h.items.filter((id) => byId.has(id));
    if (items.length < 2) continue;
    const target = items.at(-1)!;
    const history = items.slice(0, -1);
    cases.push({ history, types: h.types?.slice(0, items.length - 1), target });
  }
  if (cases.length < 10) throw new Error(`too little history to train on: ${cases.length} shoppers with 2 or more known items (at least 10 needed)`);
  const order = cases.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nHold = Math.max(1, Math.round(order.length * (options.holdoutShare ?? 0.1)));
  const holdout = order.slice(0, nHold).map((i) => cases[i]!);
  const train = order.slice(nHold).map((i) => cases[i]!);
  const fitIndex = buildNeighbourIndex(
    cases.map((c) => c.history),
    options.neighbourParams,
  );

  // Stage 1: choose the recency decay and transition weight (NDCG@10 of the stage-1 order) on up to 3,000 shoppers
  // of the shuffled order — two numbers, so the training shoppers can help choose them when the shop is small.
  const tuning = order.slice(0, 3000).map((i) => {
    const c = cases[i]!;
    // The profile does not depend on the stage-1 parameters: built once per shopper, not once per grid point.
    const events = historyEvents(c.history, c.types);
    return { ...c, recent: buildProfile(events, [], byId, events.at(-1)?.time ?? 0, halfLifeMs).recentlyViewed };
  });
  let best = { decay: fitIndex.params.decay, transitions: fitIndex.params.transitions, score: -1 };
  for (const decay of [1, 0.7, 0.4]) {
    for (const transitions of [0, 1, 3]) {
      const index = { ...fitIndex, params: { ...fitIndex.params, decay, transitions } };
      let sum = 0;
      for (const c of tuning) {
        const candidates = stage1Candidates(neighbourScores(c.recent, index), c.history, byId, k);
        const r = candidates.filter((id) => id === c.target || !c.history.includes(id)).indexOf(c.target);
        sum += r >= 0 ? ndcg10(r + 1) : 0;
      }
      if (sum / tuning.length > best.score) best = { decay, transitions, score: sum / tuning.length };
    }
  }
  const index: NeighbourIndex = { ...fitIndex, params: { ...fitIndex.params, decay: best.decay, transitions: best.transitions } };

  const negH = options.hardNegatives ?? 8;
  const negR = options.randomNegatives ?? 2;
  const batches: LabelledBatch[] = [];
  train.forEach((c, n) => {
    const { ctx, candidates } = shopperCandidates(c.history, c.types, byId, schema, index, k, halfLifeMs);
    const pool = candidates.filter((id) => id !== c.target);
    const neg = new Set<string>();
    for (let t = 0; neg.size < Math.min(negH, pool.length) && t < negH * 10; t++) neg.add(pool[Math.floor(random() * pool.length)]!);
    for (let t = 0, added = 0; added < negR && t < negR * 20; t++) {
      const p = catalog[Math.floor(random() * catalog.length)]!;
      if (p.id === c.target || neg.has(p.id)) continue;
      neg.add(p.id);
      added++;
    }
    const rows = [byId.get(c.target)!, ...[...neg].map((id) => byId.get(id)!)];
    const labels = new Float32Array(rows.length);
    labels[0] = 1;
    batches.push({ ...featurize(rows, ctx, schema, rows), labels });
    if (n % 500 === 0) options.onProgress?.({ phase: 'examples', done: n, total: train.length });
  });
  options.onProgress?.({ phase: 'examples', done: train.length, total: train.length });
  const data = concatLabelled(batches, sparseFields(schema), schema.dense.length);

  // Held-out cases: the target ranked among the shopper's candidates (a miss when stage 1 did not propose it).
  const held = holdout.map((c) => {
    const { ctx, candidates } = shopperCandidates(c.history, c.types, byId, schema, index, k, halfLifeMs);
    const rows = candidates.map((id) => byId.get(id)!);
    return { batch: featurize(rows, ctx, schema, rows), target: candidates.indexOf(c.target) };
  });
  const recall = held.filter((h) => h.target >= 0).length / held.length;
  const stage1 = held.reduce((s, h) => s + (h.target >= 0 ? ndcg10(h.target + 1) : 0), 0) / held.length;
  /** NDCG@10 per held-out shopper (0 when stage 1 missed the target). */
  const perShopper = (score: (b: FeatureBatch) => Float32Array): Float64Array =>
    Float64Array.from(held, (h) => {
      if (h.target < 0) return 0;
      const s = score(h.batch);
      let rank = 1;
      for (let i = 0; i < s.length; i++) if (i !== h.target && s[i]! >= s[h.target]!) rank++;
      return ndcg10(rank);
    });
  const mean = (v: Float64Array): number => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

  const model = defineModel(schema, seed);
  // Epoch 0 is the untrained model (wide & deep: the stage-1 order). A trained epoch replaces it only if it is better
  // on the held-out shoppers by more than one standard error of the paired difference: with a small shop, a few
  // lucky held-out shoppers must not swap a sound neighbourhood ranking for an overfitted network.
  const initial = perShopper(createScorer(readWeights(model, schema), schema));
  const beatsInitial = (v: Float64Array): boolean => {
    const diff = v.map((x, i) => x - initial[i]!);
    const m = mean(diff);
    const sd = Math.sqrt(diff.reduce((a, d) => a + (d - m) ** 2, 0) / Math.max(1, diff.length - 1));
    return m > sd / Math.sqrt(Math.max(1, diff.length));
  };
  let bestEpoch = { ndcg: mean(initial), epoch: 0, weights: model.getWeights().map((w) => w.clone()) };
  const epochs = options.epochs ?? 8;
  const { losses } = await trainModel(model, data, {
    schema,
    epochs,
    batchSize: options.batchSize ?? 256,
    learningRate: options.learningRate ?? 0.003,
    seed,
    onEpoch: (epoch, loss) => {
      const v = perShopper(createScorer(readWeights(model, schema), schema));
      const ndcg = mean(v);
      if (ndcg > bestEpoch.ndcg && beatsInitial(v)) {
        tf.dispose(bestEpoch.weights);
        bestEpoch = { ndcg, epoch: epoch + 1, weights: model.getWeights().map((w) => w.clone()) };
      }
      options.onProgress?.({ phase: 'epoch', done: epoch + 1, total: epochs, loss, holdout: ndcg });
    },
  });
  if (bestEpoch.weights.length) model.setWeights(bestEpoch.weights);
  tf.dispose(bestEpoch.weights);
  const shipped = buildNeighbourIndex(
    histories.map((h) => h.items),
    index.params,
  );
  return {
    model,
    index: shipped,
    report: {
      examples: data.size,
      trainShoppers: train.length,
      holdoutShoppers: holdout.length,
      stage1: { decay: best.decay, transitions: best.transitions },
      candidateRecall: recall,
      holdoutNdcg10: { stage1, model: bestEpoch.ndcg },
      bestEpoch: bestEpoch.epoch,
      losses,
    },
  };
}
