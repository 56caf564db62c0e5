import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProfile } from '../core/build-profile';
import { buildTrainingSet, meanReciprocalRank } from '../core/build-training-set';
import { createScorer } from '../core/create-scorer';
import { defaultSchema } from '../core/feature-schema';
import { featurize, shopperContext } from '../core/featurize';
import { buildNeighbourIndex } from '../core/neighbour-index';
import { countParams, defineModel, disposeModel } from './define-model';
import { testCatalog, testShopper } from './test-shopper';
import { readWeights, toInputs, trainModel } from './train-model';

const catalog = testCatalog();
const schema = defaultSchema([...new Set(catalog.map((p) => p.category))]);
const H = 14 * 86_400_000;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('feature pipeline', () => {
  it('featurises candidates into fixed-width sparse and dense rows', () => {
    const events = testShopper(catalog, 'books', 80, 1);
    const byId = new Map(catalog.map((p) => [p.id, p]));
    const profile = buildProfile(events, [], byId, events.at(-1)!.time, H);
    const ctx = shopperContext(profile, byId, schema);
    const f = featurize(catalog.slice(0, 10), ctx, schema);
    expect(f.item).toHaveLength(10 * 13);
    expect(f.dense).toHaveLength(10 * schema.dense.length);
    expect([...f.item].every((id) => id >= 0 && id < schema.vocab)).toBe(true);
    expect([...f.dense].every(Number.isFinite)).toBe(true);
    expect(ctx.userIds[0]).not.toBe(0); // favourite category known
    // the same category + brand hash to the same ids for two products: new items share what old ones learned
    const a = featurize([catalog[0]!], ctx, schema).item;
    const twin = { ...catalog[0]!, id: 'new-item' };
    expect([...featurize([twin], ctx, schema).item]).toEqual([...a]);
    // attribute ids fill the last slots when the catalog gives them, and are 0 otherwise
    expect(a[9]).not.toBe(0);
    expect([...featurize([{ ...catalog[0]!, attributes: undefined }], ctx, schema).item.subarray(9)]).toEqual([0, 0, 0, 0]);
    expect(ctx.userIds[9]).not.toBe(0); // the shopper's most frequent recent attribute
  });

  it('builds training examples without looking ahead, deterministic per seed', () => {
    const events = testShopper(catalog, 'books', 150, 2);
    const a = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 7 });
    const b = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 7 });
    expect(a.train.size).toBeGreaterThan(50);
    expect([...a.train.dense]).toEqual([...b.train.dense]);
    expect(a.validation.length).toBeGreaterThan(0);
    const positives = a.train.labels.reduce((n, l) => n + l, 0);
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(a.train.size);
    // The first positive has no history before it: its shopper row is empty (no leakage from later events).
    expect([...a.train.user.subarray(0, 13)].every((id) => id === 0)).toBe(true);
  });

  it('with a neighbour index: neighbourhood features are filled and stage-1 candidates become negatives', () => {
    const events = testShopper(catalog, 'books', 150, 2);
    const clicked = events.filter((e) => e.type === 'click').map((e) => e.productId!);
    const index = buildNeighbourIndex([clicked, clicked.slice().reverse(), catalog.slice(0, 30).map((p) => p.id)]);
    const plain = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 7 });
    const withIndex = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 7, index });
    const col = schema.dense.indexOf('stage1');
    const d = schema.dense.length;
    const stage1 = (set: typeof plain) => Array.from({ length: set.train.size }, (_, r) => set.train.dense[r * d + col]!);
    expect(stage1(plain).every((v) => v === 0)).toBe(true);
    // Negatives with a stage-1 score: products the neighbours proposed that the shopper did not pick.
    const hardNegatives = stage1(withIndex).filter((v, r) => v > 0 && withIndex.train.labels[r] === 0).length;
    expect(hardNegatives).toBeGreaterThan(10);
  });
});

describe('model', () => {
  it('is small: parameter count and bytes do not depend on the catalog size', () => {
    const model = defineModel(schema, 1);
    const params = countParams(model);
    expect(params * 4).toBeLessThan(1_000_000);
    expect(params).toBe(2048 * 8 + (3 * 13 * 8 + schema.dense.length) * 32 + 32 + 32 * 16 + 16 + 16 + 1 + schema.dense.length);
    expect(schema.dense).toHaveLength(22);
    disposeModel(model);
  });

  it('a tiny training run lowers the loss and ranks held-out positives better than chance', { timeout: 120_000 }, async () => {
    const events = testShopper(catalog, 'books', 300, 3);
    const set = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 11 });
    const model = defineModel(schema, 5);
    const before = meanReciprocalRank(set.validation, createScorer(readWeights(model, schema), schema));
    const { losses } = await trainModel(model, set.train, { schema, epochs: 8, batchSize: 32, learningRate: 0.01, seed: 3 });
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    const after = meanReciprocalRank(set.validation, createScorer(readWeights(model, schema), schema));
    // 1 positive among 21: random ranking has an expected MRR of about 0.17.
    expect(after).toBeGreaterThan(0.3);
    expect(after).toBeGreaterThan(before);
    disposeModel(model);
  });

  it('the typed-array forward pass matches tfjs predict', () => {
    const model = defineModel(schema, 9);
    const events = testShopper(catalog, 'audio', 60, 4);
    const set = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 1 });
    const js = createScorer(readWeights(model, schema), schema)(set.train);
    const expected = tf.tidy(() => (model.predict(toInputs(set.train, schema)) as tf.Tensor).dataSync());
    expect(js.length).toBe(expected.length);
    for (let i = 0; i < js.length; i++) expect(js[i]).toBeCloseTo(expected[i]!, 4);
    disposeModel(model);
  });

  it('defining and disposing a model leaves no tensor behind (shared embedding and wide start kernel included)', () => {
    disposeModel(defineModel(schema, 3)); // tfjs-layers caches one constant the first time
    const start = tf.memory().numTensors;
    for (const begin of ['stage1', 'heuristic', 'stage1'] as const) {
      const model = defineModel(schema, 3, begin);
      const wide = Array.from(model.getLayer('wide').getWeights()[0]!.dataSync());
      expect(wide.indexOf(1)).toBe(schema.dense.indexOf(begin));
      expect(wide.reduce((a, b) => a + b, 0)).toBe(1);
      disposeModel(model);
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps tf.memory().numTensors flat over 100 train/score cycles', { timeout: 120_000 }, async () => {
    const events = testShopper(catalog, 'toys', 40, 5);
    const set = buildTrainingSet(events, [], catalog, { schema, halfLifeMs: H, seed: 2 });
    expect(set.train.size).toBeGreaterThan(10);
    const model = defineModel(schema, 2);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      await trainModel(model, set.train, { schema, epochs: 1, batchSize: 64, learningRate: 0.001, seed: i, fineTune: { l2sp: 0.01, trainable: i % 2 ? 'head' : 'all' } });
      tf.tidy(() => (model.predict(toInputs(set.train, schema)) as tf.Tensor).dataSync());
      createScorer(readWeights(model, schema), schema)(set.train);
    }
    expect(tf.memory().numTensors).toBe(start);
    disposeModel(model);
  });
});
