import { createRandom } from '../src/core/create-random';
import type { Scorer } from './baselines';
import type { StageView } from './leave-one-out';
import { FULL_CUTOFFS, createMetrics, rankOf } from './ranking-metrics';

/** Metrics of one method on one stage, in the evaluator's output shape. */
export interface MethodResult {
  readonly full: Record<string, number>;
  readonly sampled99: Record<string, number>;
  readonly users_evaluated: number;
}

/**
 * Ranks each user's target (a) over all items except those in the user's history ("full") and (b) among 99
 * items sampled uniformly from items the user never interacted with ("sampled99", fixed seed), and averages
 * HR / NDCG / MRR. `users` restricts evaluation to a subset (indices); `sequences` are the full sequences, used
 * only to know which items a user never touched for sampling.
 */
export function evaluate(
  scorer: Scorer,
  view: StageView,
  sequences: readonly Int32Array[],
  items: number,
  seed: number,
  users?: readonly number[],
): MethodResult {
  const full = createMetrics(FULL_CUTOFFS, [5, 10, 20]);
  const sampled = createMetrics([1, 5, 10], [5, 10]);
  const tieBreak = createRandom(seed ^ 0x5bd1e995);
  const sampling = createRandom(seed);
  const scores = new Float32Array(items);
  const all = Int32Array.from({ length: items }, (_, i) => i);
  const list = users ?? view.targets.map((_, u) => u).filter((u) => view.targets[u]! >= 0);
  for (const u of list) {
    const target = view.targets[u]!;
    if (target < 0) continue;
    const history = view.histories[u]!;
    scorer(history, scores);
    const seen = new Set(history);
    seen.delete(target);
    const score = (i: number): number => (seen.has(i) ? -Infinity : scores[i]!);
    full.add(rankOf(target, all, score, tieBreak));
    const touched = new Set(sequences[u]);
    // 99 negatives, or as many untouched items as exist (tiny catalogs in tests).
    const n = 1 + Math.min(99, items - touched.size);
    const negatives = new Int32Array(n);
    negatives[0] = target;
    const picked = new Set<number>();
    for (let k = 1; k < n; ) {
      const c = Math.floor(sampling() * items);
      if (touched.has(c) || picked.has(c)) continue;
      picked.add(c);
      negatives[k++] = c;
    }
    sampled.add(rankOf(target, negatives, (i) => scores[i]!, tieBreak));
  }
  return { full: full.result(), sampled99: sampled.result(), users_evaluated: full.count() };
}
