/** A main-thread long task (or long animation frame) as the page's PerformanceObserver saw it. */
export interface LongTaskEntry {
  readonly start: number;
  readonly duration: number;
}

/** Long tasks that overlap a time window: how many, their total and the longest (ms). */
export interface LongTaskStats {
  readonly count: number;
  readonly totalMs: number;
  readonly longestMs: number;
}

/**
 * Long tasks overlapping any of the `[from, to]` windows (same clock as the entries: the page's `performance.now()`),
 * counted once each even when they overlap several windows. Entries of `minMs` or less are ignored (the longtask
 * threshold is 50 ms; long-animation-frame entries start at 50 ms too).
 */
export function longTaskStats(entries: readonly LongTaskEntry[], windows: ReadonlyArray<readonly [number, number]>, minMs = 50): LongTaskStats {
  const hits = entries.filter((e) => e.duration > minMs && windows.some(([from, to]) => e.start <= to && e.start + e.duration >= from));
  return {
    count: hits.length,
    totalMs: hits.reduce((n, e) => n + e.duration, 0),
    longestMs: hits.reduce((n, e) => Math.max(n, e.duration), 0),
  };
}
