/**
 * Stable error codes. A code never changes meaning; new situations get new codes.
 * Codes starting `LR_CONFIG_` are the shop owner's misconfiguration (fail fast at init);
 * the others are runtime trouble that LocalRank survives by degrading.
 */
export const ErrorCode = {
  /** The script tag / LocalRankConfig has no catalog URL or products. */
  ConfigMissingCatalog: 'LR_CONFIG_MISSING_CATALOG',
  /** A configuration value has the wrong type or range. */
  ConfigInvalid: 'LR_CONFIG_INVALID',
  /** An unknown configuration key or `data-*` attribute (probably a typo); it is ignored. */
  ConfigUnknownKey: 'LR_CONFIG_UNKNOWN_KEY',
  /** The catalog could not be fetched (network, HTTP status). */
  CatalogFetch: 'LR_CATALOG_FETCH',
  /** The catalog is not valid JSON or not in a known shape. */
  CatalogInvalid: 'LR_CATALOG_INVALID',
  /** Some catalog rows were skipped (missing fields, wrong types, duplicates). */
  CatalogRows: 'LR_CATALOG_ROWS',
  /** IndexedDB is missing or cannot be opened; events are kept in memory for this page. */
  StorageUnavailable: 'LR_STORAGE_UNAVAILABLE',
  /** Opening the database is blocked by another tab holding an older version. */
  StorageBlocked: 'LR_STORAGE_BLOCKED',
  /** A write failed (quota exceeded, transaction aborted); the events stay queued in memory. */
  StorageWrite: 'LR_STORAGE_WRITE',
  /** The browser closed the database connection abnormally; LocalRank reopens it. */
  StorageTerminated: 'LR_STORAGE_TERMINATED',
  /** A mount point names an unknown widget type. */
  WidgetUnknownType: 'LR_WIDGET_UNKNOWN_TYPE',
  /** A `similar` widget has no `data-product-id`. */
  WidgetMissingProduct: 'LR_WIDGET_MISSING_PRODUCT',
  /** A widget failed to render; it shows nothing but keeps its reserved space. */
  WidgetRender: 'LR_WIDGET_RENDER',
  /** `LocalRank.track()` got an invalid event; it was not logged. */
  TrackInvalid: 'LR_TRACK_INVALID',
  /** `LocalRank.rerank()` got invalid input; the items are returned unchanged. */
  RerankInvalid: 'LR_RERANK_INVALID',
  /** The lazily loaded runtime chunk failed to load. */
  RuntimeLoad: 'LR_RUNTIME_LOAD',
  /** A listener passed to `LocalRank.on()` threw; other listeners still ran. */
  ListenerFailed: 'LR_LISTENER_FAILED',
  /** A base or stored model does not fit this catalog / LocalRank's feature layout; it is not used. */
  ModelSchema: 'LR_MODEL_SCHEMA',
  /** A base or stored model could not be loaded; the heuristic ranks (and the device trains its own). */
  ModelLoad: 'LR_MODEL_LOAD',
  /** Training failed or the worker could not start; the previous model (or the heuristic) is kept. */
  ModelTrain: 'LR_MODEL_TRAIN',
  /** A mount point's `data-limit` is not an integer from 1 to 50; that widget uses the configured limit. */
  WidgetInvalidAttribute: 'LR_WIDGET_INVALID_ATTRIBUTE',
  /** More than one LocalRank script tag on the page; the first one's configuration is used, the others are ignored. */
  ConfigDuplicateTag: 'LR_CONFIG_DUPLICATE_TAG',
  /** The configured or preferred tfjs backend could not start (e.g. WebAssembly blocked by a CSP); another one trains. */
  ModelBackend: 'LR_MODEL_BACKEND',
  /** `LocalRankConfig.strings` has unknown groups or keys or non-string values; those are ignored (English defaults). */
  ConfigStrings: 'LR_CONFIG_STRINGS',
} as const;

/** One of the stable error codes in {@link ErrorCode}. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Payload of the `error` event and of a rejected `LocalRank.ready`. */
export interface LocalRankErrorInfo {
  readonly code: ErrorCodeValue;
  /** What went wrong and how to fix it, in one or two sentences. */
  readonly message: string;
  /** Whether LocalRank keeps working (degraded) after it. */
  readonly recoverable: boolean;
}

/** Error object used for a rejected `LocalRank.ready`; carries a stable `code`. */
export class LocalRankError extends Error implements LocalRankErrorInfo {
  readonly code: ErrorCodeValue;
  readonly recoverable: boolean;

  constructor(info: LocalRankErrorInfo) {
    super(`[localrank] ${info.code}: ${info.message}`);
    this.name = 'LocalRankError';
    this.code = info.code;
    this.recoverable = info.recoverable;
  }
}
