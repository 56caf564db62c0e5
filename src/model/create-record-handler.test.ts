import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingSet } from '../core/build-training-set';
import { createScorer } from '../core/create-scorer';
import { decodeWeights } from '../core/decode-weights';
import { defaultSchema, schemaHash } from '../core/feature-schema';
import { loadModelRecord } from '../storage/model-store';
import { openDatabase } from '../storage/open-database';
import { createRecordHandler } from './create-record-handler';
import { defineModel } from './define-model';
import { testCatalog, testShopper } from './test-shopper';
import { toInputs } from './train-model';

const catalog = testCatalog();
const schema = defaultSchema([...new Set(catalog.map((p) => p.category))]);
const meta = { modelVersion: 1, schemaHash: schemaHash(schema), backend: 'cpu', eventsSeen: 3, trainedAt: 1, validation: undefined, origin: 'scratch' as const, params: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('IndexedDB IOHandler', () => {
  it('saves weights and metadata in one record and loads the same model back (also in Node)', async () => {
    const db = await openDatabase('handler-test');
    const model = defineModel(schema, 4);
    await model.save(createRecordHandler(db, schema, meta));
    const record = await loadModelRecord(db);
    expect(record!.meta).toMatchObject({ schemaHash: schemaHash(schema), eventsSeen: 3, bytes: record!.weightData.byteLength });
    const loaded = await tfl.loadLayersModel(createRecordHandler(db, schema));
    const set = buildTrainingSet(testShopper(catalog, 'books', 40, 1), [], catalog, { schema, halfLifeMs: 1e9, seed: 1 });
    const a = tf.tidy(() => (model.predict(toInputs(set.train, schema)) as tf.Tensor).dataSync());
    const b = tf.tidy(() => (loaded.predict(toInputs(set.train, schema)) as tf.Tensor).dataSync());
    expect([...b]).toEqual([...a]);
    // The main thread decodes the same record without tfjs.
    const js = createScorer(decodeWeights(record!.weightSpecs, record!.weightData, schema), schema)(set.train);
    for (let i = 0; i < js.length; i++) expect(js[i]).toBeCloseTo(a[i]!, 4);
    model.dispose();
    loaded.dispose();
    db.close();
  });

  it('refuses to save NaN/Inf weights and keeps the stored model', async () => {
    const db = await openDatabase('handler-nan');
    const good = defineModel(schema, 1);
    await good.save(createRecordHandler(db, schema, meta));
    const before = await loadModelRecord(db);
    const bad = defineModel(schema, 2);
    bad.setWeights(bad.getWeights().map((w, i) => (i === 1 ? tf.fill(w.shape, NaN) : w)));
    await expect(bad.save(createRecordHandler(db, schema, { ...meta, eventsSeen: 99 }))).rejects.toThrow(/NaN\/Inf/);
    const after = await loadModelRecord(db);
    expect(after!.meta.eventsSeen).toBe(before!.meta.eventsSeen);
    expect(new Uint8Array(after!.weightData)).toEqual(new Uint8Array(before!.weightData));
    good.dispose();
    bad.dispose();
    db.close();
  });
});
