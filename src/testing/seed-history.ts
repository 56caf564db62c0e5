import type { Page } from '@playwright/test';
import { settleWidgets } from './settle-widgets.js';
import { whenReady } from './when-ready.js';
import type { LocalRankErrorLike, LocalRankWindow } from './when-ready.js';

/**
 * One event of a seeded history: what `LocalRank.track()` takes, with `time` as epoch milliseconds or a `Date`
 * (missing: now). Give every event a time in the past, in order, so that the history means the same whenever the
 * test runs.
 */
export interface SeedEvent {
  readonly type: 'impression' | 'click' | 'add-to-cart' | 'purchase' | 'dwell' | 'search';
  /** Product id (every type but `search` needs one). */
  readonly productId?: string;
  readonly time?: number | Date;
  /** Where it happened; `page` defaults to the current page's type, `search` needs `query`. */
  readonly context?: {
    readonly page?: string;
    readonly list?: string;
    readonly position?: number;
    readonly query?: string;
    readonly widget?: string;
  };
  /** Visible milliseconds (`dwell` only; ≥ 10,000 counts as engagement). */
  readonly dwellMs?: number;
}

/** Options of {@link seedHistory}. */
export interface SeedHistoryOptions {
  /** How long to wait for LocalRank to be ready (default 30,000 ms). */
  readonly timeout?: number;
}

/**
 * Writes a shopper's history through the public API: waits for `LocalRank.ready`, calls `LocalRank.track()` for
 * every event (one task, in the given order), `LocalRank.flush()`es the write queue, and waits for the carousels to
 * re-render. Training (when the history has at least 5 engaged products) starts when the page is idle afterwards;
 * use {@link waitForModel} to wait for it.
 *
 * Events LocalRank refuses are not counted: invalid ones (their reasons are `LR_TRACK_INVALID` entries of
 * `status().errors`), and every event while consent is pending or denied or personalisation is paused.
 *
 * @param page a Playwright page with LocalRank on it
 * @param events the history, oldest first
 * @returns the number of events LocalRank accepted and stored (in IndexedDB, or in memory where IndexedDB cannot be used)
 * @throws when LocalRank is not ready within `timeout` (missing script tag, misconfiguration: the message carries
 *   the error code), or when the write failed or was blocked (`LR_STORAGE_WRITE`, `LR_STORAGE_BLOCKED`: the events
 *   stay queued and are retried, but they are not stored yet)
 */
export async function seedHistory(page: Page, events: readonly SeedEvent[], options: SeedHistoryOptions = {}): Promise<number> {
  await whenReady(page, options.timeout ?? 30_000, 'seedHistory');
  const plain = events.map((e) => (e.time instanceof Date ? { ...e, time: e.time.getTime() } : e));
  const result = await page.evaluate(
    async (list) => {
      const lr = (window as unknown as LocalRankWindow).LocalRank!;
      const errors: LocalRankErrorLike[] = [];
      const off = lr.on('error', (e) => errors.push({ code: e.code, message: e.message }));
      let accepted = 0;
      try {
        for (const event of list) if (lr.track(event)) accepted++;
        await lr.flush();
      } finally {
        off();
      }
      return { accepted, errors };
    },
    plain,
  );
  // The carousels rank again a moment after an action, one widget per step: wait until status().rendering is 0.
  await settleWidgets(page);
  // Memory mode (LR_STORAGE_UNAVAILABLE) still stores, for the page; a failed or blocked write only queues.
  const failed = result.errors.filter((e) => e.code === 'LR_STORAGE_WRITE' || e.code === 'LR_STORAGE_BLOCKED');
  if (failed.length > 0) {
    throw new Error(`seedHistory: the events could not be stored (${failed.map((e) => `${e.code}: ${e.message}`).join('; ')}).`);
  }
  return result.accepted;
}
