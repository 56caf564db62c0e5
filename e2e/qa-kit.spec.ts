import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { getRanking, resetStore, seedHistory, waitForModel } from 'localrank/testing';
import type { SeedEvent } from 'localrank/testing';
import { catalog, categoryOf, storedEvents, watchErrors } from './helpers';

// The QA kit (`localrank/testing`) against the production build, each helper through LocalRank's public API.
// Training runs in the browser (wasm here): generous test timeouts, no timing assertions.

const WIDGETS = '<div data-localrank-widget="for-you"></div><div data-localrank-widget="recently-viewed"></div>';
const host = (attrs: string, widgets = WIDGETS): string =>
  `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home">${widgets}</body></html>`;

/** Serves `html` at `/e2e-qa.html` (for this context) and opens it. */
async function open(page: Page, html: string): Promise<void> {
  await page.context().route('**/e2e-qa.html', (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/e2e-qa.html');
}

/** A shopper who prefers `category`: sees three other products before each click there; carts every third. */
function shopper(category: string, count = 14, start = Date.UTC(2025, 0, 6, 9)): SeedEvent[] {
  const liked = catalog.filter((p) => p.category === category && p.inStock).slice(0, count);
  const others = catalog.filter((p) => p.category !== category).slice(0, count * 3);
  let time = start;
  return liked.flatMap((p, i) => [
    ...others.slice(i * 3, i * 3 + 3).map((o) => ({ type: 'impression' as const, productId: o.id, time: (time += 20_000) })),
    { type: 'click' as const, productId: p.id, time: new Date((time += 20_000)) },
    ...(i % 3 === 0 ? [{ type: 'add-to-cart' as const, productId: p.id, time: (time += 5_000) }] : []),
  ]);
}

/** A history recent enough to matter for "For you" today: `shopper`, starting three hours ago. */
function recentShopper(category: string, count = 14): SeedEvent[] {
  return shopper(category, count, Date.now() - 3 * 3_600_000);
}

test.describe('seedHistory', () => {
  test('writes the events with their times through track() + flush(), returns how many were stored, skips invalid ones', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, host(''));
    const history = shopper('books', 6);
    const bad = [{ type: 'click' }, { type: 'teleport', productId: 'p0001' }] as unknown as SeedEvent[];
    const stored = await seedHistory(page, [...history, ...bad]);
    expect(stored).toBe(history.length);

    const events = await storedEvents(page);
    const seeded = events.filter((e) => e.time < Date.UTC(2025, 0, 7)); // the carousel's own impressions are "now"
    expect(seeded.map((e) => [e.type, e.productId, e.time])).toEqual(
      history.map((e) => [e.type, e.productId, e.time instanceof Date ? e.time.getTime() : e.time]),
    );
    const status = await page.evaluate(() => window.LocalRank!.status());
    expect(status.errors.filter((e) => e.code === 'LR_TRACK_INVALID')).toHaveLength(2);
    expect(errors.pageErrors).toEqual([]);
  });

  test('the carousels show the seeded history when it resolves', async ({ page }) => {
    await open(page, host(''));
    const cold = await getRanking(page, 'for-you');
    await seedHistory(page, recentShopper('coffee-tea', 6));
    const warm = await getRanking(page, 'for-you');
    expect(warm).not.toEqual(cold);
    expect(categoryOf.get(warm[0]!)).toBe('coffee-tea');
    // Recently viewed lists the clicked products, newest first.
    expect((await getRanking(page, 'recently-viewed'))[0]).toBe(catalog.filter((p) => p.category === 'coffee-tea' && p.inStock)[5]!.id);
  });

  test('fails with the cause: no LocalRank on the page, a misconfigured tag, no consent (nothing stored)', async ({ page }) => {
    await page.route('**/e2e-qa-plain.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><p>no LocalRank here</p>' }));
    await page.goto('/e2e-qa-plain.html');
    await expect(seedHistory(page, shopper('books', 1), { timeout: 1000 })).rejects.toThrow(
      /seedHistory: window\.LocalRank did not appear within 1000 ms .*Is the LocalRank script tag on this page\?/,
    );

    await page.route('**/e2e-qa-broken.html', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html><script type="module" src="/localrank.js"></script>' }),
    );
    await page.goto('/e2e-qa-broken.html');
    await expect(seedHistory(page, shopper('books', 1))).rejects.toThrow(/seedHistory: LocalRank is not ready \(LR_CONFIG_MISSING_CATALOG: No catalog/);

    await open(page, host('data-consent="required"'));
    expect(await seedHistory(page, shopper('books', 2))).toBe(0);
  });
});

