import type { RankedItem } from '../core/ranker';
import type { TrainProgress } from '../model/worker-protocol';

/** The last ranking of one widget or `rerank()` list (the ranker's own array: nothing is copied on the ranking path). */
export interface DebugRank {
  readonly ranker: string;
  /** Epoch ms of the ranking. */
  readonly at: number;
  readonly items: readonly RankedItem[];
}

/**
 * What the runtime hands the debug overlay: raw records, kept only while the overlay is on (the runtime creates
 * the feed when it loads the overlay chunk; without it every hook is one `undefined` check). The overlay chunk
 * turns them into views (see `trainingRuns`).
 */
export interface DebugFeed {
  /** The last ranking per widget type or `rerank()` list name. */
  readonly ranks: Map<string, DebugRank>;
  /** Every training progress event of this page, in order (the payloads of `LocalRank.on('train')`). */
  readonly train: TrainProgress[];
  /** Called by the runtime after each record and after events were stored; the overlay sets it. */
  changed: () => void;
}
