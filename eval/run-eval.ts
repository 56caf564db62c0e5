/**
 * Offline evaluation: popular, itemknn, model_base, model_device, model_scratch in one run.
 *
 *   npm run eval -- --data ../shared/datasets/amazon-beauty/Beauty.txt --attributes …/Beauty_item2attributes.json
 *                   [--format s3rec|events] [--json out.json] [--users N] [--seed S] [--device-users 1000]
 *                   [--methods popular,itemknn,model_base,model_device,model_scratch] [--backend wasm|cpu] [--epochs E]
 *
 * Protocol: S3-Rec leave-one-out (see eval/leave-one-out.ts). Hyper-parameters are chosen on the validation stage
 * (itemknn) or on shoppers held out of the training portion (model_base); the test stage is read once per method.
 * `--users N` evaluates a seeded sample of N users (statistics and training still use every user's training part).
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { defaultSchema } from '../src/core/feature-schema';
import { buildNeighbourIndex, encodeNeighbourIndex } from '../src/core/neighbour-index';
import { countParams } from '../src/model/define-model';
import '../src/model/hashed-embedding';
import { trainBaseModel } from '../src/model/train-base-model';
import { readWeights } from '../src/model/train-model';
import type { TypesOf } from './model-methods';
import type { EvalOutput } from './write-report';
import { BEAUTY_PUBLISHED, writeReport } from './write-report';
import { catalogFor, deviceRuns, modelScorer, widgetScorer } from './model-methods';
import { parseArgs } from 'node:util';
import { createRandom } from '../src/core/create-random';
import type { ItemKnnParams } from './baselines';
import { fitItemKnn, fitPopular } from './baselines';
import type { MethodResult } from './evaluate';
import { evaluate } from './evaluate';
import { indexSequences, stageView } from './leave-one-out';
import { InputError, loadEventsCsv, loadS3Rec } from './load-sequences';

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  const random = createRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      attributes: { type: 'string' },
      format: { type: 'string', default: 's3rec' },
      json: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string', default: '42' },
      methods: { type: 'string', default: 'popular,itemknn,model_base,model_device,model_scratch' },
      backend: { type: 'string', default: 'wasm' },
      epochs: { type: 'string' },
      neighbours: { type: 'string', default: '50' },
      'device-users': { type: 'string', default: '1000' },
    },
  });
  if (!values.data) throw new Error('--data <file> is required');
  const seed = Number(values.seed);
  const loaded = values.format === 'events' ? loadEventsCsv(values.data) : loadS3Rec(values.data, values.attributes);
  const data = indexSequences(loaded.sequences);
  const items = data.items.length;
  const valid = stageView(data, 'valid');
  const test = stageView(data, 'test');
  let users: number[] | undefined;
  if (values.users) {
    const n = Number(values.users);
    const random = createRandom(seed);
    const all = data.users.map((_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    users = all.slice(0, n).sort((a, b) => a - b);
  }
  const timings: Record<string, number> = {};
  const results: Record<string, MethodResult & { params?: unknown; validation?: Record<string, number> }> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const out = f();
    timings[name] = +((performance.now() - t0) / 1000).toFixed(2);
    return out;
  };

  const methods = new Set(values.methods!.split(','));
  await tf.setBackend(values.backend!);
  const typesOf: TypesOf = (u, n) => ('types' in loaded ? (loaded.types as ReadonlyMap<string, readonly string[]>).get(data.users[u]!)?.slice(0, n) : undefined);
  if (methods.has('popular')) timed('popular', () => {
    const v = evaluate(fitPopular(valid.histories, items), valid, data.sequences, items, seed, users);
    const t = evaluate(fitPopular(test.histories, items), test, data.sequences, items, seed, users);
    results.popular = { ...t, validation: v.full };
  });

  if (methods.has('itemknn')) timed('itemknn', () => {
    // Tuned on the validation stage only (NDCG@10, full ranking); the test stage is read once with the winner.
    const grid: ItemKnnParams[] = [];
    for (const neighbours of [50, 200]) for (const decay of [1, 0.7, 0.4]) for (const transitions of [0, 1, 3]) grid.push({ neighbours, decay, transitions, shrink: 5 });
    let best: { params: ItemKnnParams; v: MethodResult } | undefined;
    for (const params of grid) {
      const v = evaluate(fitItemKnn(valid.histories, items, params), valid, data.sequences, items, seed, users);
      if (!best || v.full['NDCG@10']! > best.v.full['NDCG@10']!) best = { params, v };
    }
    const t = evaluate(fitItemKnn(test.histories, items, best!.params), test, data.sequences, items, seed, users);
    results.itemknn = { ...t, params: best!.params, validation: best!.v.full };
  });

  let model: { params: number; bytes: number; neighbours_bytes: number; neighbours_gzip_bytes: number } | undefined;
  if (methods.has('model_base')) {
    const t0 = performance.now();
    const schema = defaultSchema();
    const trainCatalog = catalogFor(data, loaded, valid.histories);
    const histories = valid.histories.map((h, u) => ({ items: Array.from(h, (i) => data.items[i]!), types: typesOf(u, h.length) }));
    const base = await trainBaseModel(histories, trainCatalog, {
      schema,
      seed,
      ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
      neighbourParams: { neighbours: Number(values.neighbours) },
      onProgress: (p) => console.error(`model_base ${p.phase} ${p.done}/${p.total}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)} holdout NDCG@10 ${p.holdout?.toFixed(4)}` : ''}`),
    });
    timings.model_base_train = +((performance.now() - t0) / 1000).toFixed(2);
    console.error(JSON.stringify(base.report));
    const weights = readWeights(base.model, schema);
    const userOf = (h: Int32Array): number => userByHistory.get(h) ?? -1;
    const userByHistory = new Map<Int32Array, number>();
    valid.histories.forEach((h, u) => userByHistory.set(h, u));
    test.histories.forEach((h, u) => userByHistory.set(h, u));
    const K = 100;
    const v = timed('model_base_valid', () => evaluate(modelScorer(() => weights, schema, base.index, trainCatalog, data, K, typesOf, userOf), valid, data.sequences, items, seed, users));
    const testIndex = buildNeighbourIndex(
      test.histories.map((h) => Array.from(h, (i) => data.items[i]!)),
      base.index.params,
    );
    const testCatalog = catalogFor(data, loaded, test.histories);
    const t = timed('model_base_test', () => evaluate(modelScorer(() => weights, schema, testIndex, testCatalog, data, K, typesOf, userOf), test, data.sequences, items, seed, users));
    results.model_base = { ...t, validation: v.full, train: base.report } as never;
    const neighboursJson = JSON.stringify(encodeNeighbourIndex(testIndex));
    model = { params: countParams(base.model), bytes: Object.values(weights).reduce((n, w) => n + w.byteLength, 0), neighbours_bytes: Buffer.byteLength(neighboursJson), neighbours_gzip_bytes: gzipSync(neighboursJson).byteLength };

    // Per-user variants on a fixed random sample (the browser's training code once per user is the slow part).
    const eligible = (users ?? data.users.map((_, i) => i)).filter((u) => test.targets[u]! >= 0);
    const sample = shuffled(eligible, seed ^ 0x2545f491).slice(0, Number(values['device-users'])).sort((a, b) => a - b);
    const note = `per-user on-device training on a fixed random sample of ${sample.length} of ${eligible.length} users (seed ${seed}); model_base and itemknn on the same users are in "same_sample"`;
    const sameSample = { model_base: evaluate(modelScorer(() => weights, schema, testIndex, testCatalog, data, K, typesOf, userOf), test, data.sequences, items, seed, sample).full } as Record<string, Record<string, number>>;
    if (results.itemknn) sameSample.itemknn = evaluate(fitItemKnn(test.histories, items, results.itemknn.params as ItemKnnParams), test, data.sequences, items, seed, sample).full;
    if (methods.has('model_device')) {
      const t1 = performance.now();
      // The shop's lists do not know this shopper (their events stay on their device): for the fine-tune, the index
      // is built without the sampled users; ranking the test item then uses the protocol's index, as for model_base.
      const inSample = new Set(sample);
      const shopIndex = buildNeighbourIndex(
        test.histories.filter((_, u) => !inSample.has(u)).map((h) => Array.from(h, (i) => data.items[i]!)),
        base.index.params,
      );
      const runs = await deviceRuns(sample, test.histories, data, testCatalog, schema, seed, typesOf, { weights, index: shopIndex }, (n) => n % 100 === 0 && console.error(`model_device ${n}/${sample.length}`));
      const r = evaluate(modelScorer((h) => runs.weights.get(userOf(h)) ?? weights, schema, testIndex, testCatalog, data, K, typesOf, userOf), test, data.sequences, items, seed, sample);
      timings.model_device = +((performance.now() - t1) / 1000).toFixed(2);
      results.model_device = { ...r, note, accepted: runs.accepted, fine_tune_s_per_user: +runs.secondsPerUser.toFixed(4), same_sample: sameSample } as never;
    }
    if (methods.has('model_scratch')) {
      const t1 = performance.now();
      const runs = await deviceRuns(sample, test.histories, data, testCatalog, schema, seed, typesOf, undefined, (n) => n % 100 === 0 && console.error(`model_scratch ${n}/${sample.length}`));
      const r = evaluate(widgetScorer((h) => runs.weights.get(userOf(h)), schema, testCatalog, data, typesOf, userOf), test, data.sequences, items, seed, sample);
      timings.model_scratch = +((performance.now() - t1) / 1000).toFixed(2);
      results.model_scratch = { ...r, note: `${note}; a rejected run ranks with the heuristic, as the widget does`, accepted: runs.accepted, train_s_per_user: +runs.secondsPerUser.toFixed(4), same_sample: sameSample } as never;
    }
  }

  const out = {
    dataset: values.data.split('/').slice(-2).join('/'),
    users: users?.length ?? data.users.length,
    items,
    protocol: 'leave-one-out (S3-Rec): last item = test, second-to-last = validation; full ranking excludes the history; sampled99 = 99 uniform negatives never interacted with',
    seed,
    results,
    model,
    timings_s: timings,
  };
  const text = JSON.stringify(out, null, 2);
  if (values.json) {
    writeFileSync(values.json, text + '\n');
    const isBeauty = /beauty/i.test(values.data);
    const paths = writeReport(out as EvalOutput, values.json, isBeauty ? BEAUTY_PUBLISHED : undefined);
    console.error(`localrank eval: wrote ${values.json}, ${paths.markdown}, ${paths.svg}`);
  }
  console.log(text);
}

main().catch((error: unknown) => {
  console.error(error instanceof InputError ? `localrank eval: ${error.message}` : `localrank eval: ${(error as Error).message}`);
  process.exitCode = 1;
});