test.describe('getRanking', () => {
  test('reads the ids of a widget in order, by widget type or mount-point selector; [] for an empty carousel', async ({ page }) => {
    await open(page, host('', '<div id="main-recs" data-localrank-widget="for-you"></div><div data-localrank-widget="recently-viewed"></div>'));
    const ids = await getRanking(page, 'for-you');
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(await getRanking(page, '#main-recs')).toEqual(ids);
    // The same ids, in the same order, as the cards' stable test ids and positions say.
    const cards = page.locator('[data-localrank-widget="for-you"]').getByTestId('lr-card');
    expect(await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-product-id'), e.getAttribute('data-position')]))).toEqual(
      ids.map((id, i) => [id, String(i)]),
    );
    await expect(page.getByTestId('lr-carousel-for-you')).toHaveAttribute('data-state', 'ready');
    // No history: "Recently viewed" is empty.
    expect(await getRanking(page, 'recently-viewed')).toEqual([]);
    await expect(page.getByTestId('lr-carousel-recently-viewed')).toHaveAttribute('data-state', 'empty');
    await expect(page.locator('[data-localrank-widget="recently-viewed"]').getByTestId('lr-empty')).toBeVisible();
  });

  test('fails with the cause when the widget is not on the page', async ({ page }) => {
    await open(page, host(''));
    await expect(getRanking(page, 'trending', { timeout: 1000 })).rejects.toThrow(
      'getRanking: no rendered LocalRank carousel in [data-localrank-widget="trending"] within 1000 ms (no such mount point on the page).',
    );
  });
});

test.describe('waitForModel', () => {
  test.setTimeout(240_000);

  test("resolves for the shop's base model, then for the model trained on the device, then for the stored one after a reload", async ({ page }) => {
    await open(page, host('data-model="/model/" data-backend="wasm"'));
    expect(await waitForModel(page, { source: 'base' })).toMatchObject({ state: 'ready', source: 'base', origin: 'base' });
    await seedHistory(page, recentShopper('outdoor', 16));
    const trained = await waitForModel(page);
    expect(trained).toMatchObject({ state: 'ready', source: 'trained', eventsSeen: 16 });
    await page.reload();
    expect(await waitForModel(page, { source: 'indexeddb' })).toMatchObject({ source: 'indexeddb', trainedAt: trained.trainedAt });
    expect(await waitForModel(page, { source: 'any' })).toMatchObject({ source: 'indexeddb' });
  });

  test('times out with what the status was; fails at once when LocalRank stopped', async ({ page }) => {
    await open(page, host(''));
    await seedHistory(page, shopper('books', 2)); // two engaged products: too few to train on
    const error = await waitForModel(page, { timeout: 1500 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^waitForModel: no trained model within 1500 ms\. Status then: state ready, model \{"state":"none","eventsSeen":0,"runs":0\}, /);
    expect((error as Error).message).toContain('backend none (tfjs not loaded yet (no training needed so far))');

    await page.route('**/e2e-qa-broken.html', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html><script type="module" src="/localrank.js" data-catalog="/catalog.json" data-seed="4.2"></script>' }),
    );
    await page.goto('/e2e-qa-broken.html');
    await page.waitForFunction(() => window.LocalRank?.status().state === 'error');
    await expect(waitForModel(page)).rejects.toThrow(/waitForModel: LocalRank stopped \(LR_CONFIG_INVALID: "seed" \(data-seed\) must be an integer from 0 to 2147483647, got "4\.2"/);
  });
});

test.describe('resetStore', () => {
  test("deletes LocalRank's data and localStorage keys, not the host's; carousels return to cold start", async ({ page }) => {
    // Carousels below the fold: on screen, they would log impressions of their own right after the reset.
    await open(page, host('data-db-name="qa-shop"', `<div style="height: 3000px"></div>${WIDGETS}`));
    const cold = await getRanking(page, 'for-you');
    await page.evaluate(async () => {
      localStorage.setItem('host:cart', '["sku-1"]');
      await new Promise<void>((resolve) => {
        const open = indexedDB.open('host-db');
        open.onupgradeneeded = () => open.result.createObjectStore('orders');
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
      });
      await window.LocalRank!.setConsent(true); // stored as localrank:qa-shop:privacy
    });
    await seedHistory(page, recentShopper('makeup', 6));
    expect(await getRanking(page, 'for-you')).not.toEqual(cold);
    expect((await storedEvents(page, 'qa-shop')).length).toBeGreaterThan(0);

    expect(await resetStore(page)).toBe('qa-shop');
    expect(await storedEvents(page, 'qa-shop')).toEqual([]);
    expect(await getRanking(page, 'for-you')).toEqual(cold);
    expect(await getRanking(page, 'recently-viewed')).toEqual([]);
    const left = await page.evaluate(async () => ({
      keys: Object.keys(localStorage),
      databases: (await indexedDB.databases()).map((d) => d.name).sort(),
    }));
    expect(left.keys).toEqual(['host:cart']);
    expect(left.databases).toEqual(['host-db', 'qa-shop']); // LocalRank's database is open (and empty) while it runs
  });

  test('without LocalRank on the page it deletes the database itself', async ({ page }) => {
    await open(page, host(''));
    await seedHistory(page, shopper('books', 3));
    await page.route('**/e2e-qa-plain.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><p>no LocalRank here</p>' }));
    await page.goto('/e2e-qa-plain.html');
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('localrank');
    expect(await resetStore(page)).toBe('localrank');
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('localrank');
  });
});

