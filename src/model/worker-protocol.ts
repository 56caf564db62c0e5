import type { Counter } from '../core/counter';
import type { ModelWeights } from '../core/create-scorer';
import type { FeatureBatch } from '../core/featurize';
import type { FeatureSchema } from '../core/feature-schema';
import type { Interaction } from '../core/interaction';
import type { PackedNeighbourIndex } from '../core/neighbour-index';
import type { Product } from '../core/product';
import type { ModelMeta } from '../storage/model-record';
import type { BackendChoice, BackendRequest } from './choose-backend';

/** Messages the main thread sends to the training worker. */
export type ToWorker =
  | {
      readonly type: 'init';
      readonly backend: BackendRequest;
      readonly dbName: string;
      readonly seed: number;
      /** Absolute URL of a base model folder (model.json + weights + feature-schema.json), if the shop ships one. */
      readonly baseModelUrl: string | undefined;
      /** How many `catalog-part` messages follow with the catalog (see `CATALOG_PART` in `connectModel`). */
      readonly catalogParts: number;
      readonly halfLifeMs: number;
    }
  /**
   * A part of the catalog, after `init`: structured cloning all of it in `init` was one main-thread task of 565 ms at
   * 4× CPU throttling for 50,000 products. The worker starts once it has every part.
   */
  | { readonly type: 'catalog-part'; readonly products: readonly Product[] }
  | { readonly type: 'train'; readonly id: number; readonly events: readonly Interaction[]; readonly counters: readonly Counter[] }
  /** Stop training at the next batch (the shopper is interacting); nothing is saved. */
  | { readonly type: 'stop' }
  /** Diagnostics: run `cycles` tiny train + score cycles and report tensor counts. */
  | { readonly type: 'memory-cycles'; readonly id: number; readonly cycles: number }
  /** Diagnostics: the worker's `tf.memory()` now (tensors and bytes held by tfjs), answered by `tensor-memory`. */
  | { readonly type: 'tensor-memory'; readonly id: number }
  /** Diagnostics: score feature batches with the current model on the worker's tfjs backend (parity checks). */
  | { readonly type: 'score'; readonly id: number; readonly batches: readonly FeatureBatch[] }
  /**
   * QA test hook (fault injection), never sent by LocalRank itself: loses the WebGL context of the worker's tfjs
   * backend through `WEBGL_lose_context`, as a GPU reset or driver crash would. Answered by `context`.
   */
  | { readonly type: 'lose-context'; readonly id: number };

/** `tf.memory()` of the training worker (`LocalRank.diagnose({ memory: true })`). */
export interface TensorMemory {
  readonly numTensors: number;
  readonly numBytes: number;
  readonly numDataBuffers: number;
  /** The worker's tfjs backend (`webgl`, `wasm`, `cpu`). */
  readonly backend: string;
}

/** Progress of one training run (also the payload of `LocalRank.on('train')`). */
export interface TrainProgress {
  readonly phase: 'start' | 'epoch' | 'done' | 'rejected' | 'stopped' | 'failed';
  readonly origin: 'scratch' | 'base' | 'device';
  readonly epoch?: number;
  readonly epochs?: number;
  readonly loss?: number;
  readonly validation?: ModelMeta['validation'];
  readonly examples?: number;
  readonly message?: string;
}

/** Messages the training worker sends back. */
export type FromWorker =
  | { readonly type: 'backend'; readonly choice: BackendChoice }
  | { readonly type: 'progress'; readonly progress: TrainProgress }
  /**
   * A usable model (base model loaded, or a training run accepted and saved). Weights are transferred, all finite (the
   * worker refuses others).
   */
  | { readonly type: 'model'; readonly weights: ModelWeights; readonly schema: FeatureSchema; readonly meta: ModelMeta; readonly saved: boolean }
  /**
   * A training run ended: kept, rejected by validation, stopped because the shopper interacted, or `failed`
   * (tfjs or the worker broke; nothing was saved).
   */
  | { readonly type: 'trained'; readonly id: number; readonly accepted: boolean; readonly stopped: boolean; readonly failed?: boolean }
  /**
   * The WebGL context of the tfjs backend was lost (GPU reset, driver crash, too many contexts). Every tensor on
   * it is gone and tfjs 4.x does not recover (tensorflow/tfjs#756), so the worker saves nothing more; the main
   * thread abandons the run and restarts the worker without WebGL.
   */
  | { readonly type: 'context-lost'; readonly message: string }
  /** Answer to `lose-context`: whether a WebGL context was there to lose, and the backend at that moment. */
  | { readonly type: 'context'; readonly id: number; readonly lost: boolean; readonly backend: string }
  | { readonly type: 'memory'; readonly id: number; readonly before: number; readonly after: number }
  /** Answer to `tensor-memory`: `tf.memory()` in the worker, and its backend. */
  | { readonly type: 'tensor-memory'; readonly id: number; readonly memory: TensorMemory }
  /** Logits per batch from `score`, and the backend that computed them; empty when no model is loaded. */
  | { readonly type: 'scores'; readonly id: number; readonly scores: readonly Float32Array[]; readonly backend: string }
  /**
   * The shop's neighbour index was loaded (features and candidates for the ranker on the main thread), packed into
   * flat arrays: the index itself took one long main-thread task to deserialise.
   */
  | { readonly type: 'neighbours'; readonly index: PackedNeighbourIndex }
  /** The page's SIMD score kernel, compiled here (see `compileScoreKernel`): the page only instantiates it. */
  | { readonly type: 'kernel'; readonly module: WebAssembly.Module }
  | { readonly type: 'error'; readonly code: 'LR_MODEL_SCHEMA' | 'LR_MODEL_LOAD' | 'LR_MODEL_TRAIN' | 'LR_MODEL_SAVE' | 'LR_MODEL_BACKEND'; readonly message: string };
