/// <reference lib="webworker" />
/**
 * The training worker: everything tfjs runs here, off the main thread. It chooses the backend, loads the stored
 * or the shop's base model, trains / fine-tunes on the shopper's log when asked, validates, saves through the
 * IndexedDB IOHandler, and posts the accepted weights back (the main thread ranks with a typed-array forward pass).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { IDBPDatabase } from 'idb';
import { buildTrainingSet, engagedProducts, meanReciprocalRank } from '../core/build-training-set';
import type { ModelWeights } from '../core/create-scorer';
import { createScorer, weightsAreFinite } from '../core/create-scorer';
import { heuristicColumn } from '../core/featurize';
import type { FeatureSchema } from '../core/feature-schema';
import { checkSchemaFits, defaultSchema, schemaHash } from '../core/feature-schema';
import type { Product } from '../core/product';
import type { ModelMeta } from '../storage/model-record';
import { loadModelRecord } from '../storage/model-store';
import { openDatabase } from '../storage/open-database';
import type { LocalRankSchema } from '../storage/schema';
import type { BackendChoice } from './choose-backend';
import { chooseBackend } from './choose-backend';
import { createRecordHandler } from './create-record-handler';
import { countParams, defineModel } from './define-model';
import './hashed-embedding';
import { readWeights, trainModel } from './train-model';
import type { FromWorker, ToWorker, TrainProgress } from './worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Training settings. From scratch: all weights; fine-tuning: the dense head only, pulled toward the old weights. */
const SCRATCH = { epochs: 12, learningRate: 0.01, batchSize: 32 } as const;
const FINE_TUNE = { epochs: 6, learningRate: 0.003, batchSize: 32, l2sp: 0.01 } as const;
const MODEL_VERSION = 1;

let ready: Promise<void> | undefined;
let choice: BackendChoice | undefined;
let db: IDBPDatabase<LocalRankSchema> | undefined;
let catalog: readonly Product[] = [];
let byId: ReadonlyMap<string, Product> = new Map();
let halfLifeMs = 14 * 86_400_000;
let seed = 1;
let schema: FeatureSchema = defaultSchema();
let model: tfl.LayersModel | undefined;
let origin: ModelMeta['origin'] = 'scratch';
let stopRequested = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function progress(p: TrainProgress): void {
  post({ type: 'progress', progress: p });
}

function postModel(weights: ModelWeights, meta: ModelMeta, saved: boolean): void {
  const copy: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(weights)) copy[k] = v.slice();
  post({ type: 'model', weights: copy, schema, meta, saved }, Object.values(copy).map((a) => a.buffer as ArrayBuffer));
}

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  catalog = msg.catalog;
  byId = new Map(catalog.map((p) => [p.id, p]));
  halfLifeMs = msg.halfLifeMs;
  seed = msg.seed;
  const categories = [...new Set(catalog.map((p) => p.category))];
  schema = defaultSchema(categories);
  const wasmPaths = {
    'tfjs-backend-wasm.wasm': new URL(wasmPlain, import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, import.meta.url).href,
  };
  choice = await chooseBackend(msg.backend, wasmPaths);
  post({ type: 'backend', choice });
  try {
    db = await openDatabase(msg.dbName);
  } catch (error) {
    post({ type: 'error', code: 'LR_MODEL_SAVE', message: `Models cannot be stored (${String(error)}); they live for this page only.` });
  }
  const stored = db ? await loadModelRecord(db).catch(() => undefined) : undefined;
  if (stored && schemaHash(stored.schema) === schemaHash(schema) && db) {
    try {
      model = await tfl.loadLayersModel(createRecordHandler(db, stored.schema));
      schema = stored.schema;
      origin = stored.meta.origin;
      return; // the main thread already ranks with the stored weights
    } catch (error) {
      post({ type: 'error', code: 'LR_MODEL_LOAD', message: `The stored model could not be loaded (${String(error)}); training anew.` });
    }
  }
  if (msg.baseModelUrl) await loadBase(msg.baseModelUrl, categories);
}

async function loadBase(url: string, categories: readonly string[]): Promise<void> {
  const base = url.endsWith('/') ? url : `${url}/`;
  try {
    const res = await fetch(new URL('feature-schema.json', base));
    if (!res.ok) throw new Error(`HTTP ${res.status} for feature-schema.json`);
    const baseSchema: unknown = await res.json();
    const fit = checkSchemaFits(baseSchema, schema, categories);
    if (!fit.ok) {
      post({ type: 'error', code: 'LR_MODEL_SCHEMA', message: `The base model at ${base} was refused: ${fit.reason}. Training on the device from scratch instead.` });
      return;
    }
    const loaded = await tfl.loadLayersModel(new URL('model.json', base).href);
    const weights = readWeights(loaded, schema);
    if (!weightsAreFinite(weights)) throw new Error('the base model has NaN/Inf weights');
    createScorer(weights, schema); // throws when shapes do not fit
    model = loaded;
    schema = baseSchema as FeatureSchema;
    origin = 'base';
    postModel(weights, meta(0, undefined), false);
  } catch (error) {
    model?.dispose();
    model = undefined;
    post({ type: 'error', code: 'LR_MODEL_LOAD', message: `The base model at ${base} could not be loaded (${String(error)}). Training on the device from scratch instead.` });
  }
}

function meta(eventsSeen: number, validation: ModelMeta['validation'], bytes = 0): ModelMeta {
  return {
    modelVersion: MODEL_VERSION,
    schemaHash: schemaHash(schema),
    backend: choice?.backend ?? 'unknown',
    eventsSeen,
    trainedAt: Date.now(),
    validation,
    origin,
    params: model ? countParams(model) : 0,
    bytes,
  };
}


