import type { LocalRankErrorInfo } from '../core/errors';
import type { Interaction } from '../core/interaction';
import type { PrivacyState } from '../core/privacy-state';
import type { LocalRankConfig } from '../core/parse-config';
import type { TrainProgress } from '../model/worker-protocol';
import type { ExitJournal } from '../storage/create-exit-journal';
import type { EventLog } from '../storage/event-log';
import type { ModelPlatform, ModelStatus } from './connect-model';
import type { WidgetType } from './widget-types';

/** Payload of the `rank` event: what a widget or `rerank()` showed. */
export interface RankEvent {
  /** Widget type, or `rerank` list name. */
  readonly list: string;
  readonly ranker: string;
  readonly ids: readonly string[];
}

/** Events emitted through `LocalRank.on()`. */
export interface LocalRankEvents extends Record<string, unknown> {
  ready: RuntimeStatus;
  error: LocalRankErrorInfo;
  /** An interaction was accepted (before it is written). */
  event: Interaction;
  /** A batch of interactions was written to storage. */
  stored: { count: number };
  rank: RankEvent;
  /** The shopper's data was deleted (`forgetMe`, "Clear my data", or consent withdrawn). */
  forget: { at: number };
  /** Consent or the shopper's pause switch changed. */
  privacy: PrivacyState;
  /** Training progress of the on-device model: start, each epoch's loss, done / rejected / stopped / failed. */
  train: TrainProgress;
}

/** Snapshot returned by `LocalRank.status()`. */
export interface RuntimeStatus {
  readonly state: 'loading' | 'ready' | 'error';
  /** `off`: consent is pending or denied, so LocalRank does not touch the device's storage. */
  readonly storage: 'indexeddb' | 'memory' | 'opening' | 'off';
  readonly ranker: string;
  /** Events in the log (stored + queued), counters excluded. */
  readonly events: number;
  readonly pendingWrites: number;
  readonly catalog: { readonly products: number; readonly skipped: number };
  readonly widgets: number;
  /**
   * Widget renders still to come: queued ranking/painting steps, plus one while a refresh after an action is
   * pending. 0 means the carousels show what the current history and ranker give (what QA tests wait for).
   */
  readonly rendering: number;
  /**
   * The browser's arm of the local A/B holdout (`holdout` config): `holdout` browsers get the heuristic baseline
   * instead of the model. Absent until the runtime is loaded.
   */
  readonly group?: 'holdout' | 'personalised';
  readonly page: string;
  /** tfjs backend of the training worker (`none` until tfjs is needed). */
  readonly backend: string;
  /** Why that backend was chosen (e.g. "WebGL is software-rendered (SwiftShader); wasm is faster"). */
  readonly backendReason: string;
  /** WebGL version when the backend is webgl. */
  readonly webglVersion?: number;
  readonly model: ModelStatus;
  /** Consent, pause and GPC, and what they allow. */
  readonly privacy: PrivacyState;
  readonly error?: LocalRankErrorInfo;
}

/** What the embed layer hands the lazily loaded runtime. */
export interface RuntimeDeps {
  readonly config: LocalRankConfig;
  readonly log: EventLog;
  /** Where pages leave events they could not see committed (adopted by the runtime at start and on request). */
  readonly journal?: ExitJournal;
  /** The catalog JSON (already fetched by the embed layer), or a rejection. */
  readonly catalog: Promise<unknown>;
  /**
   * Resolves `true` once the browser's locale data is loaded off the main thread (the embed layer's `warmIntl`), so the
   * first price costs no long task; `false` (or absent) when it could not be, and the first format runs on its own.
   */
  readonly intlReady?: Promise<boolean>;
  readonly locale: string;
  readonly page: string;
  readonly emitError: (error: LocalRankErrorInfo) => void;
  readonly emitRank: (event: RankEvent) => void;
  /** Logs an interaction (validated and queued by the embed layer). */
  readonly track: (input: { type: 'click'; productId: string; context: { list: string; position: number; widget: string } }) => void;
  /** Observes a carousel card for impressions; returns a cleanup. */
  readonly observeImpression: (element: Element, productId: string, list: string, position: number, widget: string) => () => void;
  /** Worker, idle, input and lock hooks for the model. */
  readonly modelPlatform: ModelPlatform;
  readonly emitTrain: (progress: TrainProgress) => void;
  /** Whether the shopper prefers reduced motion. */
  readonly reducedMotion: () => boolean;
  readonly now: () => number;
  /** What the shopper allows right now (consent, pause). */
  readonly privacy: () => PrivacyState;
  /** The shopper's pause switch in the data panel. */
  readonly setPaused: (paused: boolean) => Promise<void>;
  /** "Clear my data" in the data panel: the same as `LocalRank.forgetMe()`. */
  readonly forget: () => Promise<void>;
}

/** A host element to mount a widget in. */
export interface MountRequest {
  readonly element: HTMLElement;
  readonly type: WidgetType;
  readonly productId: string | undefined;
  readonly heading: string | undefined;
  readonly limit: number | undefined;
}
