import { describe, expect, it } from 'vitest';
import { createRandom } from './create-random';
import { createScorer, weightNames } from './create-scorer';
import type { ModelWeights } from './create-scorer';
import { defaultSchema, sparseFields } from './feature-schema';
import type { FeatureSchema } from './feature-schema';
import type { FeatureBatch } from './featurize';
import { createScoreKernel } from './create-score-kernel';
import { SCORE_KERNEL } from './score-kernel';

const schema = defaultSchema(['a', 'b']);

function randomWeights(seed: number, s: FeatureSchema = schema): ModelWeights {
  const rng = createRandom(seed);
  const input = 3 * sparseFields(s) * s.dim + s.dense.length;
  const shapes = [s.vocab * s.dim, ...s.hidden.flatMap((u, i) => [(i === 0 ? input : s.hidden[i - 1]!) * u, u]), s.hidden.at(-1)!, 1, ...(s.wide ? [s.dense.length] : [])];
  const out: Record<string, Float32Array> = {};
  weightNames(s).forEach((name, i) => (out[name] = Float32Array.from({ length: shapes[i]! }, () => (rng() - 0.5) * 0.6)));
  return out;
}

/** `rows` rows; the shopper row changes every `perUser` rows; ids drawn from a small range so rows share them. */
function randomBatch(seed: number, rows: number, perUser: number, s: FeatureSchema = schema): FeatureBatch {
  const fields = sparseFields(s);
  const d = s.dense.length;
  const rng = createRandom(seed);
  const item = Int32Array.from({ length: rows * fields }, () => Math.floor(rng() * 40) * (rng() < 0.2 ? 0 : 1));
  const user = new Int32Array(rows * fields);
  let row = new Int32Array(fields);
  for (let r = 0; r < rows; r++) {
    if (r % perUser === 0) row = Int32Array.from({ length: fields }, () => Math.floor(rng() * s.vocab));
    user.set(row, r * fields);
  }
  const dense = Float32Array.from({ length: rows * d }, () => (rng() < 0.5 ? 0 : rng() * 2 - 0.5));
  return { size: rows, item, user, dense };
}

/** The direct forward pass: the concatenated input row times each kernel (what the tfjs model computes). */
function reference(w: ModelWeights, batch: FeatureBatch, shape: FeatureSchema = schema): Float32Array {
  const fields = sparseFields(shape);
  const d = shape.dense.length;
  const e = shape.dim;
  const fe = fields * e;
  const emb = w['embedding/embeddings']!;
  const out = new Float32Array(batch.size);
  for (let r = 0; r < batch.size; r++) {
    const x = new Float32Array(3 * fe + d);
    for (let f = 0; f < fields; f++) {
      for (let k = 0; k < e; k++) {
        const a = emb[batch.item[r * fields + f]! * e + k]!;
        const b = emb[batch.user[r * fields + f]! * e + k]!;
        x[f * e + k] = a;
        x[fe + f * e + k] = b;
        x[2 * fe + f * e + k] = a * b;
      }
    }
    for (let k = 0; k < d; k++) x[3 * fe + k] = batch.dense[r * d + k]!;
    let input = x;
    shape.hidden.forEach((units, li) => {
      const kernel = w[`hidden${li + 1}/kernel`]!;
      const bias = w[`hidden${li + 1}/bias`]!;
      const h = new Float32Array(units);
      for (let j = 0; j < units; j++) {
        let s = bias[j]!;
        for (let i = 0; i < input.length; i++) s += input[i]! * kernel[i * units + j]!;
        h[j] = Math.max(0, s);
      }
      input = h;
    });
    let s = w['score/bias']![0]!;
    for (let i = 0; i < input.length; i++) s += input[i]! * w['score/kernel']![i]!;
    for (let k = 0; k < d; k++) s += batch.dense[r * d + k]! * w['wide/kernel']![k]!;
    out[r] = s;
  }
  return out;
}