async function train(msg: Extract<ToWorker, { type: 'train' }>): Promise<{ accepted: boolean; stopped: boolean }> {
  stopRequested = false;
  const set = buildTrainingSet(msg.events, msg.counters, catalog, { schema, halfLifeMs, seed });
  const runOrigin: TrainProgress['origin'] = model ? (origin === 'base' ? 'base' : 'device') : 'scratch';
  if (set.train.size === 0) {
    progress({ phase: 'rejected', origin: runOrigin, examples: 0, message: 'no training examples yet' });
    return { accepted: false, stopped: false };
  }
  const fresh = !model;
  const current = model ?? defineModel(schema, seed);
  const previous = fresh ? undefined : current.getWeights().map((w) => w.clone());
  const score = () => createScorer(readWeights(current, schema), schema);
  const heuristic = meanReciprocalRank(set.validation, (b) => heuristicColumn(b, schema));
  const before = fresh ? 0 : meanReciprocalRank(set.validation, score());
  const settings = fresh ? SCRATCH : FINE_TUNE;
  let best: { mrr: number; weights: tf.Tensor[]; epoch: number } = { mrr: -1, weights: [], epoch: 0 };
  progress({ phase: 'start', origin: runOrigin, epochs: settings.epochs, examples: set.train.size });
  try {
    const result = await trainModel(current, set.train, {
      schema,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed,
      ...(fresh ? {} : { fineTune: { l2sp: FINE_TUNE.l2sp, trainable: 'head' as const } }),
      shouldStop: () => stopRequested,
      onEpoch: (epoch, loss) => {
        // Early stopping on the shopper's own most recent positives: remember the best epoch's weights.
        const mrr = meanReciprocalRank(set.validation, score());
        if (mrr > best.mrr) {
          tf.dispose(best.weights);
          best = { mrr, weights: current.getWeights().map((w) => w.clone()), epoch: epoch + 1 };
        }
        progress({ phase: 'epoch', origin: runOrigin, epoch: epoch + 1, epochs: settings.epochs, loss, validation: { model: mrr, heuristic, cases: set.validation.length } });
      },
    });
    if (best.weights.length) current.setWeights(best.weights);
    const weights = readWeights(current, schema);
    const after = meanReciprocalRank(set.validation, createScorer(weights, schema));
    const validation = { model: after, heuristic, ...(fresh ? {} : { before }), cases: set.validation.length };
    // Keep the change only if the shopper's own most recent positives are ranked at least as well as before this
    // run: by the model being fine-tuned (a few events must not wreck a good model), or — for a model trained from
    // scratch — by the heuristic it would replace.
    const accepted = !result.stopped && weightsAreFinite(weights) && after >= (fresh ? heuristic : before);
    if (!accepted) {
      if (previous) current.setWeights(previous);
      else current.dispose();
      progress({ phase: result.stopped ? 'stopped' : 'rejected', origin: runOrigin, validation, examples: set.train.size });
      return { accepted: false, stopped: result.stopped };
    }
    model = current;
    const m = meta(engagedProducts(msg.events, byId), validation);
    let saved = false;
    if (db) {
      try {
        await current.save(createRecordHandler(db, schema, m));
        saved = true;
      } catch (error) {
        post({ type: 'error', code: 'LR_MODEL_SAVE', message: `The model could not be saved (${String(error)}); it is used for this page only.` });
      }
    }
    postModel(weights, { ...m, bytes: Object.values(weights).reduce((n, w) => n + w.byteLength, 0) }, saved);
    progress({ phase: 'done', origin: runOrigin, validation, examples: set.train.size, loss: result.losses.at(-1) });
    return { accepted: true, stopped: false };
  } catch (error) {
    if (previous) current.setWeights(previous);
    else if (current !== model) current.dispose();
    progress({ phase: 'failed', origin: runOrigin, message: String(error) });
    post({ type: 'error', code: 'LR_MODEL_TRAIN', message: `Training failed (${String(error)}); the previous model is kept.` });
    return { accepted: false, stopped: false };
  } finally {
    tf.dispose(previous ?? []);
    tf.dispose(best.weights);
  }
}

async function memoryCycles(cycles: number): Promise<{ before: number; after: number }> {
  const synthetic = catalog.slice(0, 40).map((p, i) => ({ type: i % 3 ? 'impression' : 'click', productId: p.id, time: 1_700_000_000_000 + i * 60_000, context: { page: 'test' } }) as const);
  const set = buildTrainingSet(synthetic, [], catalog, { schema, halfLifeMs, seed });
  const probe = defineModel(schema, seed);
  const before = tf.memory().numTensors;
  for (let i = 0; i < cycles; i++) {
    await trainModel(probe, set.train, { schema, epochs: 1, batchSize: 64, learningRate: 0.001, seed: i, fineTune: { l2sp: 0.01, trainable: i % 2 ? 'head' : 'all' } });
    createScorer(readWeights(probe, schema), schema)(set.train);
  }
  const after = tf.memory().numTensors;
  probe.dispose();
  return { before, after };
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    ready = init(msg).catch((error: unknown) => {
      post({ type: 'error', code: 'LR_MODEL_BACKEND', message: `The training worker could not start (${String(error)}).` });
    });
  } else if (msg.type === 'stop') {
    stopRequested = true;
  } else if (msg.type === 'train') {
    void (ready ?? Promise.resolve())
      .then(() => train(msg))
      .then(({ accepted, stopped }) => post({ type: 'trained', id: msg.id, accepted, stopped }));
  } else if (msg.type === 'memory-cycles') {
    void (ready ?? Promise.resolve())
      .then(() => memoryCycles(msg.cycles))
      .then(({ before, after }) => post({ type: 'memory', id: msg.id, before, after }));
  }
};
