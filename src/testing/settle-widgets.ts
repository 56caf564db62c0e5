import type { Page } from '@playwright/test';

/**
 * Milliseconds LocalRank's widgets wait after an action before they rank again (`REFRESH_MS` in
 * src/widget/create-runtime.tsx), plus margin.
 */
export const WIDGET_REFRESH_MS = 250;

/**
 * Waits until the carousels have caught up with what just happened: `waitMs` first (the refresh delay after an
 * action), then until their shadow DOM has not changed for `2 × widgets + 3` rendering steps. LocalRank ranks and
 * paints one widget per step, each step a task after the next animation frame (a 100 ms timeout where frames do
 * not run), so a widget whose ranking did not change leaves two quiet steps and the count covers every widget.
 * Gives up after 300 steps (a carousel that never stops changing) without failing: the caller reads the DOM as it is.
 */
export async function settleWidgets(page: Page, waitMs: number): Promise<void> {
  await page.evaluate(async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const roots = Array.from(document.querySelectorAll('[data-localrank-widget]'), (el) => el.shadowRoot).filter((r): r is ShadowRoot => !!r);
    let changed = false;
    const observer = new MutationObserver(() => {
      changed = true;
    });
    for (const root of roots) observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    const step = (): Promise<void> =>
      new Promise((resolve) => {
        let done = false;
        const run = (): void => {
          if (done) return;
          done = true;
          resolve();
        };
        requestAnimationFrame(() => setTimeout(run, 0));
        setTimeout(run, 100);
      });
    const needed = 2 * roots.length + 3;
    let quiet = 0;
    for (let i = 0; i < 300 && quiet < needed; i++) {
      await step();
      quiet = changed ? 0 : quiet + 1;
      changed = false;
    }
    observer.disconnect();
  }, waitMs);
}
