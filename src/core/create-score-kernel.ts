import type { FeatureBatch } from './featurize';
import type { ScoreKernel, ScorerState, ScorerSteps } from './create-scorer';
import { SCORE_KERNEL } from './score-kernel';

/** Hidden layer widths the SIMD kernel is written for (see scripts/score-kernel-wat.mjs). */
const KERNEL_HIDDEN = [32, 16];

/**
 * A model's instance of the SIMD score kernel and its memory: fixed (the shopper's share of layer 1, layer 2's
 * bias, the score kernel, layer 2's kernel, the dense rows of layer 1's kernel, the wide weights), then a batch
 * (projection-row addresses, dense features, logits; `batchRows` rows), then the projection rows (`projectionRows`,
 * float32 copies of the scorer's).
 */
interface Kernel {
  readonly score: (...args: number[]) => void;
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
  // The batch region grew over the projection rows: copy this shopper's rows to their new place.
  if (moved) k.f32.set(st.projection.subarray(0, st.touched.length * st.h1), k.projectionAt >> 2);
}

function runKernel(st: ScorerState, k: Kernel, from: number, to: number): void {
  // The wide weights follow the dense rows (zeros when the schema has none).
  k.score(to - from, st.fields, st.d, k.offsets + from * st.fields * 4, k.dense + from * st.d * 4, k.logits + from * 4, UB, K1D, B2, K2, OUTK, K1D + st.d * 128, st.outB[0]!);
}

/**
 * {@link scoreBatch} with the SIMD kernel: the projection rows and the shopper's share are computed as there (and
 * copied as float32), the sums over them, the dense features and both layers run in the kernel, four units at a time
 * in float32 (the logits differ from the direct product's in their last bits).
 */
function scoreWithKernel(st: ScorerState, { setUser, project }: ScorerSteps, k: Kernel, batch: FeatureBatch, into: Float32Array | undefined): Float32Array {
  const { fields, d, h1, user, slot, vocab } = st;
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
    let same = true;
    for (let f = 0; f < fields; f++) {
      if (batch.user[ro + f] !== user[f]) {
        same = false;
        break;
      }
    }
    if (!same) {
      // The rows so far use this shopper's share and projection rows: score them before both change.
      if (r > start) runKernel(st, k, start, r);
      start = r;
      setUser(st, batch.user, ro);
      f32.set(st.userBase, UB >> 2);
    }
    for (let f = 0; f < fields; f++) {
      const id = batch.item[ro + f]!;
      let row = slot[f * vocab + id]!;
      if (row < 0) {
        const o = project(st, f, id);
        row = o / h1;
        f32.set(st.projection.subarray(o, o + h1), (projectionAt >> 2) + o);
      }
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
  if (st.user[0]! >= 0) f32.set(st.userBase, UB >> 2);
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
      const k = instantiate(module, st);
      return k && ((batch, into) => scoreWithKernel(st, steps, k, batch, into));
    },
  };
}

/**
 * Compiles the kernel's bytes; `undefined` when WebAssembly or its SIMD instructions are unavailable, or the page's
 * Content-Security-Policy refuses the compile (ask only where WebAssembly is known to be allowed: a refusal files a
 * violation report). Never rejects.
 */
export async function compileScoreKernel(): Promise<ScoreKernel | undefined> {
  try {
    return createScoreKernel(await WebAssembly.compile(Uint8Array.from(atob(SCORE_KERNEL), (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}