describe('createScorer', () => {
  const weights = randomWeights(7);

  it('computes the direct forward pass (same float32 logits), one shopper or many', () => {
    for (const [rows, perUser] of [[300, 300], [300, 7], [50, 1]] as const) {
      const batch = randomBatch(rows * perUser, rows, perUser);
      const got = createScorer(weights, schema)(batch);
      const want = reference(weights, batch);
      let differing = 0;
      for (let i = 0; i < rows; i++) {
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
        if (got[i] !== want[i]) differing++;
      }
      // Only a sum landing on a float32 rounding boundary may differ in its last bit.
      expect(differing).toBeLessThanOrEqual(1);
    }
  });

  it('computes the direct forward pass for layer widths that are not multiples of eight', () => {
    // The loops take eight units at a time; the units left over take their own path.
    const odd: FeatureSchema = { ...schema, hidden: [13, 6] };
    const w = randomWeights(11, odd);
    const batch = randomBatch(5, 120, 40, odd);
    const got = createScorer(w, odd)(batch);
    const want = reference(w, batch, odd);
    let differing = 0;
    for (let i = 0; i < batch.size; i++) {
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
      if (got[i] !== want[i]) differing++;
    }
    expect(differing).toBeLessThanOrEqual(1);
  });

  it('gives the same logits whatever it scored before (its per-shopper caches are reset)', () => {
    const score = createScorer(weights, schema);
    const a = randomBatch(1, 120, 120);
    const b = randomBatch(2, 120, 9);
    const first = score(a);
    score(b);
    expect(score(a)).toEqual(first);
    expect(createScorer(weights, schema)(b)).toEqual(score(b));
  });

  it('writes into a lent array when given one: the same logits, as a view of the batch size', () => {
    const score = createScorer(weights, schema);
    const into = new Float32Array(200).fill(7);
    const big = randomBatch(3, 150, 150);
    const small = randomBatch(4, 40, 40);
    const fresh = [score(big), score(small)];
    const lentBig = score(big, into);
    expect(lentBig).toEqual(fresh[0]);
    expect(lentBig.buffer).toBe(into.buffer);
    const lentSmall = score(small, into);
    expect(lentSmall.length).toBe(40);
    expect(lentSmall).toEqual(fresh[1]);
  });

  it('throws when the weights do not fit the schema', () => {
    const bad = { ...weights, 'hidden1/kernel': new Float32Array(10) };
    expect(() => createScorer(bad, schema)).toThrow(/do not match/);
  });
});

describe('createScorer with the SIMD kernel', () => {
  const module = createScoreKernel(new WebAssembly.Module(Uint8Array.from(atob(SCORE_KERNEL), (c) => c.charCodeAt(0))));
  const weights = randomWeights(7);

  it('computes the direct forward pass in float32, one shopper or many, in batches of any size', () => {
    const score = createScorer(weights, schema, module);
    expect(score.simd).toBe(true);
    // Larger batches than the first layout holds, and shoppers changing within a batch.
    for (const [rows, perUser] of [[300, 300], [300, 7], [50, 1], [1200, 400], [40, 40]] as const) {
      const batch = randomBatch(rows * perUser, rows, perUser);
      const got = score(batch);
      const want = reference(weights, batch);
      for (let i = 0; i < rows; i++) expect(Math.abs(got[i]! - want[i]!), `row ${i} of ${rows}`).toBeLessThan(1e-4);
    }
  });

  it('scores as the plain forward pass does, bar float32 rounding, and without the wide term', () => {
    const narrow: FeatureSchema = { ...schema, wide: false };
    for (const s of [schema, narrow]) {
      const w = randomWeights(9, s);
      const batch = randomBatch(12, 500, 500, s);
      const simd = createScorer(w, s, module)(batch);
      const plain = createScorer(w, s)(batch);
      for (let i = 0; i < batch.size; i++) expect(Math.abs(simd[i]! - plain[i]!)).toBeLessThan(1e-4);
    }
  });

  it('writes into a lent array and leaves other layer widths to the plain forward pass', () => {
    const score = createScorer(weights, schema, module);
    const into = new Float32Array(200);
    const batch = randomBatch(3, 150, 150);
    const lent = score(batch, into);
    expect(lent.buffer).toBe(into.buffer);
    expect(lent).toEqual(score(batch));
    const odd: FeatureSchema = { ...schema, hidden: [13, 6] };
    expect(createScorer(randomWeights(11, odd), odd, module).simd).toBe(false);
  });
});
