import type { Page } from '@playwright/test';

/** LocalRank's widget types (`data-localrank-widget`). */
export const WIDGET_TYPES = ['for-you', 'recently-viewed', 'similar', 'trending'] as const;

/** A widget type, or a CSS selector of the mount point (e.g. `#sidebar [data-localrank-widget="similar"]`). */
export type WidgetRef = (typeof WIDGET_TYPES)[number] | (string & {});

/** Options of {@link getRanking}. */
export interface GetRankingOptions {
  /** How long to wait for the carousel to finish loading (default 10,000 ms). */
  readonly timeout?: number;
}

/** The CSS selector of a widget's mount point. */
export function mountSelector(widget: WidgetRef): string {
  return (WIDGET_TYPES as readonly string[]).includes(widget) ? `[data-localrank-widget="${widget}"]` : widget;
}

/**
 * The product ids a LocalRank carousel shows now, in order (`data-product-id` of its `lr-card`s, read through
 * its open shadow root). Waits until the carousel has rendered (`data-state` is `ready` or `empty`; an empty
 * carousel gives `[]`). With several mount points of that widget, the first one in the document counts.
 *
 * @param page a Playwright page with LocalRank on it
 * @param widget `for-you`, `trending`, `recently-viewed`, `similar`, or a CSS selector of the mount point
 * @throws when no rendered carousel is in the mount point within `timeout`
 */
export async function getRanking(page: Page, widget: WidgetRef, options: GetRankingOptions = {}): Promise<string[]> {
  const timeout = options.timeout ?? 10_000;
  const selector = mountSelector(widget);
  // Playwright's CSS engine pierces open shadow roots: the carousel is inside the mount point's.
  const carousel = page.locator(selector).first().locator('[data-testid^="lr-carousel-"]:is([data-state="ready"], [data-state="empty"])');
  try {
    await carousel.waitFor({ state: 'attached', timeout });
  } catch {
    const found = await page.locator(selector).count();
    throw new Error(
      `getRanking: no rendered LocalRank carousel in ${selector} within ${timeout} ms (${found === 0 ? 'no such mount point on the page' : 'the mount point is there, the carousel did not finish loading'}).`,
    );
  }
  return carousel.evaluate((section) =>
    Array.from(section.querySelectorAll('[data-testid="lr-card"]'), (card) => card.getAttribute('data-product-id') ?? ''),
  );
}
