import type { Counter } from '../core/counter';
import { isPositive } from '../core/build-training-set';
import { createEngagedCounter } from '../core/create-engaged-counter';
import { createModelRanker } from '../core/create-model-ranker';
import { weightsAreFinite } from '../core/create-scorer';
import type { ModelWeights, ScoreKernel } from '../core/create-scorer';
import { decodeWeights } from '../core/decode-weights';
import type { FeatureBatch } from '../core/featurize';
import type { NeighbourIndex } from '../core/neighbour-index';
import { createNeighbourUnpacker } from '../core/neighbour-index';
import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { FeatureSchema } from '../core/feature-schema';
import { defaultSchema, schemaHash } from '../core/feature-schema';
import type { Interaction } from '../core/interaction';
import type { LocalRankConfig } from '../core/parse-config';
import type { Product } from '../core/product';
import type { Ranker } from '../core/ranker';
import type { BackendChoice } from '../model/choose-backend';
import type { FromWorker, TensorMemory, ToWorker, TrainProgress } from '../model/worker-protocol';
import type { EventLog } from '../storage/event-log';
import type { ModelMeta } from '../storage/model-record';
import { loadModelRecord } from '../storage/model-store';
import { runInSlices } from './after-next-frame';

/**
 * Products per `catalog-part` message to the worker: structured cloning 50,000 products in its `init` message was
 * one main-thread task of 565 ms at 4× CPU throttling (a CPU profile). Parts of 500 were about 6 ms there, but some
 * slices that posted one were 27–54 ms (CPU profiles of 50,000-product loads); the slice budget can only stop between
 * parts, so they are smaller.
 */
export const CATALOG_PART = 100;

/** Products engaged with (click, cart, purchase, long dwell) before the first training run. */
export const MIN_POSITIVES = 5;
/** Newly engaged products that trigger an incremental fine-tune. */
export const RETRAIN_AFTER = 3;
/** Quiet time (no pointer/key input) required before training starts. */
export const IDLE_MS = 1500;
/** How often a training run due while the widgets are busy looks again, and how long it waits at most (ms). */
const BUSY_POLL_MS = 100;
const BUSY_WAIT_MS = 10_000;
/** Training-worker crashes or load failures after which this page stops starting it (the current ranker stays). */
export const MAX_WORKER_FAILURES = 2;
/** Neighbour lists unpacked between two looks at the clock (see `runInSlices`). */
const NEIGHBOUR_STEP = 10;

/** `status().model` */
export interface ModelStatus {
  readonly state: 'none' | 'training' | 'ready' | 'failed';
  /** Where the model in use came from: stored on this device, the shop's base model, or a run on this page. */
  readonly source?: 'indexeddb' | 'base' | 'trained';
  readonly origin?: ModelMeta['origin'];
  readonly eventsSeen: number;
  readonly trainedAt: number | undefined;
  readonly schemaHash?: string;
  readonly validation?: ModelMeta['validation'];
  readonly params?: number;
  readonly bytes?: number;
  /** Products in the shop's neighbour index (`neighbours.json` beside the base model), once loaded. */
  readonly neighbours?: number;
  /** Training runs finished on this page (accepted or not). */
  readonly runs: number;
  /**
   * How the page scores with the model: `simd`, the WebAssembly SIMD kernel (compiled by the training worker once it
   * runs tfjs on wasm on this page), or `plain`, the typed-array forward pass.
   */
  readonly scorer?: 'simd' | 'plain';
}

/** Platform hooks the embed layer provides (the widget layer touches no globals). */
export interface ModelPlatform {
  /** Starts the training worker (a module Worker). */
  readonly createWorker: () => Worker;
  /** Resolves when the page has been idle (no input for `ms`) — called before each training run. */
  readonly whenIdle: (ms: number) => Promise<void>;
  /** Subscribes to shopper input (pointerdown/keydown/touchstart); returns an unsubscribe. */
  readonly onInput: (callback: () => void) => () => void;
  /** Runs `task` holding an exclusive cross-tab lock, or resolves `false` at once if another tab holds it. */
  readonly withLock: (name: string, task: () => Promise<void>) => Promise<boolean>;
  /** Loads the SIMD score kernel's code for a module the worker compiled; `undefined` when it cannot (never rejects). */
  readonly scoreKernel?: (module: WebAssembly.Module) => Promise<ScoreKernel | undefined>;
}

