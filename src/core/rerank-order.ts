import type { Product } from './product';
import type { Explanation, RankedItem } from './ranker';
import { UNEXPLAINED } from './ranker';

let orderBuffer = new Uint32Array(0);
let stockBuffer = new Uint8Array(0);

/**
 * `rerank`'s order: in-stock items first, then by score, ties in the host's order. Sorts indices, not objects (a
 * host list is ranked on every change; this is its hot path).
 */
export function rerankOrder(candidates: readonly Product[], scores: Float64Array | Float32Array, reasons?: readonly Explanation[]): RankedItem[] {
  const n = candidates.length;
  // Reused between calls (nothing here outlives the call), like the model ranker's arrays: a host list is ranked on
  // every change.
  if (orderBuffer.length < n) {
    orderBuffer = new Uint32Array(n);
    stockBuffer = new Uint8Array(n);
  }
  const order = orderBuffer.subarray(0, n);
  const stock = stockBuffer;
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
