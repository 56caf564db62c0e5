import { expect, test } from '@playwright/test';
import { carouselIds, catalog, categoryOf, storedEvents, waitForReady } from './helpers';

/** A category that cold start does not put first, so moving it to the front is the shopper's doing. */
async function pickCategory(coldIds: string[]): Promise<string> {
  const head = new Set(coldIds.slice(0, 4).map((id) => categoryOf.get(id)));
  const counts = new Map<string, number>();
  for (const p of catalog) if (p.inStock) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts.keys()].find((c) => !head.has(c) && (counts.get(c) ?? 0) >= 20)!;
}

test('browsing one category moves it to the front of "For you", survives reload, and is private to the browser', async ({ page, browser }) => {
  await page.goto('/');
  await waitForReady(page);
  const cold = await carouselIds(page, 'for-you');
  const category = await pickCategory(cold);
  expect(category).toBeTruthy();

  // Browse the category grid, open two products (click → product page → dwell), add one to the cart.
  await page.goto(`/category.html?c=${category}`);
  await waitForReady(page);
  const tiles = page.locator('[data-localrank-list] [data-product-id]:not([data-localrank-action])');
  await expect(tiles.first()).toBeVisible();
  // Tiles on screen for a second are logged as impressions, with their list and position.
  await expect
    .poll(async () => (await storedEvents(page)).filter((e) => e.type === 'impression' && e.context.list === `category:${category}`).length)
    .toBeGreaterThan(0);
  const opened: string[] = [];
  const positions: number[] = [];
  for (let i = 0; i < 2; i++) {
    // The grid may be reordered for the shopper at any time: pin the tile by id and read its position as clicked.
    const id = (await tiles.nth(i).getAttribute('data-product-id'))!;
    const tile = page.locator(`[data-localrank-list] [data-product-id="${id}"]:not([data-localrank-action])`);
    opened.push(id);
    positions.push(
      await tile.evaluate((el) => Array.from(el.closest('[data-localrank-list]')!.querySelectorAll('[data-product-id]:not([data-localrank-action])')).indexOf(el)),
    );
    await tile.locator('a').first().click();
    await page.waitForURL(/product\.html/);
    await waitForReady(page);
    await page.waitForTimeout(1200); // visible time on the product page → a dwell event when we leave
    if (i === 1) await page.locator('#product-add').click();
    await page.goBack();
    await waitForReady(page);
  }

  await page.goto('/');
  await waitForReady(page);
  const warm = await carouselIds(page, 'for-you');
  expect(warm.slice(0, 2).map((id) => categoryOf.get(id))).toEqual([category, category]);
  expect(warm.slice(0, 6).filter((id) => categoryOf.get(id) === category).length).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why-text"]').first()).toHaveText(/Because you viewed|You viewed/);

  // Recently viewed shows the products opened, newest first.
  const recent = await carouselIds(page, 'recently-viewed');
  expect(recent.slice(0, 2)).toEqual([opened[1], opened[0]]);

  // The stored log has the right types, ids and contexts.
  const events = await storedEvents(page);
  const clicks = events.filter((e) => e.type === 'click');
  expect(clicks.map((e) => e.productId)).toEqual(opened);
  for (const [i, c] of clicks.entries()) {
    expect(c.context).toMatchObject({ page: 'category', list: `category:${category}`, position: positions[i] });
  }
  const dwell = events.filter((e) => e.type === 'dwell');
  expect(dwell.map((e) => e.productId)).toEqual(opened);
  for (const d of dwell) {
    expect(d.context.page).toBe('product');
    expect(d.dwellMs).toBeGreaterThanOrEqual(1000);
  }
  const cart = events.filter((e) => e.type === 'add-to-cart');
  expect(cart).toHaveLength(1);
  expect(cart[0]).toMatchObject({ productId: opened[1], context: { page: 'product' } });
  const impressions = events.filter((e) => e.type === 'impression');
  expect(impressions.length).toBeGreaterThan(0);
  expect(impressions.every((e) => typeof e.productId === 'string' && typeof e.time === 'number')).toBe(true);
  expect(impressions.some((e) => e.context.list === `category:${category}` && e.context.page === 'category')).toBe(true);
  // The carousel's own cards count impressions too, once at least half visible for a second.
  await page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first().scrollIntoViewIfNeeded();
  await expect
    .poll(async () => (await storedEvents(page)).filter((e) => e.type === 'impression' && e.context.widget === 'for-you').map((e) => e.context.position))
    .toContain(0);

  // After a reload the order comes from IndexedDB.
  await page.reload();
  await waitForReady(page);
  expect((await carouselIds(page, 'for-you')).slice(0, 2)).toEqual(warm.slice(0, 2));

  // A new browser context (another shopper / profile) starts empty.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto('/');
  await waitForReady(otherPage);
  expect(await storedEvents(otherPage)).toEqual([]);
  expect(await carouselIds(otherPage, 'for-you')).toEqual(cold);
  await other.close();

  // forgetMe() empties the store and returns the carousel to cold start.
  await page.evaluate(() => window.LocalRank!.forgetMe());
  expect(await storedEvents(page)).toEqual([]);
  await expect.poll(() => carouselIds(page, 'for-you')).toEqual(cold);
  await page.reload();
  await waitForReady(page);
  expect(await carouselIds(page, 'for-you')).toEqual(cold);
});

test('search, purchase and manual track() events are logged with their context', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  const form = page.locator('form[data-localrank-search]').first();
  await form.locator('input[type="search"]').fill('green tea');
  await form.locator('input[type="search"]').press('Enter');
  await page.waitForURL(/search\.html\?q=green/);
  await waitForReady(page);

  const first = page.locator('[data-localrank-list="search"] [data-product-id]:not([data-localrank-action])').first();
  await expect(first).toBeVisible();
  const resultId = (await first.getAttribute('data-product-id'))!;
  await page.locator(`[data-localrank-list="search"] [data-localrank-action="add-to-cart"][data-product-id="${resultId}"]`).click();
  await page.goto('/cart.html');
  await waitForReady(page);
  await page.locator('[data-localrank-action="purchase"]').click();

  const accepted = await page.evaluate(() => window.LocalRank!.track({ type: 'purchase', productId: 'manual-1' }));
  const refused = await page.evaluate(() => window.LocalRank!.track({ type: 'purchase' } as never));
  expect([accepted, refused]).toEqual([true, false]);

  const events = await storedEvents(page);
  expect(events.find((e) => e.type === 'search')).toMatchObject({ context: { page: 'home', query: 'green tea' } });
  expect(events.find((e) => e.type === 'add-to-cart')).toMatchObject({ productId: resultId, context: { page: 'search', list: 'search', query: 'green tea' } });
  expect(events.find((e) => e.type === 'add-to-cart')!.context.position).toBeGreaterThanOrEqual(0);
  const purchases = events.filter((e) => e.type === 'purchase').map((e) => e.productId);
  expect(purchases).toEqual([resultId, 'manual-1']);
  const status = await page.evaluate(() => window.LocalRank!.status());
  expect(status.errors.map((e) => e.code)).toContain('LR_TRACK_INVALID');
});