/** Options of {@link connectModel}. */
export interface ConnectModelOptions {
  readonly config: LocalRankConfig;
  readonly log: EventLog;
  readonly products: readonly Product[];
  readonly byId: ReadonlyMap<string, Product>;
  readonly fallback: Ranker;
  readonly setRanker: (ranker: Ranker | undefined) => void;
  readonly state: () => { events: readonly Interaction[]; counters: readonly Counter[] };
  readonly platform: ModelPlatform;
  readonly emitTrain: (progress: TrainProgress) => void;
  readonly emitError: (error: LocalRankErrorInfo) => void;
  /**
   * Whether the page's widgets have work queued (a ranking or painting after the shopper's action): a training run
   * waits until they have none, so the worker does not compete for the CPU with what the shopper is waiting to see.
   */
  readonly busy?: () => boolean;
}

/** The main-thread side of the model: status, scheduling, and the worker. */
export interface ModelController {
  /** Resolves once a stored model (if any) has been read and put to use. */
  readonly loaded: Promise<void>;
  status(): { backend: string; backendReason: string; webglVersion?: number; renderer?: string; model: ModelStatus };
  /** Call after the widgets' first render: starts work that needs tfjs only then. */
  start(): void;
  /** Tells the controller about an accepted interaction (may schedule a fine-tune). */
  observe(event: Interaction): void;
  /** Forgets the model (after `forgetMe`). */
  reset(): void;
  /**
   * Diagnostics: runs tiny train/score cycles in the worker; resolves tensor counts before and after, or
   * `undefined` when the worker could not run them (it failed or was restarted meanwhile).
   */
  memoryCycles(cycles: number): Promise<{ before: number; after: number } | undefined>;
  /**
   * Diagnostics: `tf.memory()` in the training worker; `undefined` when no worker runs (this never starts one, so
   * it never loads tfjs) or it could not answer.
   */
  tensorMemory(): Promise<TensorMemory | undefined>;
  /** Diagnostics: scores feature batches with the model's tfjs graph in the worker (parity with Node). */
  scoreInWorker(batches: readonly FeatureBatch[]): Promise<{ scores: readonly Float32Array[]; backend: string }>;
  /**
   * QA fault injection: loses the worker's WebGL context (`WEBGL_lose_context`), as a GPU reset would. Resolves
   * whether there was a WebGL context to lose and the worker's backend then; `undefined` without a worker.
   */
  loseContext(): Promise<{ lost: boolean; backend: string } | undefined>;
}

/**
 * Connects the on-device model: loads a stored model from IndexedDB straight into a typed-array ranker (no tfjs
 * on the page), and — after the first render, when there are enough positive events or the shop ships a base
 * model — starts the training worker, trains when the page is idle, one tab at a time (Web Locks), stops when the
 * shopper interacts, and swaps the ranker when the worker posts accepted weights. The heuristic stays in use
 * whenever no model is ready.
 */
