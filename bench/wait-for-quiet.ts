import type { Page } from '@playwright/test';

/** Options of {@link waitForQuiet}. */
export interface QuietOptions {
  /**
   * A gap between two of the probe's own tasks longer than this means other work ran (ms; default 10: the probe's
   * `setTimeout(0)` chain is clamped to 4 ms by the browser, so other tasks over about 6 ms show).
   */
  readonly gapMs?: number;
  /** How long the page must stay without such a gap (ms; default 2,000). */
  readonly windowMs?: number;
  /** Give up after this long (ms; default 60,000). */
  readonly timeoutMs?: number;
}

/**
 * Waits until the page's main thread has run no task of its own longer than about `gapMs` for `windowMs`: a probe
 * schedules itself one timer after another and watches the gaps between them (a tighter MessageChannel loop never saw
 * the unthrottled page quiet in 60 s, although a CPU profile of it showed almost nothing but idle time). LocalRank works in the
 * background after a model arrives (its item features are hashed in time-budgeted slices, one per frame); a latency
 * measured while such a slice is queued includes it. Build-agnostic, so an older build is measured the same way.
 * @returns how long the page took to become quiet, and whether it did before `timeoutMs`
 */
export async function waitForQuiet(page: Page, options: QuietOptions = {}): Promise<{ waitedMs: number; quiet: boolean }> {
  const { gapMs = 10, windowMs = 2000, timeoutMs = 60_000 } = options;
  return page.evaluate(
    ({ gapMs, windowMs, timeoutMs }) =>
      new Promise<{ waitedMs: number; quiet: boolean }>((resolve) => {
        const start = performance.now();
        let last = start;
        let quietSince = start;
        const probe = (): void => {
          const now = performance.now();
          if (now - last > gapMs) quietSince = now;
          last = now;
          if (now - quietSince >= windowMs || now - start >= timeoutMs) {
            resolve({ waitedMs: Math.round(now - start), quiet: now - quietSince >= windowMs });
            return;
          }
          setTimeout(probe, 0);
        };
        setTimeout(probe, 0);
      }),
    { gapMs, windowMs, timeoutMs },
  );
}
