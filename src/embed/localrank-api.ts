import type { LocalRankErrorInfo } from '../core/errors';
import type { FeatureBatch } from '../core/featurize';
import type { TrackInput } from '../core/interaction';
import type { TensorMemory } from '../model/worker-protocol';
import type { RerankOptions } from '../widget/create-runtime';
import type { LocalRankEvents, RuntimeStatus } from '../widget/runtime-types';

/** The `window.LocalRank` global. No method throws; failures become `error` events. */
export interface LocalRankApi {
  /** Package version. */
  readonly version: string;
  /**
   * Resolves with the status once the catalog, the stored history and the widgets are ready. Rejects with a
   * `LocalRankError` (stable `code`) only when the tag is misconfigured; the rejection is pre-handled, so an
   * unobserved `ready` never surfaces as an unhandled rejection in the host page.
   */
  readonly ready: Promise<RuntimeStatus>;
  /** Logs an interaction; returns whether it was accepted (invalid input → `false` + `error` event). */
  track(event: TrackInput): boolean;
  /**
   * Returns the same items (ids, or objects with an `id`) in the shopper's personalised order. Unknown ids keep
   * a neutral score; out-of-stock items go last. Resolves with the input order when anything fails.
   */
  rerank<T>(items: readonly T[], options?: RerankOptions): Promise<T[]>;
  /** Subscribes to `ready`, `error`, `event`, `stored`, `rank`, `train`, `forget` or `privacy`; returns the unsubscribe function. */
  on<K extends keyof LocalRankEvents & string>(name: K, callback: (payload: LocalRankEvents[K]) => void): () => void;
  /** A snapshot of what LocalRank is doing. */
  status(): RuntimeStatus & { readonly errors: readonly LocalRankErrorInfo[] };
  /** Deletes every stored event, counter and setting of this shopper; widgets return to cold start. */
  forgetMe(): Promise<void>;
  /**
   * The shop's consent banner speaks for the shopper: `true` lets LocalRank log and personalise (needed first with
   * `data-consent="required"`, and overrides Global Privacy Control with `data-respect-gpc`); `false` stops logging
   * and deletes what was stored. The answer is remembered on this device.
   */
  setConsent(granted: boolean): Promise<void>;
  /**
   * Pauses (`true`) or resumes personalisation, like the switch in the "Your data" panel: while paused nothing is
   * logged, carousels show popular items and `rerank()` keeps the host's order. Remembered on this device.
   */
  setPaused(paused: boolean): Promise<void>;
  /** Writes queued events now (they are also written in batches and when the page is hidden). */
  flush(): Promise<void>;
  /**
   * Diagnostics for QA. With a number (default 100): runs that many small train + score cycles in the training
   * worker and reports `tf.memory().numTensors` before and after (they should be equal: no tensor leaks). With
   * `{ score: batches }`: scores feature batches with the current model's tfjs graph on the worker's backend
   * (WebGL/wasm/cpu), for checking that the browser computes what Node computes. With `{ loseContext: true }`
   * (a fault-injection test hook): loses the worker's WebGL context through `WEBGL_lose_context`, as a GPU reset
   * would, and resolves `{ lost, backend }` (`lost` is false when the worker does not run on WebGL). With
   * `{ memory: true }`: the worker's `tf.memory()` now (`{ numTensors, numBytes, numDataBuffers, backend }`), without
   * starting a worker (`undefined` when none runs). Resolves `undefined` when there is no runtime or the worker could
   * not answer.
   */
  diagnose(cycles?: number): Promise<{ cycles: number; tensorsBefore: number; tensorsAfter: number } | undefined>;
  diagnose(request: { readonly score: readonly FeatureBatch[] }): Promise<{ scores: readonly Float32Array[]; backend: string } | undefined>;
  diagnose(request: { readonly loseContext: true }): Promise<{ lost: boolean; backend: string } | undefined>;
  diagnose(request: { readonly memory: true }): Promise<TensorMemory | undefined>;
}