export function connectModel(options: ConnectModelOptions): ModelController {
  const { config, log, platform } = options;
  const expected = defaultSchema([...new Set(options.products.map((p) => p.category))]);
  let status: ModelStatus = { state: 'none', eventsSeen: 0, trainedAt: undefined, runs: 0 };
  let backend: BackendChoice | undefined;
  let worker: Worker | undefined;
  let started = false;
  let training = false;
  let scheduled = false;
  let seq = 0;
  /** Answers awaited from the worker; `undefined` when the worker went away first. */
  const pending = new Map<number, (msg: FromWorker | undefined) => void>();
  /** Worker crashes and load failures on this page (see {@link MAX_WORKER_FAILURES}). */
  let failures = 0;
  /** Set once the worker's WebGL context was lost: the worker then runs without WebGL for the rest of the page. */
  let restartReason: string | undefined;
  /** Whether the run that was abandoned with its worker should be retried at the next idle time. */
  let retryAbandoned = false;
  /** Origin of the training run in progress (from its `start`), for the `failed` event when it is abandoned. */
  let runOrigin: TrainProgress['origin'] = 'scratch';

  const countEngaged = createEngagedCounter(options.byId);
  const positives = (): number => countEngaged(options.state().events);

  let neighbours: NeighbourIndex | undefined;
  /** Bumped for each neighbour index received: an unpacking overtaken by a newer one stops. */
  let unpacking = 0;
  let current: { weights: ModelWeights; schema: FeatureSchema } | undefined;
  /**
   * The SIMD score kernel, once the worker has sent its compiled module (it does when it runs tfjs on wasm). The page
   * never compiles WebAssembly itself: the browser cannot tell whether the page's Content-Security-Policy allows it
   * other than by compiling, and a refused compile files a violation report with the shop.
   */
  let kernel: ScoreKernel | undefined;
  let kernelAsked = false;
  const rank = (model: { weights: ModelWeights; schema: FeatureSchema }): void => {
    const ranker = createModelRanker({ ...model, catalog: options.byId, fallback: options.fallback, neighbours, kernel });
    options.setRanker(ranker);
    status = { ...status, scorer: ranker.simd ? 'simd' : 'plain' };
  };
  const askKernel = (module: WebAssembly.Module): void => {
    if (kernelAsked || !options.platform.scoreKernel) return;
    kernelAsked = true;
    void options.platform.scoreKernel(module).then((loaded) => {
      kernel = loaded;
      try {
        if (loaded && current) rank(current);
      } catch (error) {
        // Never an unhandled rejection in the host page: the ranker in use stays.
        kernel = undefined;
        options.emitError({ code: ErrorCode.ModelLoad, message: `The SIMD score kernel could not be used (${String(error)}); the plain forward pass ranks.`, recoverable: true });
      }
    });
  };
  /**
   * Ranks with these weights from now on. `checked`: the worker has already refused NaN/Inf in them (a base model as it
   * loads, a trained one before it is accepted); checking the ~27,000 floats again here was 18–20 ms of the model's
   * arrival at 4× CPU throttling in a CPU profile. Weights read from IndexedDB are checked.
   */
  const use = (weights: ModelWeights, schema: FeatureSchema, meta: ModelMeta, source: ModelStatus['source'], checked = false): boolean => {
    try {
      if (!checked && !weightsAreFinite(weights)) throw new Error('weights contain NaN/Inf');
      rank({ weights, schema });
      current = { weights, schema };
      status = {
        ...status,
        state: 'ready',
        source,
        origin: meta.origin,
        eventsSeen: meta.eventsSeen,
        trainedAt: meta.trainedAt,
        schemaHash: meta.schemaHash,
        validation: meta.validation,
        params: meta.params,
        bytes: meta.bytes,
      };
      return true;
    } catch (error) {
      options.emitError({ code: ErrorCode.ModelLoad, message: `A model could not be used (${String(error)}); the heuristic ranks instead.`, recoverable: true });
      return false;
    }
  };

  // A stored model ranks right away, before any training and without loading tfjs.
  const loaded = log
    .database()
    .then((db) => (db ? loadModelRecord(db) : undefined))
    .then((record) => {
      if (!record) return;
      if (schemaHash(record.schema) !== schemaHash(expected)) {
        options.emitError({ code: ErrorCode.ModelSchema, message: 'The stored model was made for another feature layout; it is retrained.', recoverable: true });
        return;
      }
      use(decodeWeights(record.weightSpecs, record.weightData, record.schema), record.schema, record.meta, 'indexeddb');
    })
    .catch((error: unknown) => {
      options.emitError({ code: ErrorCode.ModelLoad, message: `The stored model could not be read (${String(error)}); it is retrained.`, recoverable: true });
    });

  const onMessage = (event: MessageEvent<FromWorker>): void => {
    const msg = event.data;
    if (msg.type === 'backend') {
      backend = restartReason ? { ...msg.choice, reason: `${restartReason}; ${msg.choice.backend} instead` } : msg.choice;
      const { fallback } = msg.choice;
      if (fallback) {
        options.emitError({ code: ErrorCode.ModelBackend, message: `The ${fallback.from} backend could not start (${fallback.error}); the model uses ${msg.choice.backend} instead.`, recoverable: true });
      }
    } else if (msg.type === 'progress') {
      if (msg.progress.phase === 'start') runOrigin = msg.progress.origin;
      if (msg.progress.phase === 'failed') status = { ...status, state: status.source ? 'ready' : 'failed' };
      options.emitTrain(msg.progress);
    } else if (msg.type === 'context-lost') {
      // Its tensors are gone and tfjs does not recover the backend: drop the worker (whatever it is stuck in) and
      // start a new one without WebGL; the stored model (or the heuristic) ranks meanwhile, nothing was saved.
      restartReason = 'the WebGL context was lost during training';
      options.emitError({
        code: ErrorCode.ModelTrain,
        message: `Training failed: ${msg.message}. Nothing was saved; the previous model is kept and training restarts without WebGL.`,
        recoverable: true,
      });
      abandon(`${msg.message}; nothing was saved`, true);
    } else if (msg.type === 'neighbours') {
      // Rebuilt in slices of a few ms (one long task on a slow device); the ranker gets it when it is whole.
      const unpacker = createNeighbourUnpacker(msg.index);
      const mine = ++unpacking;
      runInSlices(
        () => unpacker.step(NEIGHBOUR_STEP),
        () => mine !== unpacking,
      )
        .then(() => {
          if (mine !== unpacking) return;
          neighbours = unpacker.result();
          status = { ...status, neighbours: neighbours.counts.size };
          if (current) rank(current);
        })
        .catch((error: unknown) => {
          options.emitError({ code: ErrorCode.ModelLoad, message: `The neighbour lists could not be used (${String(error)}); ranking goes on without them.`, recoverable: true });
        });
    } else if (msg.type === 'kernel') askKernel(msg.module);
    else if (msg.type === 'model') use(msg.weights, msg.schema, msg.meta, msg.meta.origin === 'base' && !msg.saved ? 'base' : 'trained', true);
    else if (msg.type === 'error') {
      const code = msg.code === 'LR_MODEL_SCHEMA' ? ErrorCode.ModelSchema : msg.code === 'LR_MODEL_LOAD' ? ErrorCode.ModelLoad : ErrorCode.ModelTrain;
      options.emitError({ code, message: msg.message, recoverable: true });
    } else if (msg.type === 'trained' || msg.type === 'memory' || msg.type === 'scores' || msg.type === 'context' || msg.type === 'tensor-memory') {
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    }
  };

  /** Terminates the worker; whatever was awaited from it resolves as "no answer". */
  const dropWorker = (): void => {
    worker?.terminate();
    worker = undefined;
    backend = undefined;
    const waiting = [...pending.values()];
    pending.clear();
    for (const resolve of waiting) resolve(undefined);
  };

  /** Gives up on the worker mid-work: a run in progress ends as `failed` (nothing saved), the ranker stays. */
  const abandon = (message: string, retry: boolean): void => {
    if (training) {
      retryAbandoned = retry;
      status = { ...status, state: status.source ? 'ready' : 'failed' };
      options.emitTrain({ phase: 'failed', origin: runOrigin, message });
    }
    dropWorker();
  };

  const ensureWorker = (): Worker | undefined => {
    if (worker) return worker;
    if (failures >= MAX_WORKER_FAILURES) return undefined;
    let started: Worker;
    try {
      started = platform.createWorker();
    } catch (error) {
      failures = MAX_WORKER_FAILURES;
      status = { ...status, state: status.source ? status.state : 'failed' };
      options.emitError({ code: ErrorCode.ModelTrain, message: `The training worker could not start (${String(error)}); the heuristic ranks.`, recoverable: true });
      return undefined;
    }
    worker = started;
    started.addEventListener('message', onMessage);
    started.addEventListener('error', (e) => {
      // Cancelled: an uncaught worker error nobody cancels is reported again in the host page's global scope.
      e.preventDefault();
      if (worker !== started) return;
      failures++;
      const again = failures < MAX_WORKER_FAILURES ? 'it is restarted when training is next due' : 'it is not restarted on this page';
      const message = `the training worker failed (${e.message || 'its script could not be loaded'})`;
      options.emitError({ code: ErrorCode.ModelTrain, message: `Training failed: ${message}; ${again}. The current ranking stays in use.`, recoverable: true });
      abandon(message, false);
    });
    const { products } = options;
    const catalogParts = Math.ceil(products.length / CATALOG_PART);
    const init: ToWorker = {
      type: 'init',
      backend: restartReason ? 'wasm' : config.backend,
      dbName: config.dbName,
      seed: config.seed,
      baseModelUrl: config.model,
      catalogParts,
      halfLifeMs: config.halfLifeDays * 86_400_000,
    };
    started.postMessage(init);
    // The catalog follows in parts, in slices of the shared queue; a worker dropped meanwhile gets no more of it.
    let sent = 0;
    runInSlices(
      () => {
        const part: ToWorker = { type: 'catalog-part', products: products.slice(sent * CATALOG_PART, (sent + 1) * CATALOG_PART) };
        started.postMessage(part);
        return ++sent >= catalogParts;
      },
      () => worker !== started || sent >= catalogParts,
    ).catch((error: unknown) => {
      if (worker !== started) return;
      options.emitError({ code: ErrorCode.ModelTrain, message: `The catalog could not be sent to the training worker (${String(error)}); the current ranking stays in use.`, recoverable: true });
      abandon('the catalog could not be sent to it', false);
    });
    return started;
  };

  /** Sends a request to the worker (started if needed); resolves its answer, or `undefined` if none will come. */
  const request = <T extends FromWorker>(message: ToWorker & { id: number }): Promise<T | undefined> =>
    new Promise<T | undefined>((resolve) => {
      const target = ensureWorker();
      if (!target) {
        resolve(undefined);
        return;
      }
      pending.set(message.id, resolve as (m: FromWorker | undefined) => void);
      target.postMessage(message);
    });

  /** Engaged products at the last run, accepted or not: a rejected run is not retried until new events come. */
  let lastRun = -Infinity;
  const wantsTraining = (): boolean => {
    if (failures >= MAX_WORKER_FAILURES) return false;
    const n = positives();
    if (n < MIN_POSITIVES || n - lastRun < RETRAIN_AFTER) return false;
    return status.source === undefined || status.source === 'base' || n - status.eventsSeen >= RETRAIN_AFTER;
  };

  const schedule = (): void => {
    if (!started || scheduled || training || !wantsTraining()) return;
    scheduled = true;
    void platform.whenIdle(IDLE_MS).then(async () => {
      // The widgets' own work first: on a 2-core machine at 4× CPU throttling, their render steps after an action
      // took 2–5 times as long while the worker trained as when it did not (a fixed piece of main-thread work: median
      // 4.5 ms idle, p90 16 ms and up to 25 ms while training), and turned into long tasks. Only script-driven
      // events (no input, so no idle wait) had the two overlap: a shopper's click holds training back IDLE_MS.
      const until = Date.now() + BUSY_WAIT_MS;
      while (options.busy?.() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
      scheduled = false;
      if (training || !wantsTraining()) return;
      const got = await platform.withLock(`localrank-train:${config.dbName}`, async () => {
        training = true;
        const previous = status.state;
        status = { ...status, state: 'training' };
        const stopOnInput = platform.onInput(() => worker?.postMessage({ type: 'stop' } satisfies ToWorker));
        try {
          // Starting the worker (and posting it the catalog) and posting the events are two tasks, not one long one.
          if (!worker && ensureWorker()) await new Promise((resolve) => setTimeout(resolve, 0));
          const { events, counters } = options.state();
          const before = lastRun;
          lastRun = positives();
          const id = ++seq;
          retryAbandoned = false;
          const result = await request<Extract<FromWorker, { type: 'trained' }>>({ type: 'train', id, events: [...events], counters: [...counters] });
          // Stopped by the shopper's input, or abandoned with a worker that lost its GPU context: not a verdict on
          // the data, so try again at the next idle time.
          if (result ? result.stopped : retryAbandoned) lastRun = before;
        } finally {
          stopOnInput();
          training = false;
          status = { ...status, runs: status.runs + 1, state: status.state === 'training' ? (previous === 'ready' ? 'ready' : 'none') : status.state };
        }
      });
      // Another tab is training, or new events arrived meanwhile: look again later.
      if (!got) setTimeout(schedule, 10_000);
      else schedule();
    });
  };

  return {
    loaded,
    status() {
      return {
        model: status,
        backend: backend?.backend ?? 'none',
        backendReason:
          backend?.reason ??
          (failures >= MAX_WORKER_FAILURES
            ? 'the training worker failed; not restarted on this page'
            : restartReason
              ? `${restartReason}; restarting without WebGL`
              : worker
                ? 'starting'
                : 'tfjs not loaded yet (no training needed so far)'),
        ...(backend?.webglVersion ? { webglVersion: backend.webglVersion } : {}),
        ...(backend?.renderer ? { renderer: backend.renderer } : {}),
      };
    },
    start() {
      if (started) return;
      started = true;
      void loaded.then(() => {
        if (config.model && status.state !== 'ready') ensureWorker();
        schedule();
      });
    },
    observe(event) {
      if (isPositive(event)) schedule();
    },
    reset() {
      lastRun = -Infinity;
      // Forgotten: a kernel or neighbour lists arriving later must not bring this model back.
      current = undefined;
      options.setRanker(undefined);
      status = { state: 'none', eventsSeen: 0, trainedAt: undefined, runs: status.runs };
      dropWorker();
    },
    async scoreInWorker(batches) {
      const msg = await request<Extract<FromWorker, { type: 'scores' }>>({ type: 'score', id: ++seq, batches });
      return { scores: msg?.scores ?? [], backend: msg?.backend ?? 'none' };
    },
    async memoryCycles(cycles) {
      const msg = await request<Extract<FromWorker, { type: 'memory' }>>({ type: 'memory-cycles', id: ++seq, cycles });
      return msg && Number.isFinite(msg.before) && Number.isFinite(msg.after) ? { before: msg.before, after: msg.after } : undefined;
    },
    async tensorMemory() {
      if (!worker) return undefined;
      const msg = await request<Extract<FromWorker, { type: 'tensor-memory' }>>({ type: 'tensor-memory', id: ++seq });
      return msg?.memory;
    },
    async loseContext() {
      const msg = await request<Extract<FromWorker, { type: 'context' }>>({ type: 'lose-context', id: ++seq });
      return msg && { lost: msg.lost, backend: msg.backend };
    },
  };
}
