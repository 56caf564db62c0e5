import * as tf from '@tensorflow/tfjs-core';
import type { IDBPDatabase } from 'idb';
import type { WeightSpec } from '../core/decode-weights';
import type { FeatureSchema } from '../core/feature-schema';
import type { ModelMeta } from '../storage/model-record';
import { CURRENT_MODEL } from '../storage/model-record';
import { loadModelRecord, saveModelRecord } from '../storage/model-store';
import type { LocalRankSchema } from '../storage/schema';

/** Joins tfjs weight data (one buffer or several) into one ArrayBuffer. */
export function joinWeightData(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
}

/**
 * A tfjs `IOHandler` over LocalRank's own IndexedDB database (not `indexeddb://`, which would create a second
 * database and does not exist in Node): `model.save(handler)` writes the topology, the weights and their
 * metadata as one record in one transaction, so they cannot drift apart; `tf.loadLayersModel(handler)` reads it.
 * Refuses to save weights containing NaN or Infinity.
 */
export function createRecordHandler(db: IDBPDatabase<LocalRankSchema>, schema: FeatureSchema, meta?: Omit<ModelMeta, 'bytes'>): tf.io.IOHandler {
  return {
    async save(artifacts) {
      if (!meta) throw new Error('this handler was created for loading only');
      if (!artifacts.weightData || !artifacts.weightSpecs) throw new Error('no weights to save');
      const weightData = joinWeightData(artifacts.weightData);
      const values = new Float32Array(weightData);
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i]!)) throw new Error('refusing to save a model with NaN/Inf weights');
      }
      await saveModelRecord(db, {
        key: CURRENT_MODEL,
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })),
        weightData,
        schema,
        meta: { ...meta, bytes: weightData.byteLength },
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const record = await loadModelRecord(db);
      if (!record) throw new Error('no stored model');
      return {
        modelTopology: record.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: record.weightSpecs.map((s: WeightSpec) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype as 'float32' })),
        weightData: record.weightData,
      };
    },
  };
}
