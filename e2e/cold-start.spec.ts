import { expect, test } from '@playwright/test';
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
