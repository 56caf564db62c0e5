import { expect, test } from '@playwright/test';
import { carouselIds, catalog, waitForReady } from './helpers';

// Screenshots of the demo shop as a shopper sees it (written to test-results/screenshots/ for people to look at).
test('demo shop screenshots: cold start, after browsing, product page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.goto('/');
  await waitForReady(page);
  await carouselIds(page, 'for-you');
  await page.screenshot({ path: 'test-results/screenshots/home-cold.png', fullPage: true });

  const kitchen = catalog.filter((p) => p.category === 'kitchen' && p.inStock).slice(0, 3);
  for (const p of kitchen) await page.evaluate((id) => window.LocalRank!.track({ type: 'click', productId: id }), p.id);
  await page.reload();
  await waitForReady(page);
  const ids = await carouselIds(page, 'for-you');
  expect(catalog.find((p) => p.id === ids[0])!.category).toBe('kitchen');
  await page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why"]').first().click();
  await page.screenshot({ path: 'test-results/screenshots/home-warm.png', fullPage: true });

  await page.goto(`/product.html?id=${kitchen[0]!.id}`);
  await waitForReady(page);
  await carouselIds(page, 'similar');
  await page.screenshot({ path: 'test-results/screenshots/product.png', fullPage: true });
});
