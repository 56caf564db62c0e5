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
 * @returns a function scoring a batch; higher is better
 */
export function createScorer(weights: ModelWeights, schema: FeatureSchema): (batch: FeatureBatch) => Float32Array {
  const fields = sparseFields(schema);
  const e = schema.dim;
  const d = schema.dense.length;
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
  const x = new Float32Array(inputWidth);
  const acts = layers.map((l) => new Float32Array(l.units));
  return (batch) => {
    const out = new Float32Array(batch.size);
    for (let r = 0; r < batch.size; r++) {
      const fe = fields * e;
      for (let f = 0; f < fields; f++) {
        const io = batch.item[r * fields + f]! * e;
        const uo = batch.user[r * fields + f]! * e;
        for (let k = 0; k < e; k++) {
          const a = emb[io + k]!;
          const b = emb[uo + k]!;
          x[f * e + k] = a;
          x[fe + f * e + k] = b;
          x[2 * fe + f * e + k] = a * b;
        }
      }
      for (let k = 0; k < d; k++) x[3 * fe + k] = batch.dense[r * d + k]!;
      let input: Float32Array = x;
      layers.forEach((l, li) => {
        const h = acts[li]!;
        const n = input.length;
        for (let j = 0; j < l.units; j++) {
          let s = l.bias[j]!;
          for (let i = 0; i < n; i++) s += input[i]! * l.kernel[i * l.units + j]!;
          h[j] = s > 0 ? s : 0;
        }
        input = h;
      });
      let s = outB;
      for (let i = 0; i < input.length; i++) s += input[i]! * outK[i]!;
      if (wide) for (let k = 0; k < d; k++) s += batch.dense[r * d + k]! * wide[k]!;
      out[r] = s;
    }
    return out;
  };
}
