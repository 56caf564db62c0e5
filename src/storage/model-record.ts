import type { WeightSpec } from '../core/decode-weights';
import type { FeatureSchema } from '../core/feature-schema';

/** What is known about a stored model. */
export interface ModelMeta {
  /** Record format version. */
  readonly modelVersion: number;
  /** Hash of the feature layout (`schemaHash`); a base model fine-tuned on the device keeps it. */
  readonly schemaHash: string;
  /** tfjs backend that trained it. */
  readonly backend: string;
  /** Positive events the model has learned from. */
  readonly eventsSeen: number;
  /** Epoch ms of the last training. */
  readonly trainedAt: number;
  /**
   * Validation MRR on the shopper's most recent positives: the model's, the heuristic's on the same cases, and —
   * for a fine-tune — the model's before the run.
   */
  readonly validation: { readonly model: number; readonly heuristic: number; readonly before?: number; readonly cases: number } | undefined;
  /** `scratch`: trained on the device only; `base`: the shop's base model fine-tuned on the device. */
  readonly origin: 'scratch' | 'base';
  readonly params: number;
  /** Bytes of weight data. */
  readonly bytes: number;
}

/** One stored model (tfjs artifacts + schema + metadata), keyed `current`. */
export interface ModelRecord {
  readonly key: string;
  readonly modelTopology: unknown;
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
  readonly schema: FeatureSchema;
  readonly meta: ModelMeta;
}

/** The key of the model in use. */
export const CURRENT_MODEL = 'current';
