/** One row of a ranking in the debug overlay. */
export interface DebugRankingRow {
  readonly id: string;
  readonly title: string;
  /** The ranker's score, already formatted. */
  readonly score: string;
  /** The explanation shown behind "Why this?" (or what `rerank()` would say). */
  readonly why: string;
}

/** The last ranking of one widget or `rerank()` list. */
export interface DebugRankingView {
  readonly list: string;
  readonly ranker: string;
  /** e.g. "12 items, 14:03:21". */
  readonly summary: string;
  readonly rows: readonly DebugRankingRow[];
}

/** One training run: phase and progress, and the per-epoch series for the chart. */
export interface DebugRunView {
  /** e.g. "scratch · done · validation MRR 0.41 (heuristic 0.31, 12 cases)". */
  readonly summary: string;
  /** Completed epochs and planned epochs (for the progress bar and the chart's x axis). */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss per completed epoch. */
  readonly loss: readonly (number | undefined)[];
  /** Validation metric (MRR on the shopper's most recent positives) per completed epoch. */
  readonly metric: readonly (number | undefined)[];
}

/** Props of the `DebugOverlay` component (everything display-ready; the UI does no lookups). */
export interface DebugOverlayProps {
  readonly open: boolean;
  /** Opens (`true`) or closes the panel; when closed only a small launcher button remains. */
  readonly onToggle: (open: boolean) => void;
  /** tfjs backend of the training worker, e.g. `wasm`, and why it was chosen. */
  readonly backend: string;
  readonly backendReason: string;
  /** Label / value facts: ranker, model state, storage, consent, … */
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  /** Stored events by type (log plus compacted counters); `undefined` while reading. */
  readonly events: readonly { readonly type: string; readonly count: number }[] | undefined;
  /** Training runs of this page, oldest first (the last one is charted). */
  readonly runs: readonly DebugRunView[];
  readonly rankings: readonly DebugRankingView[];
}
