import { expect, test } from '@playwright/test';
import { storedEvents, waitForReady } from './helpers';

const host = (attrs: string): string => `<!doctype html><html><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home"><div data-localrank-widget="for-you"></div></body></html>`;

test('the capped log compacts old events into counters in real IndexedDB, and the profile keeps them', async ({ page }) => {
  await page.route('**/e2e-cap.html', (r) => r.fulfill({ contentType: 'text/html', body: host('data-max-events="100"') }));
  await page.goto('/e2e-cap.html');
  await waitForReady(page);
  const catalog: Array<{ id: string; category: string; inStock: boolean }> = await page.evaluate(() => fetch('/catalog.json').then((r) => r.json()).then((c) => c.products));
  const target = catalog.filter((p) => p.category === catalog[catalog.length - 1]!.category && p.inStock);
  // 150 events: the first 30 are purchases-worthy interest in one category, the rest noise impressions.
  await page.evaluate(
    ({ liked, noise }) => {
      const t0 = Date.now() - 60_000;
      liked.forEach((id, i) => window.LocalRank!.track({ type: 'add-to-cart', productId: id, time: t0 + i }));
      noise.forEach((id, i) => window.LocalRank!.track({ type: 'impression', productId: id, time: t0 + 100 + i }));
    },
    { liked: target.slice(0, 30).map((p) => p.id), noise: catalog.slice(0, 120).map((p) => p.id) },
  );
  await page.evaluate(() => window.LocalRank!.flush());
  await expect.poll(async () => (await storedEvents(page)).length).toBeLessThanOrEqual(100);
  const events = await storedEvents(page);
  expect(events.every((e) => e.type === 'impression')).toBe(true); // the oldest (the cart adds) were compacted
  const counters = await page.evaluate(
    () =>
      new Promise<Array<{ key: string; counts: Record<string, number> }>>((resolve) => {
        const open = indexedDB.open('localrank');
        open.onsuccess = () => {
          const req = open.result.transaction('counters').objectStore('counters').getAll();
          req.onsuccess = () => resolve(req.result);
        };
      }),
  );
  const carts = counters.filter((c) => c.key.startsWith('p:')).reduce((n, c) => n + (c.counts['add-to-cart'] ?? 0), 0);
  expect(carts).toBe(30);
  expect(counters.some((c) => c.key === `c:${target[0]!.category}`)).toBe(true);

  // After a reload the compacted interest still drives "For you".
  await page.reload();
  await waitForReady(page);
  const first = await page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first().getAttribute('data-product-id');
  expect(catalog.find((p) => p.id === first)!.category).toBe(target[0]!.category);
});

test('without IndexedDB the widget keeps working in memory and says so', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto('/');
  const status = await waitForReady(page);
  expect(status.storage).toBe('memory');
  const codes = await page.evaluate(() => window.LocalRank!.status().errors.map((e) => e.code));
  expect(codes).toContain('LR_STORAGE_UNAVAILABLE');
  expect(await page.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'p0001' }))).toBe(true);
  await page.evaluate(() => window.LocalRank!.flush());
  expect((await page.evaluate(() => window.LocalRank!.status())).events).toBe(1);
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first()).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('a tab holding a newer schema version makes this tab close its connection and keep logging (blocking)', async ({ page, context }) => {
  await page.goto('/');
  await waitForReady(page);
  expect(await page.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'p0001' }))).toBe(true);
  await page.evaluate(() => window.LocalRank!.flush());
  // Another tab upgrades the database (a newer LocalRank release): it must not stay blocked by this tab.
  const other = await context.newPage();
  await other.goto('/cart.html');
  const upgraded = await other.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open('localrank', 99);
        req.onblocked = () => resolve('blocked');
        req.onsuccess = () => {
          req.result.close();
          resolve('upgraded');
        };
        req.onerror = () => resolve('error');
      }),
  );
  expect(upgraded).toBe('upgraded');
  // This tab still accepts events without throwing; they are kept (in memory, since its schema is now older).
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  expect(await page.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'p0002' }))).toBe(true);
  await page.evaluate(() => window.LocalRank!.flush());
  const status = await page.evaluate(() => window.LocalRank!.status());
  expect(status.events).toBe(2);
  expect(status.storage).toBe('memory'); // its v1 schema cannot open the v99 database any more
  expect(status.pendingWrites).toBe(0);
  expect(status.errors.map((e) => e.code)).toContain('LR_STORAGE_UNAVAILABLE');
  expect(pageErrors).toEqual([]);
});

test('a click and a track() call made as soon as the first script has run, before its start task, are both logged', async ({ page }) => {
  // The first script's module task only installs window.LocalRank; the rest of its start runs in the next task. A
  // module script after it runs before that task: its click must reach the capture listeners, its track() the log.
  await page.route('**/e2e-early.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>early</title>
<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script>
<script type="module">
  document.getElementById('tile').click();
  window.__tracked = window.LocalRank.track({ type: 'add-to-cart', productId: 'p0002' });
</script></head>
<body data-localrank-page="category"><ul data-localrank-list="early"><li id="tile" data-product-id="p0001">tile</li></ul></body></html>`,
    }),
  );
  await page.goto('/e2e-early.html');
  await waitForReady(page);
  expect(await page.evaluate(() => (window as never as { __tracked: boolean }).__tracked)).toBe(true);
  const events = await storedEvents(page);
  expect(events.filter((e) => e.type === 'click').map((e) => [e.productId, e.context?.list, e.context?.position])).toEqual([['p0001', 'early', 0]]);
  expect(events.filter((e) => e.type === 'add-to-cart').map((e) => e.productId)).toEqual(['p0002']);
});
