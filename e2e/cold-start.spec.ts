import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { carouselIds, catalog, layoutShifts, recordLayoutShifts, waitForReady, watchErrors } from './helpers';

test('a fresh shopper sees popular products in "For you", without layout shift or errors', async ({ page }) => {
  const errors = watchErrors(page);
  await recordLayoutShifts(page);
  await page.goto('/');
  const status = await waitForReady(page);
  expect(status).toMatchObject({ state: 'ready', storage: 'indexeddb', ranker: 'heuristic', page: 'home' });
  expect((status.catalog as { products: number }).products).toBe(catalog.length);

  const ids = await carouselIds(page, 'for-you');
  expect(ids.length).toBe(12);
  // Cold start = catalog popularity (with at most 2 of a category in a row): every shown item is among the most
  // popular in-stock products.
  const popular = catalog.filter((p) => p.inStock).sort((a, b) => b.popularity - a.popularity).slice(0, 48).map((p) => p.id);
  for (const id of ids) expect(popular).toContain(id);
  const first = catalog.find((p) => p.id === ids[0])!;
  expect(first.popularity).toBe(Math.max(...catalog.filter((p) => p.inStock).map((p) => p.popularity)));

  // Trending on the same page does not repeat what For you shows.
  const trending = await carouselIds(page, 'trending');
  expect(trending.filter((id) => ids.includes(id))).toEqual([]);

  // The explanation is behind "Why this?".
  const why = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why"]').first();
  await why.click();
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why-text"]').first()).toBeVisible();
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why-text"]').first()).toContainText('Popular in');

  // Give late images and the other carousels time to settle, then check nothing moved.
  await page.waitForTimeout(1000);
  const shifts = await layoutShifts(page);
  expect(shifts, JSON.stringify(shifts)).toEqual([]);
  expect(errors.pageErrors).toEqual([]);
  expect(errors.consoleErrors).toEqual([]);
});

test('the widget renders prices with Intl.NumberFormat and only safe links', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  const card = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first();
  await expect(card.locator('[data-testid="lr-card-price"]')).toHaveText(/€\s?\d/);
  const hrefs = await page
    .locator('[data-localrank-widget] [data-testid="lr-card-link"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const h of hrefs) expect(h).toMatch(/^(\/|https?:)/);
});

interface IntlTimes {
  answered?: number;
  firstFormat?: number;
  closed: boolean;
}

/**
 * Records, in page time, when LocalRank's worker named `workerName` said it had loaded the locale data (the catalog
 * worker's `{ intl: true }`, the Intl worker's `true`), whether it was terminated, and when the page first built an
 * `Intl.NumberFormat`. Read back with {@link intlTimes}.
 */
async function recordIntl(page: Page, workerName: string): Promise<void> {
  await page.addInitScript((name) => {
    const w = window as never as { __intl: IntlTimes };
    w.__intl = { closed: false };
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        if (options?.name !== name) return;
        this.addEventListener('message', (e: MessageEvent) => {
          if (e.data === true || e.data?.intl === true) w.__intl.answered ??= performance.now();
        });
        const terminate = this.terminate.bind(this);
        this.terminate = () => ((w.__intl.closed = true), terminate());
      }
    };
    const NativeFormat = Intl.NumberFormat;
    Intl.NumberFormat = function (this: unknown, ...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      w.__intl.firstFormat ??= performance.now();
      return new NativeFormat(...args);
    } as unknown as typeof Intl.NumberFormat;
  }, workerName);
}

const intlTimes = (page: Page): Promise<IntlTimes> => page.evaluate(() => (window as never as { __intl: IntlTimes }).__intl);

test("the page's first Intl call (locale data, a long task) is paid in LocalRank's catalog worker, before the first price", async ({ page }) => {
  await recordIntl(page, 'localrank-catalog');
  // A slow worker script (a slow network): the first price must still wait for the worker's answer.
  await page.route(/\/chunks\/read-catalog\.worker-[\w-]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 500));
    await route.continue();
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  await waitForReady(page);
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card-price"]').first()).toHaveText(/€\s?\d/);
  const intl = await intlTimes(page);
  expect(workers.some((u) => /\/chunks\/read-catalog\.worker-[\w-]+\.js$/.test(u))).toBe(true);
  expect(workers.filter((u) => /warm-intl/.test(u))).toEqual([]); // no worker of its own for the locale data
  expect(intl.answered).toBeDefined();
  expect(intl.firstFormat).toBeDefined();
  expect(intl.firstFormat!).toBeGreaterThan(intl.answered!); // the first price came after the worker loaded the data
  expect(intl.closed).toBe(true); // and the worker is gone
});

test('with an inline catalog (no URL), a throwaway worker of its own loads the locale data before the first price', async ({ page }) => {
  const products = catalog.slice(0, 30); // the demo's rows, with their prices in euro
  await recordIntl(page, 'localrank-intl');
  await page.route('**/e2e-inline.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>inline</title>
<script>window.LocalRankConfig = { products: ${JSON.stringify(products)} };</script>
<script type="module" src="/localrank.js"></script></head>
<body data-localrank-page="home"><div data-localrank-widget="trending"></div></body></html>`,
    }),
  );
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/e2e-inline.html');
  await waitForReady(page);
  await expect(page.locator('[data-localrank-widget="trending"] [data-testid="lr-card-price"]').first()).toHaveText(/€\s?\d/);
  const intl = await intlTimes(page);
  expect(workers.filter((u) => /read-catalog/.test(u))).toEqual([]);
  expect(workers.some((u) => /\/chunks\/warm-intl\.worker-[\w-]+\.js$/.test(u))).toBe(true);
  expect(intl.firstFormat!).toBeGreaterThan(intl.answered!);
});
