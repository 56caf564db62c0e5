import { expect, test } from '@playwright/test';
import { carouselIds, catalog, categoryOf, storedEvents, waitForReady } from './helpers';

const FOR_YOU = '[data-localrank-widget="for-you"]';

test('a carousel in the page that gets many new cards keeps the old ones until the new set is whole, then shows only the new ones, where it was scrolled to, logged like any others', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.waitForFunction(() => window.LocalRank!.status().rendering === 0);
  await page.locator(FOR_YOU).scrollIntoViewIfNeeded();
  const before = await carouselIds(page, 'for-you');
  const forYouImpressions = async (): Promise<string[]> =>
    (await storedEvents(page)).filter((e) => e.type === 'impression' && e.context.widget === 'for-you').map((e) => e.productId as string);
  await expect.poll(async () => (await forYouImpressions()).length, { timeout: 15_000 }).toBeGreaterThan(0);
  // The shopper has scrolled the carousel a little.
  const scrolledTo = await page.locator(`${FOR_YOU} [data-testid="lr-track"]`).evaluate((ul) => {
    ul.scrollLeft = 150;
    return ul.scrollLeft;
  });
  expect(scrolledTo).toBeGreaterThan(0);
  // Every frame: how many cards the live widget shows, and the element Preact renders into.
  await page.evaluate((selector) => {
    const root = document.querySelector(selector)!.shadowRoot!;
    const w = window as unknown as { __frames: number[]; __shells: Element[] };
    w.__frames = [];
    w.__shells = [];
    const look = (): void => {
      w.__frames.push(root.querySelectorAll('[data-testid="lr-card"]').length);
      const shell = Array.from(root.children).find((e) => e.tagName === 'DIV');
      if (shell && w.__shells.at(-1) !== shell) w.__shells.push(shell);
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, FOR_YOU);

  // Clicks and a cart in a category For you did not lead with: For you gets many new cards.
  const head = new Set(before.slice(0, 6).map((id) => categoryOf.get(id)));
  const category = [...new Set(catalog.filter((p) => p.inStock).map((p) => p.category))].find((c) => !head.has(c))!;
  const liked = catalog.filter((p) => p.category === category && p.inStock).slice(0, 4).map((p) => p.id);
  await page.evaluate((ids) => {
    for (const id of ids) window.LocalRank!.track({ type: 'click', productId: id });
    window.LocalRank!.track({ type: 'add-to-cart', productId: ids[0]! });
  }, liked);
  await expect.poll(async () => (await carouselIds(page, 'for-you')).filter((id) => !before.includes(id)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  await page.waitForFunction(() => window.LocalRank!.status().rendering === 0);
  const after = await carouselIds(page, 'for-you');
  const fresh = after.filter((id) => !before.includes(id));

  const { frames, shells } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __shells: Element[] };
    return { frames: w.__frames, shells: w.__shells.length };
  });
  // Never a partial or doubled carousel: each frame showed the old set or the new one, whole.
  expect(frames.length).toBeGreaterThan(0);
  expect(frames.every((n) => n === before.length || n === after.length)).toBe(true);
  // The new set was built apart and took the old one's place; the old cards are gone, none is shown twice.
  expect(shells).toBeGreaterThanOrEqual(2);
  expect(new Set(after).size).toBe(after.length);
  expect(after.length).toBeGreaterThan(0);
  // Where the shopper had scrolled to.
  const scrollNow = await page.locator(`${FOR_YOU} [data-testid="lr-track"]`).evaluate((ul) => ul.scrollLeft);
  expect(Math.abs(scrollNow - scrolledTo)).toBeLessThanOrEqual(1);

  // The new cards are observed (impressions once visible); a product kept from the old set is not logged again.
  await expect.poll(async () => (await forYouImpressions()).filter((id) => fresh.includes(id)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(1500);
  const perProduct = new Map<string, number>();
  for (const id of await forYouImpressions()) perProduct.set(id, (perProduct.get(id) ?? 0) + 1);
  expect([...perProduct.entries()].filter(([, n]) => n > 1)).toEqual([]);
  // And clickable.
  const first = page.locator(`${FOR_YOU} [data-testid="lr-card"][data-product-id="${after[0]}"] a`).first();
  await first.click();
  await page.waitForURL(/product\.html/);
  await waitForReady(page);
  const clicks = (await storedEvents(page)).filter((e) => e.type === 'click' && e.productId === after[0] && e.context.widget === 'for-you');
  expect(clicks).toHaveLength(1);
});
