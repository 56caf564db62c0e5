import type { Product } from './product';
import type { Explanation, RankedItem } from './ranker';
import { UNEXPLAINED } from './ranker';

/**
 * `rerank`'s order: in-stock items first, then by score, ties in the host's order. Sorts indices, not objects (a
 * host list is ranked on every change; this is its hot path).
 */
export function rerankOrder(candidates: readonly Product[], scores: Float64Array | Float32Array, reasons?: readonly Explanation[]): RankedItem[] {
  const n = candidates.length;
  const order = new Uint32Array(n);
  const stock = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    stock[i] = candidates[i]!.inStock ? 1 : 0;
  }
  order.sort((a, b) => stock[b]! - stock[a]! || scores[b]! - scores[a]! || a - b);
  const out = new Array<RankedItem>(n);
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    out[r] = { product: candidates[i]!, score: scores[i]!, reason: reasons?.[i] ?? UNEXPLAINED };
  }
  return out;
}
