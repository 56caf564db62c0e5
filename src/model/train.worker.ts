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
import { buildTrainingSet, engagedProducts } from '../core/build-training-set';
import type { ModelWeights } from '../core/create-scorer';
import { compileScoreKernel } from '../core/compile-score-kernel';
import { createScorer, weightsAreFinite } from '../core/create-scorer';
import type { FeatureBatch } from '../core/featurize';
import type { NeighbourIndex } from '../core/neighbour-index';
import { decodeNeighbourIndex, packNeighbourIndex } from '../core/neighbour-index';
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
import { trainOnDevice } from './train-on-device';
import { readWeights, toInputs, trainModel } from './train-model';
import type { FromWorker, ToWorker, TrainProgress } from './worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

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
/** The shop's neighbour index, shipped beside the base model (`neighbours.json`), if any. */
let index: NeighbourIndex | undefined;
/** Set once the WebGL backend's context is lost: from then on every tensor on it is garbage. */
let contextLost = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function progress(p: TrainProgress): void {
  post({ type: 'progress', progress: p });
}

/** The WebGL context of tfjs's webgl backend, when that backend is in use. */
function webglContext(): WebGL2RenderingContext | undefined {
  if (choice?.backend !== 'webgl' || tf.getBackend() !== 'webgl') return undefined;
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
}

/**
 * Whether the WebGL context is lost; reports it to the main thread once. tfjs 4.x only drops its cached context on
 * `webglcontextlost`: the backend keeps the dead one, kernels become no-ops and reads return garbage, so a run
 * that goes on "trains" nonsense weights (tensorflow/tfjs#756). Checked between batches and before saving.
 */
function lostContext(): boolean {
  if (contextLost) return true;
  if (!webglContext()?.isContextLost()) return false;
  contextLost = true;
  post({ type: 'context-lost', message: 'the WebGL context of the training worker was lost' });
  return true;
}

/** Reports a lost context as soon as the browser says so, even when no batch is running to notice it. */
function watchContext(): void {
  const canvas = webglContext()?.canvas;
  if (canvas && 'addEventListener' in canvas) canvas.addEventListener('webglcontextlost', () => void lostContext());
}

function postModel(weights: ModelWeights, meta: ModelMeta, saved: boolean): void {
  const copy: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(weights)) copy[k] = v.slice();
  post({ type: 'model', weights: copy, schema, meta, saved }, Object.values(copy).map((a) => a.buffer as ArrayBuffer));
}

/** The catalog's parts as they arrive (see `catalog-part`), and how many `init` said would come. */
const parts: Product[] = [];
let partsSeen = 0;
let partsWanted = Infinity;
let catalogComplete!: () => void;
const catalogArrived = new Promise<void>((resolve) => (catalogComplete = resolve));

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  partsWanted = msg.catalogParts;
  if (partsSeen >= partsWanted) catalogComplete();
  halfLifeMs = msg.halfLifeMs;
  seed = msg.seed;
  const wasmPaths = {
    'tfjs-backend-wasm.wasm': new URL(wasmPlain, import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, import.meta.url).href,
  };
  choice = await chooseBackend(msg.backend, wasmPaths);
  post({ type: 'backend', choice });
  // WebAssembly runs here: compile the page's SIMD score kernel too. The page instantiates the module without
  // compiling, so a policy its HTML alone carries (which does not reach this worker) never sees a compile.
  if (choice.backend === 'wasm') void compileScoreKernel().then((module) => module && post({ type: 'kernel', module }));
  watchContext();
  try {
    db = await openDatabase(msg.dbName);
  } catch (error) {
    post({ type: 'error', code: 'LR_MODEL_SAVE', message: `Models cannot be stored (${String(error)}); they live for this page only.` });
  }
  // The catalog's parts arrive while the backend loads; the schema needs its categories.
  await catalogArrived;
  catalog = parts;
  byId = new Map(catalog.map((p) => [p.id, p]));
  const categories = [...new Set(catalog.map((p) => p.category))];
  schema = defaultSchema(categories);
  if (msg.baseModelUrl) await loadNeighbours(msg.baseModelUrl);
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

/**
 * Loads the shop's neighbour index (`neighbours.json` beside the base model). Optional: a base model without one
 * still works (its neighbourhood features are 0); a broken one is reported and ignored.
 */
