import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { carouselIds, catalog, waitForReady, watchErrors } from './helpers';

// Training runs in the worker (wasm on this machine's software WebGL): generous timeouts, no timing assertions.
test.setTimeout(180_000);

const overlay = (page: Page) => page.locator('[data-localrank-debug] [data-testid="lr-debug"]');

/** Clicks on `n` in-stock products of one category, written to IndexedDB. */
async function browse(page: Page, category: string, n: number): Promise<string[]> {
  const ids = catalog.filter((p) => p.category === category && p.inStock).slice(0, n).map((p) => p.id);
  await page.evaluate((list) => {
    let t = Date.now() - 3600_000;
    for (const id of list) window.LocalRank!.track({ type: 'click', productId: id, time: (t += 60_000) });
    return window.LocalRank!.flush();
  }, ids);
  return ids;
}

test('without ?localrank-debug or data-debug the overlay chunk is never requested', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto('/?q=localrank-debugging'); // a look-alike parameter does not turn it on
  await waitForReady(page);
  await carouselIds(page, 'for-you');
  await browse(page, 'kitchen', 2);
  await page.evaluate(() => window.LocalRank!.rerank(['p0001', 'p0002'], { list: 'host-list' }));
  await page.waitForTimeout(500); // the refresh after the clicks has run
  expect(requested.filter((u) => u.includes('/chunks/')).some((u) => u.includes('debug'))).toBe(false);
  await expect(page.locator('[data-localrank-debug]')).toHaveCount(0);
});

test('?localrank-debug: backend and why, stored events by type, training chart, last rankings with scores and explanations; keyboard closable', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('/?localrank-debug');
  await waitForReady(page);
  await expect(overlay(page)).toBeVisible();
  await expect(overlay(page)).toHaveAttribute('role', 'dialog');
  await expect(overlay(page)).toHaveAccessibleName('LocalRank debug');

  // Enough engaged products for a fine-tune of the demo's base model, which starts once the page is idle.
  const clicked = await browse(page, 'kitchen', 6);
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().model.runs), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);

  // Backend and why: the same as status().
  const status = await page.evaluate(() => window.LocalRank!.status());
  expect(status.backend).not.toBe('none');
  await expect(overlay(page).getByTestId('lr-debug-backend')).toHaveText(`${status.backend} — ${status.backendReason}`);
  await expect(overlay(page).getByTestId('lr-debug-facts')).toContainText(`ranker${status.ranker}`);

  // Stored events by type: what IndexedDB holds (clicks written above; impressions as the carousels were seen).
  await expect(overlay(page).locator('[data-testid="lr-debug-events"] tr[data-type="click"] td')).toHaveText(String(clicked.length));

  // Training: the run's summary, and one chart point per epoch for loss and validation MRR.
  const run = overlay(page).getByTestId('lr-debug-run');
  await expect(run).toContainText(/^(base|device|scratch) · (done|rejected) · epoch \d+\/\d+ · \d+ examples · validation MRR/);
  const [, done, planned] = /epoch (\d+)\/(\d+)/.exec((await run.textContent())!)!.map(Number);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThanOrEqual(planned!);
  const points = (testId: string) =>
    overlay(page)
      .getByTestId(testId)
      .evaluate((el) => el.getAttribute('points')!.trim().split(/\s+/).length);
  expect(await points('lr-debug-loss')).toBe(done);
  expect(await points('lr-debug-metric')).toBe(done);
  await expect(overlay(page).getByTestId('lr-debug-chart')).toHaveAccessibleName(`Loss and validation MRR over ${done} of ${planned} epochs`);

  // A new action re-ranks For you; the overlay lists that ranking with scores and the card's own explanation.
  await page.evaluate((id) => window.LocalRank!.track({ type: 'add-to-cart', productId: id }), clicked[0]!);
  const forYou = overlay(page).locator('[data-testid="lr-debug-ranking"][data-list="for-you"]');
  await expect(forYou).toHaveAttribute('open', '');
  await expect(forYou.locator('summary')).toContainText(`for-you · ${status.ranker} ·`);
  // Both read again on each poll: the overlay lists a ranking as soon as it is made, and the carousel shows it a few
  // frames later (a snapshot of the carousel taken in between never matched, under load).
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().rendering)).toBe(0);
  await expect
    .poll(async () => {
      const listed = (await forYou.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product-id')))).slice(0, 6);
      const shown = (await carouselIds(page, 'for-you')).slice(0, 6);
      return { listed, shown, same: listed.length === 6 && listed.join() === shown.join() };
    })
    .toMatchObject({ same: true });
  const rows = await forYou.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  for (const [, , score] of rows) expect(Number.isFinite(Number(score))).toBe(true);
  const first = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first();
  await expect(first.getByTestId('lr-why-text')).toHaveText(rows[0]![3]!);
  await expect(overlay(page).locator('[data-testid="lr-debug-ranking"][data-list="trending"]')).toHaveCount(1);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/screenshots/debug-overlay.png' });
  await overlay(page).screenshot({ path: 'test-results/screenshots/debug-overlay-panel.png' });
  await forYou.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await overlay(page).screenshot({ path: 'test-results/screenshots/debug-overlay-rankings.png' });

  // Keyboard: Escape collapses it to the launcher (focused), Enter opens it again with focus on Close.
  await overlay(page).getByTestId('lr-debug-close').focus();
  await page.keyboard.press('Escape');
  await expect(overlay(page)).toHaveCount(0);
  const launcher = page.locator('[data-localrank-debug] [data-testid="lr-debug-open"]');
  await expect(launcher).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(overlay(page)).toBeVisible();
  await expect(overlay(page).getByTestId('lr-debug-close')).toBeFocused();
  await page.keyboard.press('Enter'); // the close button
  await expect(launcher).toBeVisible();
  expect(errors.pageErrors).toEqual([]);
});

test('data-debug on the script tag turns it on, and hostile host CSS cannot break it', async ({ page }) => {
  const errors = watchErrors(page);
  const html = `<!doctype html><html lang="en"><head>
<style>* { color: red !important; font-size: 40px !important; } div { display: none !important; }</style>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" data-debug></script></head>
<body data-localrank-page="home"><section data-localrank-widget="trending"></section></body></html>`;
  await page.route('**/e2e-debug.html', (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/e2e-debug.html');
  await waitForReady(page);
  await expect(overlay(page)).toBeVisible();
  const style = await overlay(page).evaluate((el) => {
    const s = getComputedStyle(el);
    const host = getComputedStyle((el.getRootNode() as ShadowRoot).host);
    return { font: s.fontSize, color: s.color, position: host.position };
  });
  expect(style).toEqual({ font: '13px', color: 'rgb(232, 234, 237)', position: 'fixed' });
  // No model and no training on this page: it says so instead of an empty chart.
  await expect(overlay(page).getByTestId('lr-debug-training')).toHaveText('No training run on this page yet.');
  await expect(overlay(page).getByTestId('lr-debug-backend')).toContainText('none');
  // rerank() lists are shown too.
  await page.evaluate(() => window.LocalRank!.rerank(['p0003', 'p0001', 'p0002'], { list: 'host-list' }));
  await expect(overlay(page).locator('[data-testid="lr-debug-ranking"][data-list="host-list"] tbody tr')).toHaveCount(3);
  expect(errors.pageErrors).toEqual([]);
});
