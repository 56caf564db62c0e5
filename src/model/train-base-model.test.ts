import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../core/create-random';
import { defaultSchema } from '../core/feature-schema';
import { historyProduct } from '../core/history-product';
import type { Product } from '../core/product';
import './hashed-embedding';
import { trainBaseModel } from './train-base-model';

const ITEMS = 60;
const catalog: Product[] = Array.from({ length: ITEMS }, (_, i) => historyProduct(`p${i}`, { title: `Product ${i}`, category: `c${i % 4}` }));

/** Shoppers mostly walk to the next product (p_i → p_i+1): a pattern only neighbour/transition features capture. */
function histories(n: number, seed: number) {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => {
    let i = Math.floor(random() * ITEMS);
    const items = [`p${i}`];
    while (items.length < 6) {
      i = random() < 0.85 ? (i + 1) % ITEMS : Math.floor(random() * ITEMS);
      if (!items.includes(`p${i}`)) items.push(`p${i}`);
    }
    return { items };
  });
}

describe('trainBaseModel', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('learns to rerank the neighbour candidates and ships an index built from every history', { timeout: 120_000 }, async () => {
    const data = histories(300, 1);
    const { model, index, report } = await trainBaseModel(data, catalog, { schema: defaultSchema(['c0', 'c1', 'c2', 'c3']), seed: 3, epochs: 3 });
    expect(report.trainShoppers + report.holdoutShoppers).toBe(300);
    expect(report.holdoutShoppers).toBe(30);
    expect(report.examples).toBeGreaterThan(report.trainShoppers * 5);
    // On this data the next product is almost always a neighbour of the last one.
    expect(report.candidateRecall).toBeGreaterThan(0.7);
    expect(report.holdoutNdcg10.model).toBeGreaterThan(0.3);
    expect(report.losses).toHaveLength(3);
    // The kept epoch is never worse on the held-out shoppers than the untrained model (which ranks like stage 1).
    expect(report.bestEpoch).toBeGreaterThanOrEqual(0);
    expect(report.bestEpoch).toBeLessThanOrEqual(3);
    expect(report.holdoutNdcg10.model).toBeGreaterThanOrEqual(report.holdoutNdcg10.stage1 - 0.02);
    // The shipped index includes the last items the training examples held back.
    expect(index.counts.get(data[0]!.items.at(-1)!)).toBeGreaterThan(0);
    expect(index.next.get('p5')!.ids[0]).toBe('p6');
    model.dispose();
  });

  it('refuses data too small to learn from, saying why', async () => {
    await expect(trainBaseModel(histories(5, 2), catalog, { schema: defaultSchema(), seed: 1 })).rejects.toThrow(/too little history to train on: 5 shoppers/);
  });
});
