/**
 * Trains the demo shop's base model (`public/model/`): the model a shop would train from its own history with
 * `localrank train`, here from simulated shoppers of the demo catalog (the catalog is generated, and so is this
 * history; no research dataset is used). Same `src/model` code as the browser, tfjs cpu backend in Node.
 *
 *   npm run model:demo            # writes public/model/model.json, weights.bin, feature-schema.json, neighbours.json
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { buildTrainingSet, concatLabelled, isPositive, meanReciprocalRank } from '../src/core/build-training-set';
import { buildNeighbourIndex } from '../src/core/neighbour-index';
import { writeModelFiles } from '../cli/write-model-files';
import type { RankingCase } from '../src/core/build-training-set';
import { createRandom } from '../src/core/create-random';
import { createScorer } from '../src/core/create-scorer';
import { defaultSchema, schemaHash, sparseFields } from '../src/core/feature-schema';
import { heuristicColumn } from '../src/core/featurize';
import type { Interaction } from '../src/core/interaction';
import { parseCatalog } from '../src/core/parse-catalog';
import type { Product } from '../src/core/product';
import { countParams, defineModel } from '../src/model/define-model';
import { readWeights, trainModel } from '../src/model/train-model';

const SEED = 20261127;
const SHOPPERS = 300;
const out = new URL('../public/model/', import.meta.url);

/** One simulated shopper: 1–2 favourite categories, a favourite brand, a price level; browses, clicks, buys. */
function simulate(catalog: readonly Product[], random: () => number, start: number): Interaction[] {
  const cats = [...new Set(catalog.map((p) => p.category))];
  const fav = [cats[Math.floor(random() * cats.length)]!];
  if (random() < 0.5) fav.push(cats[Math.floor(random() * cats.length)]!);
  const inFav = catalog.filter((p) => fav.includes(p.category));
  const brand = inFav[Math.floor(random() * inFav.length)]!.brand;
  const cheap = random() < 0.5;
  const prices = inFav.map((p) => p.price ?? 0).sort((a, b) => a - b);
  const median = prices[Math.floor(prices.length / 2)] ?? 0;
  const events: Interaction[] = [];
  let t = start;
  const n = 30 + Math.floor(random() * 90);
  for (let i = 0; i < n; i++) {
    t += 10_000 + Math.floor(random() * 120_000);
    // What the shop shows: favourite categories half the time (navigation), popular items otherwise.
    const pool = random() < 0.5 ? inFav : catalog;
    const p = pool[Math.floor(random() * pool.length)]!;
    if (!p.inStock) continue;
    events.push({ type: 'impression', productId: p.id, time: t, context: { page: 'category' } });
    let want = fav.includes(p.category) ? 0.35 : 0.03;
    if (p.brand === brand) want += 0.2;
    if ((p.price ?? 0) <= median === cheap) want += 0.1;
    want += 0.1 * Math.min(1, p.popularity / 1000);
    if (random() < want) {
      events.push({ type: 'click', productId: p.id, time: t + 2000, context: { page: 'category' } });
      events.push({ type: 'dwell', productId: p.id, time: t + 30_000, dwellMs: 5000 + Math.floor(random() * 40_000), context: { page: 'product' } });
      if (random() < 0.35) events.push({ type: 'add-to-cart', productId: p.id, time: t + 31_000, context: { page: 'product' } });
      if (random() < 0.12) events.push({ type: 'purchase', productId: p.id, time: t + 90_000, context: { page: 'cart' } });
    }
  }
  return events;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const parsed = parseCatalog(JSON.parse(readFileSync(new URL('../public/catalog.json', import.meta.url), 'utf8')));
  const catalog = parsed.products;
  const schema = defaultSchema([...new Set(catalog.map((p) => p.category))]);
  const random = createRandom(SEED);
  const halfLifeMs = 14 * 86_400_000;
  const train = [];
  const validation: RankingCase[] = [];
  const shoppers = Array.from({ length: SHOPPERS }, (_, s) => simulate(catalog, random, 1_780_000_000_000 + s * 3_600_000));
  // The shop's neighbour lists, from what the simulated shoppers engaged with (shipped as neighbours.json). While
  // training, a shopper's features come from the lists of the *other* half of the shoppers: lists that include the
  // shopper's own later clicks would give the answers away (validation MRR 0.997 when we did that).
  const positives = shoppers.map((events) => events.filter(isPositive).map((e) => e.productId!));
  const index = buildNeighbourIndex(positives);
  const halves = [0, 1].map((h) => buildNeighbourIndex(positives.filter((_, s) => s % 2 !== h)));
  for (let s = 0; s < SHOPPERS; s++) {
    const events = shoppers[s]!;
    const set = buildTrainingSet(events, [], catalog, { schema, halfLifeMs, seed: SEED + s, index: halves[s % 2] });
    train.push(set.train);
    validation.push(...set.validation);
  }
  const data = concatLabelled(train, sparseFields(schema), schema.dense.length);
  const model = defineModel(schema, SEED);
  const heuristic = meanReciprocalRank(validation, (b) => heuristicColumn(b, schema));
  const t0 = Date.now();
  const { losses } = await trainModel(model, data, {
    schema,
    epochs: 5,
    batchSize: 128,
    learningRate: 0.005,
    seed: SEED,
    onEpoch: (e, loss) => console.log(`epoch ${e + 1}: loss ${loss.toFixed(4)}`),
  });
  const mrr = meanReciprocalRank(validation, createScorer(readWeights(model, schema), schema));
  const sizes = await writeModelFiles(fileURLToPath(out), model, schema, index, 'LocalRank scripts/train-demo-model.ts');
  console.log(
    JSON.stringify({
      shoppers: SHOPPERS,
      examples: data.size,
      validationCases: validation.length,
      params: countParams(model),
      files: sizes,
      schemaHash: schemaHash(schema),
      losses: losses.map((l) => +l.toFixed(4)),
      validationMRR: { model: +mrr.toFixed(4), heuristic: +heuristic.toFixed(4) },
      trainSeconds: (Date.now() - t0) / 1000,
    }),
  );
  model.dispose();
}

void main();
