import type { FeatureBatch } from './featurize';
import type { FeatureSchema } from './feature-schema';
import { sparseFields } from './feature-schema';

/** Model weights by name, as flat row-major arrays (tfjs layout: kernels are `[in, out]`). */
export type ModelWeights = Readonly<Record<string, Float32Array>>;

/** Names of the weights, in the order the tfjs model defines them. */
export function weightNames(schema: FeatureSchema): string[] {
  const names = ['embedding/embeddings'];
  schema.hidden.forEach((_, i) => names.push(`hidden${i + 1}/kernel`, `hidden${i + 1}/bias`));
  names.push('score/kernel', 'score/bias');
  if (schema.wide) names.push('wide/kernel');
  return names;
}

/** Whether every weight is a finite number (a model with NaN/Inf must never be used or saved). */
export function weightsAreFinite(weights: ModelWeights): boolean {
  for (const w of Object.values(weights)) for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) return false;
  return true;
}

interface Layer {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly units: number;
}

/**
 * A faster forward pass for some models, loaded apart (see `createScoreKernel`). It is handed the scorer's own steps
 * rather than importing them, so that loading it apart shares no module with the runtime.
 */
export interface ScoreKernel {
  /** This kernel's scoring of a scorer's batches, or `undefined` when the model does not fit it. */
  readonly attach: (st: ScorerState, steps: ScorerSteps) => ((batch: FeatureBatch, into: Float32Array | undefined) => Float32Array) | undefined;
}

/** The steps of the plain forward pass a {@link ScoreKernel} reuses: {@link isUser} and {@link setUser}. */
export interface ScorerSteps {
  readonly isUser: (st: ScorerState, ids: Int32Array, at: number) => boolean;
  readonly setUser: (st: ScorerState, ids: Int32Array, at: number) => void;
}

/** Everything a scorer needs, one object per model (see {@link createScorer}). */
export interface ScorerState {
  readonly fields: number;
  readonly e: number;
  readonly d: number;
  readonly vocab: number;
  readonly fe: number;
  readonly h1: number;
  readonly emb: Float32Array;
  readonly k1: Float32Array;
  readonly bias1: Float32Array;
  readonly layers: readonly Layer[];
  readonly outK: Float32Array;
  /**
   * Typed arrays, not a number and `undefined`: a field holding a small integer in one model's state (a zero bias)
   * and a fraction in the next, or `undefined` then an array, changes the field's type, and V8 then de-optimises
   * every compiled function that reads it (seen with `--trace-deopt`: "dependent field type changed").
   */
  readonly outB: Float32Array;
  /** The wide term's weights; empty when the schema has none. */
  readonly wide: Float32Array;
  /** Activations after each layer, float32 as the direct product stores them. */
  readonly acts: readonly Float32Array[];
  /** The current shopper row (−1: none yet), its share of the first layer plus the bias, and its embeddings. */
  readonly user: Int32Array;
  readonly userBase: Float64Array;
  readonly userEmb: Float32Array;
  /** (field, id) → row of `projection` (−1: not computed for this shopper row yet). */
  readonly slot: Int32Array;
  readonly touched: number[];
  projection: Float64Array;
  readonly offsets: Int32Array;
  readonly itemEmb: Float64Array;
  readonly itemUser: Float64Array;
  /** The first layer's sums before the dense features. */
  readonly pre: Float64Array;
  /** Inputs of a layer that are not zero: kernel row offsets and values (dense features, then each hidden layer's). */
  readonly nzRow: Int32Array;
  readonly nzValue: Float64Array;
  readonly denseRow: number;
}

/** Whether the shopper row at `ids[at…]` is the current one. */
function isUser(st: ScorerState, ids: Int32Array, at: number): boolean {
  const { fields, user } = st;
  for (let f = 0; f < fields; f++) if (ids[at + f] !== user[f]) return false;
  return true;
}

