import type { FeatureBatch } from './featurize';
import type { ScoreKernel, ScorerState, ScorerSteps } from './create-scorer';

/** Hidden layer widths the SIMD kernel is written for (see scripts/score-kernel-wat.mjs). */
const KERNEL_HIDDEN = [32, 16];

/**
 * A model's instance of the SIMD score kernel and its memory: fixed (the shopper's share of layer 1, layer 2's
 * bias, the score kernel, layer 2's kernel, the dense rows of layer 1's kernel, the wide weights), then a batch
 * (projection-row addresses, dense features, logits; `batchRows` rows), then the current shopper's projection rows
 * (`projectionRows` of them, float32, see {@link project}).
 */
interface Kernel {
  readonly score: (...args: number[]) => void;
  /**
   * For the current shopper row, per field f: `K_item_f + u_f ⊙ K_prod_f` (e × h1), so that a projection row is
   * `emb(id) · mixed_f`, half the products of the plain forward pass's `project` (that was most of the first ranking
   * after the shopper acted: a new shopper row computes every projection row again).
   */
  readonly mixed: Float64Array;
  /** The embedding of the id being projected. */
  readonly item: Float64Array;
  readonly memory: WebAssembly.Memory;
  readonly fixed: number;
  batchRows: number;
  offsets: number;
  dense: number;
  logits: number;
  projectionAt: number;
  projectionRows: number;
  f32: Float32Array;
  i32: Int32Array;
}

const UB = 0;
const B2 = 128;
const OUTK = 192;
const K2 = 256;
const K1D = K2 + 32 * 16 * 4;
const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Lays the batch and projection regions out for `rows` rows and `projectionRows` rows (growing the memory). */
function reserve(st: ScorerState, k: Kernel, rows: number, projectionRows: number): void {
  const moved = rows > k.batchRows;
  if (moved) k.batchRows = Math.max(rows, 2 * k.batchRows);
  if (projectionRows > k.projectionRows) k.projectionRows = Math.max(projectionRows, 2 * k.projectionRows);
  k.offsets = k.fixed;
  k.dense = k.offsets + align(k.batchRows * st.fields * 4);
  k.logits = k.dense + align(k.batchRows * st.d * 4);
  k.projectionAt = k.logits + align(k.batchRows * 4);
  const bytes = k.projectionAt + k.projectionRows * st.h1 * 4;
  if (bytes > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65_536));
  if (k.f32.buffer !== k.memory.buffer) {
    k.f32 = new Float32Array(k.memory.buffer);
    k.i32 = new Int32Array(k.memory.buffer);
  }
  // The batch region grew over the projection rows: they are computed again where they now go.
  if (moved) {
    for (const key of st.touched) st.slot[key] = -1;
    st.touched.length = 0;
  }
}

/** `mixed` for the shopper row `setUser` has just made current (see {@link Kernel.mixed}). */
function mix(st: ScorerState, k: Kernel): void {
  const { fields, e, fe, h1, k1, userEmb } = st;
  const { mixed } = k;
  for (let f = 0; f < fields; f++) {
    for (let c = 0; c < e; c++) {
      const u = userEmb[f * e + c]!;
      const item = (f * e + c) * h1;
      const prod = (2 * fe + f * e + c) * h1;
      for (let j = 0; j < h1; j++) mixed[item + j] = k1[item + j]! + u * k1[prod + j]!;
    }
  }
}

/** Computes the (field, id) projection row for the current shopper into the kernel's memory; returns its row. */
function project(st: ScorerState, k: Kernel, f: number, id: number): number {
  const { e, h1, emb, slot, touched } = st;
  const { mixed, item, f32 } = k;
  const key = f * st.vocab + id;
  const row = touched.length;
  touched.push(key);
  slot[key] = row;
  for (let c = 0; c < e; c++) item[c] = emb[id * e + c]!;
  const m = f * e * h1;
  const o = (k.projectionAt >> 2) + row * h1;
  // Four units at a time in registers (h1 is 32 here, see KERNEL_HIDDEN).
  for (let j = 0; j < h1; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < e; c++) {
      const a = item[c]!;
      const at = m + c * h1 + j;
      s0 += a * mixed[at]!;
      s1 += a * mixed[at + 1]!;
      s2 += a * mixed[at + 2]!;
      s3 += a * mixed[at + 3]!;
    }
    f32[o + j] = s0;
    f32[o + j + 1] = s1;
    f32[o + j + 2] = s2;
    f32[o + j + 3] = s3;
  }
  return row;
}

