/** A method scores all items for a user history into `out` (higher = more likely next). */
export type Scorer = (history: Int32Array, out: Float32Array) => void;

/** PopRec: items by how many training histories contain them. */
export function fitPopular(histories: readonly Int32Array[], items: number): Scorer {
  const counts = new Float32Array(items);
  for (const h of histories) for (let i = 0; i < h.length; i++) counts[h[i]!]! += 1;
  return (_history, out) => out.set(counts);
}

/** Hyper-parameters of {@link fitItemKnn}. */
export interface ItemKnnParams {
  /** Neighbours kept per item. */
  readonly neighbours: number;
  /** Weight of history item at distance d from the end: decay^d (1 = no recency weighting). */
  readonly decay: number;
  /** Weight of item → next-item transitions relative to co-occurrence. */
  readonly transitions: number;
  /** Shrinkage added to the cosine denominator (down-weights rare pairs). */
  readonly shrink: number;
}

/**
 * Item-kNN over training histories: cosine similarity of co-occurrence (`c_ij / (sqrt(c_i c_j) + shrink)`), top
 * `neighbours` per item, plus normalised item → next-item transition counts; a user's score for item j is
 * Σ over history items i of decay^(distance from the end) × (sim(i, j) + transitions × trans(i, j)).
 */
export function fitItemKnn(histories: readonly Int32Array[], items: number, params: ItemKnnParams): Scorer {
  const count = new Float32Array(items);
  const co = new Map<number, Map<number, number>>();
  const next = new Map<number, Map<number, number>>();
  const bump = (m: Map<number, Map<number, number>>, a: number, b: number, w: number): void => {
    let row = m.get(a);
    if (!row) m.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + w);
  };
  for (const h of histories) {
    const unique = [...new Set(h)];
    for (const i of unique) count[i]! += 1;
    for (let x = 0; x < unique.length; x++) for (let y = x + 1; y < unique.length; y++) {
      bump(co, unique[x]!, unique[y]!, 1);
      bump(co, unique[y]!, unique[x]!, 1);
    }
    for (let x = 0; x + 1 < h.length; x++) if (h[x] !== h[x + 1]) bump(next, h[x]!, h[x + 1]!, 1);
  }
  const top = (row: Map<number, number> | undefined, weight: (j: number, c: number) => number): Array<[number, number]> =>
    row ? [...row].map(([j, c]) => [j, weight(j, c)] as [number, number]).sort((a, b) => b[1] - a[1]).slice(0, params.neighbours) : [];
  const sims: Array<Array<[number, number]>> = [];
  const trans: Array<Array<[number, number]>> = [];
  for (let i = 0; i < items; i++) {
    sims.push(top(co.get(i), (j, c) => c / (Math.sqrt(count[i]! * count[j]!) + params.shrink)));
    const row = next.get(i);
    let total = 0;
    if (row) for (const c of row.values()) total += c;
    trans.push(top(row, (_j, c) => c / total));
  }
  return (history, out) => {
    out.fill(0);
    for (let p = history.length - 1, d = 0; p >= 0; p--, d++) {
      const i = history[p]!;
      const w = Math.pow(params.decay, d);
      for (const [j, s] of sims[i]!) out[j]! += w * s;
      if (params.transitions > 0) for (const [j, t] of trans[i]!) out[j]! += w * params.transitions * t;
    }
  };
}