/** Makes the shopper row at `ids[at…]` the current one: its share of the first layer, and no projection rows yet. */
function setUser(st: ScorerState, ids: Int32Array, at: number): void {
  const { fields, e, fe, h1, emb, k1, user, userBase, userEmb, slot, touched } = st;
  for (const key of touched) slot[key] = -1;
  touched.length = 0;
  userBase.set(st.bias1);
  for (let f = 0; f < fields; f++) {
    user[f] = ids[at + f]!;
    const uo = user[f]! * e;
    for (let k = 0; k < e; k++) {
      const u = emb[uo + k]!;
      userEmb[f * e + k] = u;
      const row = (fe + f * e + k) * h1;
      for (let j = 0; j < h1; j++) userBase[j]! += u * k1[row + j]!;
    }
  }
}

/** Offset in `st.projection` of the (field, id) share for the current shopper row, computed on first use. */
function project(st: ScorerState, f: number, id: number): number {
  const { e, fe, h1, emb, k1, slot, touched, userEmb, itemEmb, itemUser } = st;
  const key = f * st.vocab + id;
  let row = slot[key]!;
  if (row >= 0) return row * h1;
  row = touched.length;
  touched.push(key);
  slot[key] = row;
  if ((row + 1) * h1 > st.projection.length) {
    const grown = new Float64Array(st.projection.length * 2);
    grown.set(st.projection);
    st.projection = grown;
  }
  const projection = st.projection;
  const o = row * h1;
  for (let k = 0; k < e; k++) {
    const a = emb[id * e + k]!;
    itemEmb[k] = a;
    // The direct product stores item ⊙ shopper as float32: round it the same way, so the logits stay identical.
    itemUser[k] = Math.fround(a * userEmb[f * e + k]!);
  }
  const itemBase = f * e * h1;
  const prodBase = (2 * fe + f * e) * h1;
  // Four units at a time, summed in registers in the same order as one unit at a time (see `scoreBatch`).
  let j = 0;
  for (; j + 4 <= h1; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < e; k++) {
      const a = itemEmb[k]!;
      const ab = itemUser[k]!;
      const io = itemBase + k * h1 + j;
      const po = prodBase + k * h1 + j;
      s0 += a * k1[io]! + ab * k1[po]!;
      s1 += a * k1[io + 1]! + ab * k1[po + 1]!;
      s2 += a * k1[io + 2]! + ab * k1[po + 2]!;
      s3 += a * k1[io + 3]! + ab * k1[po + 3]!;
    }
    projection[o + j] = s0;
    projection[o + j + 1] = s1;
    projection[o + j + 2] = s2;
    projection[o + j + 3] = s3;
  }
  for (; j < h1; j++) {
    let sum = 0;
    for (let k = 0; k < e; k++) sum += itemEmb[k]! * k1[itemBase + k * h1 + j]! + itemUser[k]! * k1[prodBase + k * h1 + j]!;
    projection[o + j] = sum;
  }
  return o;
}

/**
 * `out[j] = relu(base[j] + Σ_q values[q] · kernel[rows[q] + j])` for `units` units: a dense layer over the inputs that
 * are not zero, eight units at a time in registers (four at a time was about twice as fast as one; eight, here and in
 * `scoreBatch`'s field sums, took the forward pass of 200 rows from about 0.32 to 0.28 ms in a Node A/B harness;
 * sixteen was slower than eight), each summed in the
 * inputs' order, as the direct product does.
 */
function denseRelu(
  base: Float64Array | Float32Array,
  kernel: Float32Array,
  rows: Int32Array,
  values: Float64Array,
  count: number,
  units: number,
  out: Float32Array,
): void {
  let j = 0;
  for (; j + 8 <= units; j += 8) {
    let s0 = base[j]!;
    let s1 = base[j + 1]!;
    let s2 = base[j + 2]!;
    let s3 = base[j + 3]!;
    let s4 = base[j + 4]!;
    let s5 = base[j + 5]!;
    let s6 = base[j + 6]!;
    let s7 = base[j + 7]!;
    for (let q = 0; q < count; q++) {
      const v = values[q]!;
      const o = rows[q]! + j;
      s0 += v * kernel[o]!;
      s1 += v * kernel[o + 1]!;
      s2 += v * kernel[o + 2]!;
      s3 += v * kernel[o + 3]!;
      s4 += v * kernel[o + 4]!;
      s5 += v * kernel[o + 5]!;
      s6 += v * kernel[o + 6]!;
      s7 += v * kernel[o + 7]!;
    }
    out[j] = s0 > 0 ? s0 : 0;
    out[j + 1] = s1 > 0 ? s1 : 0;
    out[j + 2] = s2 > 0 ? s2 : 0;
    out[j + 3] = s3 > 0 ? s3 : 0;
    out[j + 4] = s4 > 0 ? s4 : 0;
    out[j + 5] = s5 > 0 ? s5 : 0;
    out[j + 6] = s6 > 0 ? s6 : 0;
    out[j + 7] = s7 > 0 ? s7 : 0;
  }
  for (; j < units; j++) {
    let sum = base[j]!;
    for (let q = 0; q < count; q++) sum += values[q]! * kernel[rows[q]! + j]!;
    out[j] = sum > 0 ? sum : 0;
  }
}

