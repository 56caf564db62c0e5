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
 * (bar a last-bit difference when a sum lands on a float32 rounding boundary).
 * @returns a function scoring a batch; higher is better
 * @throws when the weights do not fit the schema
 */
export function createScorer(weights: ModelWeights, schema: FeatureSchema): (batch: FeatureBatch) => Float32Array {
  const fields = sparseFields(schema);
  const e = schema.dim;
  const d = schema.dense.length;
  const vocab = schema.vocab;
  const emb = weights['embedding/embeddings']!;
  const layers = schema.hidden.map((units, i) => ({ kernel: weights[`hidden${i + 1}/kernel`]!, bias: weights[`hidden${i + 1}/bias`]!, units }));
  const outK = weights['score/kernel']!;
  const outB = weights['score/bias']![0]!;
  const wide = schema.wide ? weights['wide/kernel'] : undefined;
  if (schema.wide && wide?.length !== schema.dense.length) throw new Error('model weights do not match the feature schema');
  const inputWidth = 3 * fields * e + d;
  if (emb.length !== schema.vocab * e || layers[0]!.kernel.length !== inputWidth * layers[0]!.units) {
    throw new Error('model weights do not match the feature schema');
  }
  const fe = fields * e;
  const first = layers[0]!;
  const h1 = first.units;
  const k1 = first.kernel;
  // Sums in float64, rounded to float32 where the direct product stores them (after each layer), as before.
  const acts = layers.map((l) => new Float32Array(l.units));
  const sums = layers.map((l) => new Float64Array(l.units));

  // Per shopper row: the bias plus the shopper's own contribution, and the shopper's embeddings.
  const user = new Int32Array(fields).fill(-1);
  const userBase = new Float64Array(h1);
  const userEmb = new Float32Array(fe);
  // (field, id) → row of `projection` (−1: not computed for this shopper row yet).
  const slot = new Int32Array(fields * vocab).fill(-1);
  const touched: number[] = [];
  let projection = new Float64Array(64 * h1);

  const setUser = (ids: Int32Array, at: number): void => {
    for (const key of touched) slot[key] = -1;
    touched.length = 0;
    userBase.set(first.bias);
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
  };

  const project = (f: number, id: number): number => {
    const key = f * vocab + id;
    let row = slot[key]!;
    if (row >= 0) return row * h1;
    row = touched.length;
    touched.push(key);
    slot[key] = row;
    if ((row + 1) * h1 > projection.length) {
      const grown = new Float64Array(projection.length * 2);
      grown.set(projection);
      projection = grown;
    }
    const o = row * h1;
    projection.fill(0, o, o + h1);
    for (let k = 0; k < e; k++) {
      const a = emb[id * e + k]!;
      // The direct product stores item ⊙ shopper as float32: round it the same way, so the logits stay identical.
      const ab = Math.fround(a * userEmb[f * e + k]!);
      const itemRow = (f * e + k) * h1;
      const prodRow = (2 * fe + f * e + k) * h1;
      for (let j = 0; j < h1; j++) projection[o + j]! += a * k1[itemRow + j]! + ab * k1[prodRow + j]!;
    }
    return o;
  };

  return (batch) => {
    const out = new Float32Array(batch.size);
    for (let r = 0; r < batch.size; r++) {
      const ro = r * fields;
      let same = true;
      for (let f = 0; f < fields; f++) {
        if (batch.user[ro + f] !== user[f]) {
          same = false;
          break;
        }
      }
      if (!same) setUser(batch.user, ro);
      const h = sums[0]!;
      h.set(userBase);
      for (let f = 0; f < fields; f++) {
        const o = project(f, batch.item[ro + f]!);
        for (let j = 0; j < h1; j++) h[j]! += projection[o + j]!;
      }
      const dr = r * d;
      for (let k = 0; k < d; k++) {
        const v = batch.dense[dr + k]!;
        if (v === 0) continue;
        const row = (3 * fe + k) * h1;
        for (let j = 0; j < h1; j++) h[j]! += v * k1[row + j]!;
      }
      const a1 = acts[0]!;
      for (let j = 0; j < h1; j++) a1[j] = h[j]! > 0 ? h[j]! : 0;
      for (let li = 1; li < layers.length; li++) {
        const { kernel, bias, units } = layers[li]!;
        const input = acts[li - 1]!;
        const next = sums[li]!;
        next.set(bias);
        for (let i = 0; i < input.length; i++) {
          const v = input[i]!;
          if (v === 0) continue; // ReLU zeros: most of a hidden layer
          const row = i * units;
          for (let j = 0; j < units; j++) next[j]! += v * kernel[row + j]!;
        }
        const a = acts[li]!;
        for (let j = 0; j < units; j++) a[j] = next[j]! > 0 ? next[j]! : 0;
      }
      const last = acts[layers.length - 1]!;
      let s = outB;
      for (let i = 0; i < last.length; i++) s += last[i]! * outK[i]!;
      if (wide) for (let k = 0; k < d; k++) s += batch.dense[dr + k]! * wide[k]!;
      out[r] = s;
    }
    return out;
  };
}
