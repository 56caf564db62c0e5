/** Cut-offs reported for full ranking and sampled-99 ranking. */
export const FULL_CUTOFFS = [1, 5, 10, 20] as const;

/** Accumulates rank-based metrics: HR@k, NDCG@k (one relevant item) and MRR. */
export interface MetricAccumulator {
  add(rank: number): void;
  /** `{ "HR@1", …, "NDCG@5", …, "MRR" }` averaged over added ranks. */
  result(): Record<string, number>;
  readonly count: () => number;
}

/**
 * Creates a {@link MetricAccumulator}. With one relevant item at 1-based `rank`: HR@k = [rank ≤ k],
 * NDCG@k = 1 / log2(rank + 1) when rank ≤ k (the ideal DCG is 1), MRR = 1 / rank.
 */
export function createMetrics(hrCutoffs: readonly number[], ndcgCutoffs: readonly number[]): MetricAccumulator {
  const hr = hrCutoffs.map(() => 0);
  const ndcg = ndcgCutoffs.map(() => 0);
  let mrr = 0;
  let n = 0;
  return {
    add(rank) {
      n++;
      mrr += 1 / rank;
      hrCutoffs.forEach((k, i) => {
        if (rank <= k) hr[i]! += 1;
      });
      ndcgCutoffs.forEach((k, i) => {
        if (rank <= k) ndcg[i]! += 1 / Math.log2(rank + 1);
      });
    },
    result() {
      const out: Record<string, number> = {};
      hrCutoffs.forEach((k, i) => (out[`HR@${k}`] = n ? hr[i]! / n : 0));
      ndcgCutoffs.forEach((k, i) => (out[`NDCG@${k}`] = n ? ndcg[i]! / n : 0));
      out.MRR = n ? mrr / n : 0;
      return out;
    },
    count: () => n,
  };
}

/**
 * 1-based rank of `target` among `candidates` by `score` (higher first), breaking ties at random with `random`
 * (a deterministic generator), so that a method scoring everything 0 gets a random rank, not the best one.
 */
export function rankOf(target: number, candidates: ArrayLike<number>, score: (item: number) => number, random: () => number): number {
  const s = score(target);
  let greater = 0;
  let equal = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (c === target) continue;
    const v = score(c);
    if (v > s) greater++;
    else if (v === s) equal++;
  }
  return 1 + greater + Math.floor(random() * (equal + 1));
}
