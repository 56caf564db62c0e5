import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { carouselIds, catalog, waitForReady, watchErrors } from './helpers';

const host = (attrs: string): string => `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home"><div data-localrank-widget="for-you"></div></body></html>`;

async function open(page: Page, attrs: string): Promise<void> {
  await page.route('**/e2e-model.html', (r) => r.fulfill({ contentType: 'text/html', body: host(attrs) }));
  await page.goto('/e2e-model.html');
  await waitForReady(page);
}

/** A shopper who clearly prefers one category: clicks and carts there, sees others without clicking. */
async function seedShopper(page: Page, category: string): Promise<void> {
  const liked = catalog.filter((p) => p.category === category && p.inStock).slice(0, 14).map((p) => p.id);
  const others = catalog.filter((p) => p.category !== category).slice(0, 40).map((p) => p.id);
  await page.evaluate(
    ({ liked, others }) => {
      let t = Date.now() - 3 * 3600_000;
      liked.forEach((id, i) => {
        for (const o of others.slice(i * 3, i * 3 + 3)) window.LocalRank!.track({ type: 'impression', productId: o, time: (t += 20_000) });
        window.LocalRank!.track({ type: 'impression', productId: id, time: (t += 20_000) });
        window.LocalRank!.track({ type: 'click', productId: id, time: (t += 5_000) });
        if (i % 3 === 0) window.LocalRank!.track({ type: 'add-to-cart', productId: id, time: (t += 5_000) });
      });
    },
    { liked, others },
  );
  await page.evaluate(() => window.LocalRank!.flush());
}

test('webgl: the model trains in the worker on WebGL2, is saved, and after a reload ranks from IndexedDB without retraining', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await open(page, 'data-backend="webgl"');
  const trainEvents: Array<{ phase: string }> = [];
  await page.exposeFunction('__train', (p: { phase: string }) => trainEvents.push(p));
  await page.evaluate(() => window.LocalRank!.on('train', (p) => (window as never as { __train(p: unknown): void }).__train(p)));
  await seedShopper(page, 'books');
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().model.source), { timeout: 150_000 }).toBe('trained');
  const status = await page.evaluate(() => window.LocalRank!.status());
  console.log(JSON.stringify(status));
  console.log(JSON.stringify(trainEvents));
  expect(errors.pageErrors).toEqual([]);
});