function scoreBatch(st: ScorerState, batch: FeatureBatch, into: Float32Array | undefined): Float32Array {
  const { fields, d, h1, k1, layers, acts, userBase, slot, vocab, pre, offsets, nzRow, nzValue, denseRow, outK, outB, wide } = st;
  const hasWide = wide.length > 0;
  const out = into ? into.subarray(0, batch.size) : new Float32Array(batch.size);
  for (let r = 0; r < batch.size; r++) {
    const ro = r * fields;
    if (!isUser(st, batch.user, ro)) setUser(st, batch.user, ro);
    // Offsets first: `project` may grow (replace) the projection table.
    for (let f = 0; f < fields; f++) {
      const id = batch.item[ro + f]!;
      // The (field, id) share's row when this shopper row has it already (most do): `project`'s lookup, inline.
      const row = slot[f * vocab + id]!;
      offsets[f] = row >= 0 ? row * h1 : project(st, f, id);
    }
    const table = st.projection;
    // The dense features that are not zero (most neighbourhood and history features of a candidate are).
    const dr = r * d;
    let nz = 0;
    for (let k = 0; k < d; k++) {
      const v = batch.dense[dr + k]!;
      if (v === 0) continue;
      nzRow[nz] = denseRow + k * h1;
      nzValue[nz++] = v;
    }
    // The shopper's share and the item fields' shares, eight units at a time in registers, in the direct product's
    // order (shopper, fields, then the dense features in `denseRelu`), so the logits stay the same.
    let j = 0;
    for (; j + 8 <= h1; j += 8) {
      let s0 = userBase[j]!;
      let s1 = userBase[j + 1]!;
      let s2 = userBase[j + 2]!;
      let s3 = userBase[j + 3]!;
      let s4 = userBase[j + 4]!;
      let s5 = userBase[j + 5]!;
      let s6 = userBase[j + 6]!;
      let s7 = userBase[j + 7]!;
      for (let f = 0; f < fields; f++) {
        const o = offsets[f]! + j;
        s0 += table[o]!;
        s1 += table[o + 1]!;
        s2 += table[o + 2]!;
        s3 += table[o + 3]!;
        s4 += table[o + 4]!;
        s5 += table[o + 5]!;
        s6 += table[o + 6]!;
        s7 += table[o + 7]!;
      }
      pre[j] = s0;
      pre[j + 1] = s1;
      pre[j + 2] = s2;
      pre[j + 3] = s3;
      pre[j + 4] = s4;
      pre[j + 5] = s5;
      pre[j + 6] = s6;
      pre[j + 7] = s7;
    }
    for (; j < h1; j++) {
      let sum = userBase[j]!;
      for (let f = 0; f < fields; f++) sum += table[offsets[f]! + j]!;
      pre[j] = sum;
    }
    denseRelu(pre, k1, nzRow, nzValue, nz, h1, acts[0]!);
    for (let li = 1; li < layers.length; li++) {
      const { kernel, bias, units } = layers[li]!;
      const input = acts[li - 1]!;
      let live = 0;
      for (let i = 0; i < input.length; i++) {
        if (input[i] === 0) continue; // ReLU zeros: most of a hidden layer
        nzRow[live] = i * units;
        nzValue[live++] = input[i]!;
      }
      denseRelu(bias, kernel, nzRow, nzValue, live, units, acts[li]!);
    }
    const last = acts[layers.length - 1]!;
    let s = outB[0]!;
    for (let i = 0; i < last.length; i++) s += last[i]! * outK[i]!;
    if (hasWide) for (let k = 0; k < d; k++) s += batch.dense[dr + k]! * wide[k]!;
    out[r] = s;
  }
  return out;
}

