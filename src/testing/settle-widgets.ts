import type { Page } from '@playwright/test';

/**
 * Waits until the carousels have caught up with what just happened: until `LocalRank.status().rendering` is 0 (no
 * refresh pending after an action, no ranking or painting step queued), then one more animation frame so what they
 * show is painted. Gives up after `timeout` ms without failing (a page without LocalRank, or one that keeps
 * rendering): the caller reads the DOM as it is.
 */
export async function settleWidgets(page: Page, timeout = 10_000): Promise<void> {
  await page.evaluate(async (ms) => {
    const lr = (window as unknown as { LocalRank?: { status(): { rendering?: number } } }).LocalRank;
    const until = performance.now() + ms;
    const frame = (): Promise<void> =>
      new Promise((resolve) => {
        requestAnimationFrame(() => resolve());
        setTimeout(resolve, 100); // hidden tabs run no frames
      });
    while (lr && (lr.status().rendering ?? 0) > 0 && performance.now() < until) await frame();
    await frame();
  }, timeout);
}