async function loadNeighbours(url: string): Promise<void> {
  const base = url.endsWith('/') ? url : `${url}/`;
  try {
    const res = await fetch(new URL('neighbours.json', base));
    if (res.status === 404) return;
    if (!res.ok) throw new Error(`HTTP ${res.status} for neighbours.json`);
    index = decodeNeighbourIndex(await res.json());
    const packed = packNeighbourIndex(index);
    const arrays = [packed.counts, packed.similarStart, packed.similarIds, packed.similarScores, packed.nextStart, packed.nextIds, packed.nextScores];
    post({ type: 'neighbours', index: packed }, arrays.map((a) => a.buffer as ArrayBuffer));
  } catch (error) {
    index = undefined;
    post({ type: 'error', code: 'LR_MODEL_LOAD', message: `The neighbour lists at ${base} could not be used (${String(error)}); ranking goes on without them.` });
  }
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


async function train(msg: Extract<ToWorker, { type: 'train' }>): Promise<{ accepted: boolean; stopped: boolean; failed?: boolean }> {
  stopRequested = false;
  // The main thread restarts a worker whose context is lost; until then nothing more runs on it.
  if (lostContext()) return { accepted: false, stopped: false, failed: true };
  const runOrigin: TrainProgress['origin'] = model ? (origin === 'base' ? 'base' : 'device') : 'scratch';
  const result = await trainOnDevice({
    model,
    origin: runOrigin,
    events: msg.events,
    counters: msg.counters,
    catalog,
    schema,
    halfLifeMs,
    seed,
    index,
    shouldStop: () => stopRequested || lostContext(),
    // After a context loss the main thread reports the run as failed; a "stopped" from here would be wrong.
    onProgress: (p) => {
      if (!lostContext()) progress(p);
    },
  });
  // Weights read from a lost context are garbage, even when they look finite and validate: never save them.
  if (lostContext()) return { accepted: false, stopped: false, failed: true };
  if (result.error) post({ type: 'error', code: 'LR_MODEL_TRAIN', message: `Training failed (${result.error}); the previous model is kept.` });
  if (!result.accepted || !result.model || !result.weights) return { accepted: false, stopped: result.stopped, failed: !!result.error };
  model = result.model;
  const m = meta(engagedProducts(msg.events, byId), result.validation);
  let saved = false;
  if (db) {
    try {
      await model.save(createRecordHandler(db, schema, m));
      saved = true;
    } catch (error) {
      post({ type: 'error', code: 'LR_MODEL_SAVE', message: `The model could not be saved (${String(error)}); it is used for this page only.` });
    }
  }
  postModel(result.weights, { ...m, bytes: Object.values(result.weights).reduce((n, w) => n + w.byteLength, 0) }, saved);
  progress({ phase: 'done', origin: runOrigin, validation: result.validation, examples: result.examples, loss: result.losses.at(-1) });
  return { accepted: true, stopped: false };
}

async function memoryCycles(cycles: number): Promise<{ before: number; after: number }> {
  const synthetic = catalog.slice(0, 40).map((p, i) => ({ type: i % 3 ? 'impression' : 'click', productId: p.id, time: 1_700_000_000_000 + i * 60_000, context: { page: 'test' } }) as const);
  const set = buildTrainingSet(synthetic, [], catalog, { schema, halfLifeMs, seed });
  const probe = defineModel(schema, seed);
  const before = tf.memory().numTensors;
  for (let i = 0; i < cycles; i++) {
    await trainModel(probe, set.train, { schema, epochs: 1, batchSize: set.train.size, learningRate: 0.001, seed: i, fineTune: { l2sp: 0.01, trainable: i % 2 ? 'head' : 'all' } });
    createScorer(readWeights(probe, schema), schema)(set.train);
  }
  const after = tf.memory().numTensors;
  probe.dispose();
  return { before, after };
}

/** Scores batches with the current model's tfjs graph on the chosen backend (not the typed-array scorer). */
function scoreBatches(batches: readonly FeatureBatch[]): Float32Array[] {
  const current = model;
  if (!current) return [];
  return batches.map((batch) =>
    tf.tidy(() => {
      const logits = current.predict(toInputs(batch, schema)) as tf.Tensor;
      return logits.dataSync() as Float32Array;
    }),
  );
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    ready = init(msg).catch((error: unknown) => {
      post({ type: 'error', code: 'LR_MODEL_BACKEND', message: `The training worker could not start (${String(error)}).` });
    });
  } else if (msg.type === 'catalog-part') {
    for (const p of msg.products) parts.push(p);
    if (++partsSeen >= partsWanted) catalogComplete();
  } else if (msg.type === 'stop') {
    stopRequested = true;
  } else if (msg.type === 'train') {
    void (ready ?? Promise.resolve())
      .then(() => train(msg))
      .catch((error: unknown) => {
        // Anything outside trainOnDevice's own guard (building examples, the IOHandler): report it, never hang the caller.
        post({ type: 'error', code: 'LR_MODEL_TRAIN', message: `Training failed (${String(error)}); the previous model is kept.` });
        return { accepted: false, stopped: false, failed: true };
      })
      .then(({ accepted, stopped, failed }) => post({ type: 'trained', id: msg.id, accepted, stopped, failed }));
  } else if (msg.type === 'score') {
    void (ready ?? Promise.resolve())
      .then(() => scoreBatches(msg.batches))
      .catch(() => [] as Float32Array[])
      .then((scores) => post({ type: 'scores', id: msg.id, scores, backend: tf.getBackend() }));
  } else if (msg.type === 'memory-cycles') {
    void (ready ?? Promise.resolve())
      .then(() => memoryCycles(msg.cycles))
      .catch(() => ({ before: Number.NaN, after: Number.NaN }))
      .then(({ before, after }) => post({ type: 'memory', id: msg.id, before, after }));
  } else if (msg.type === 'tensor-memory') {
    void (ready ?? Promise.resolve()).then(() => {
      const { numTensors, numBytes, numDataBuffers } = tf.memory();
      post({ type: 'tensor-memory', id: msg.id, memory: { numTensors, numBytes, numDataBuffers, backend: tf.getBackend() } });
    });
  } else if (msg.type === 'lose-context') {
    // QA fault injection only (LocalRank.diagnose({ loseContext: true })): what a GPU reset does to this worker.
    void (ready ?? Promise.resolve()).then(() => {
      const extension = webglContext()?.getExtension('WEBGL_lose_context');
      extension?.loseContext();
      post({ type: 'context', id: msg.id, lost: !!extension, backend: tf.getBackend() });
    });
  }
};