test.describe('deterministic mode (data-seed)', () => {
  test.setTimeout(300_000);

  /** A fresh context (its own IndexedDB), seeded history, a model trained on wasm, and what it shows after a reload. */
  async function trainFresh(newContext: () => Promise<BrowserContext>, seed: number, history: SeedEvent[]): Promise<{ ranking: string[]; rerank: string[]; weights: number[] }> {
    const context = await newContext();
    try {
      const page = await context.newPage();
      // The carousel is below the fold: no impressions of its own, so both shoppers' logs are exactly the seeded one.
      await open(page, host(`data-seed="${seed}" data-backend="wasm"`, '<div style="height: 3000px"></div><div data-localrank-widget="for-you"></div>'));
      expect(await seedHistory(page, history)).toBe(history.length);
      await waitForModel(page);
      await page.reload();
      await waitForModel(page, { source: 'indexeddb' });
      const weights = await page.evaluate(
        () =>
          new Promise<number[]>((resolve, reject) => {
            const open = indexedDB.open('localrank');
            open.onsuccess = () => {
              const req = open.result.transaction('models').objectStore('models').get('current');
              req.onsuccess = () => resolve(Array.from(new Uint8Array(req.result.weightData as ArrayBuffer)));
              req.onerror = () => reject(req.error);
            };
          }),
      );
      const list = catalog.filter((p) => p.inStock).slice(0, 80).map((p) => p.id);
      return { ranking: await getRanking(page, 'for-you'), rerank: await page.evaluate((ids) => window.LocalRank!.rerank(ids), list), weights };
    } finally {
      await context.close();
    }
  }

  test('two fresh browsers with the same seed and history train the same model and show the same ranking; another seed, another model', async ({ browser }, testInfo) => {
    const newContext = () => browser.newContext({ baseURL: testInfo.project.use.baseURL });
    // One history with fixed times for every browser (recent, so that it still counts for "For you" today).
    const history = recentShopper('kitchen');
    const a = await trainFresh(newContext, 42, history);
    const b = await trainFresh(newContext, 42, history);
    expect(b.weights).toEqual(a.weights); // bit for bit
    expect(b.ranking).toEqual(a.ranking);
    expect(b.rerank).toEqual(a.rerank);
    expect(a.ranking).toHaveLength(12);

    const c = await trainFresh(newContext, 7, history);
    expect(c.weights).not.toEqual(a.weights);
  });
});