function runKernel(st: ScorerState, k: Kernel, from: number, to: number): void {
  // The wide weights follow the dense rows (zeros when the schema has none).
  k.score(to - from, st.fields, st.d, k.offsets + from * st.fields * 4, k.dense + from * st.d * 4, k.logits + from * 4, UB, K1D, B2, K2, OUTK, K1D + st.d * 128, st.outB[0]!);
}

/**
 * `scoreBatch` with the SIMD kernel: the shopper's share is computed as there, the projection rows through
 * {@link Kernel.mixed}, and the sums over them, the dense features and both layers run in the kernel, four units at
 * a time in float32 (the logits differ from the direct product's in their last bits).
 */
function scoreWithKernel(st: ScorerState, { isUser, setUser }: ScorerSteps, k: Kernel, batch: FeatureBatch, into: Float32Array | undefined): Float32Array {
  const { fields, d, h1, slot, vocab } = st;
  const n = batch.size;
  const out = into ? into.subarray(0, n) : new Float32Array(n);
  reserve(st, k, n, Math.min(st.touched.length + n * fields, fields * vocab));
  const { f32, i32 } = k;
  f32.set(batch.dense.subarray(0, n * d), k.dense >> 2);
  const offsets = k.offsets >> 2;
  const projectionAt = k.projectionAt;
  let start = 0;
  for (let r = 0; r < n; r++) {
    const ro = r * fields;
    if (!isUser(st, batch.user, ro)) {
      // The rows so far use this shopper's share and projection rows: score them before both change.
      if (r > start) runKernel(st, k, start, r);
      start = r;
      setUser(st, batch.user, ro);
      f32.set(st.userBase, UB >> 2);
      mix(st, k);
    }
    for (let f = 0; f < fields; f++) {
      const id = batch.item[ro + f]!;
      let row = slot[f * vocab + id]!;
      if (row < 0) row = project(st, k, f, id);
      i32[offsets + ro + f] = projectionAt + row * h1 * 4;
    }
  }
  if (n > start) runKernel(st, k, start, n);
  out.set(f32.subarray(k.logits >> 2, (k.logits >> 2) + n));
  return out;
}

/** The kernel's instance for this model, or undefined when its layers have other widths. */
function instantiate(module: WebAssembly.Module, st: ScorerState): Kernel | undefined {
  const [l1, l2] = st.layers;
  if (st.layers.length !== 2 || l1!.units !== KERNEL_HIDDEN[0] || l2!.units !== KERNEL_HIDDEN[1]) return undefined;
  const fixed = K1D + st.d * 128 + align(st.d * 4);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const k: Kernel = {
    score: instance.exports['score'] as (...args: number[]) => void,
    mixed: new Float64Array(st.fields * st.e * st.h1),
    item: new Float64Array(st.e),
    memory,
    fixed,
    batchRows: 0,
    offsets: 0,
    dense: 0,
    logits: 0,
    projectionAt: 0,
    projectionRows: 0,
    f32: new Float32Array(0),
    i32: new Int32Array(0),
  };
  reserve(st, k, 256, 1024);
  const { f32 } = k;
  f32.set(l2!.bias, B2 >> 2);
  f32.set(st.outK, OUTK >> 2);
  f32.set(l2!.kernel, K2 >> 2);
  f32.set(st.k1.subarray(st.denseRow, st.denseRow + st.d * st.h1), K1D >> 2);
  f32.set(st.wide, (K1D + st.d * 128) >> 2);
  // No shopper row yet (a scorer's state is new when the kernel attaches): the first batch sets it, and `mixed`.
  return k;
}

/**
 * The SIMD score kernel (scripts/score-kernel-wat.mjs, compiled) for {@link createScorer}: the sums over the
 * projection rows, the dense features and both hidden layers, four units at a time in float32 WebAssembly SIMD
 * (about five times faster than the plain forward pass for 200 rows in a Node A/B harness). Models whose hidden
 * layers are not 32 and 16 wide keep the plain forward pass.
 */
export function createScoreKernel(module: WebAssembly.Module): ScoreKernel {
  return {
    attach(st, steps) {
      let k: Kernel | undefined;
      try {
        k = instantiate(module, st);
      } catch {
        return undefined; // the plain forward pass scores instead
      }
      return k && ((batch, into) => scoreWithKernel(st, steps, k, batch, into));
    },
  };
}