/**
 * A plain typed-array forward pass of the LocalRank model (the same maths as the tfjs model in `src/model`):
 * embed item and shopper sparse ids, concatenate [item, shopper, item ⊙ shopper, dense], two ReLU layers, a
 * linear score (logit), plus the wide linear term over the dense features when the schema has one. Used on the main thread, where dispatching a few hundred rows to tfjs costs more than
 * the arithmetic, and so ranking needs no tfjs at all once a model exists.
 *
 * For one shopper row, each item field's share of the first layer depends only on that field's id: `emb(item_f) ·
 * K_item_f + (emb(item_f) ⊙ emb(user_f)) · K_prod_f`. So the shopper's own share is computed once per run of rows
 * with the same shopper row (a ranking is one run) and each (field, id) share once per run — candidates share
 * categories, brands, price bands and tokens — instead of a 334 × 32 product per row. Sums run in float64 and are
 * rounded to float32 where the direct product stored them, so the logits are the same as the direct product's
 * (bar a last-bit difference when a sum lands on a float32 rounding boundary). The loops are module functions over
 * a state object, not closures made per model: each new model's closures started in cold code and were deoptimised
 * and optimised again, several times slower for their first rankings (a long task when a trained model arrived).
 * @returns a function scoring a batch (higher is better), into `into` when given (at least `batch.size` long; the
 *   result is a view of it) instead of a new array
 * @throws when the weights do not fit the schema
 */
export function createScorer(
  weights: ModelWeights,
  schema: FeatureSchema,
  kernel?: ScoreKernel,
): ((batch: FeatureBatch, into?: Float32Array) => Float32Array) & { readonly simd: boolean } {
  const fields = sparseFields(schema);
  const e = schema.dim;
  const d = schema.dense.length;
  const emb = weights['embedding/embeddings']!;
  const layers = schema.hidden.map((units, i) => ({ kernel: weights[`hidden${i + 1}/kernel`]!, bias: weights[`hidden${i + 1}/bias`]!, units }));
  const wide = schema.wide ? weights['wide/kernel'] : undefined;
  if (schema.wide && wide?.length !== schema.dense.length) throw new Error('model weights do not match the feature schema');
  const inputWidth = 3 * fields * e + d;
  if (emb.length !== schema.vocab * e || layers[0]!.kernel.length !== inputWidth * layers[0]!.units) {
    throw new Error('model weights do not match the feature schema');
  }
  const fe = fields * e;
  const h1 = layers[0]!.units;
  const st: ScorerState = {
    fields,
    e,
    d,
    vocab: schema.vocab,
    fe,
    h1,
    emb,
    k1: layers[0]!.kernel,
    bias1: layers[0]!.bias,
    layers,
    outK: weights['score/kernel']!,
    outB: weights['score/bias']!,
    wide: wide ?? new Float32Array(0),
    acts: layers.map((l) => new Float32Array(l.units)),
    user: new Int32Array(fields).fill(-1),
    userBase: new Float64Array(h1),
    userEmb: new Float32Array(fe),
    slot: new Int32Array(fields * schema.vocab).fill(-1),
    touched: [],
    projection: new Float64Array(64 * h1),
    offsets: new Int32Array(fields),
    itemEmb: new Float64Array(e),
    itemUser: new Float64Array(e),
    pre: new Float64Array(h1),
    nzRow: new Int32Array(Math.max(d, ...schema.hidden)),
    nzValue: new Float64Array(Math.max(d, ...schema.hidden)),
    denseRow: 3 * fe * h1,
  };
  const fast = kernel?.attach(st, { isUser, setUser });
  if (fast) return Object.assign((batch: FeatureBatch, into?: Float32Array) => fast(batch, into), { simd: true });
  return Object.assign((batch: FeatureBatch, into?: Float32Array) => scoreBatch(st, batch, into), { simd: false });
}
