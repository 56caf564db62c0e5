import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitForReady, watchErrors } from './helpers';

// <localrank-carousel> as an alternative to data attributes: what a framework renders (set attributes, insert,
// remove) is what LocalRank mounts, updates and unmounts.
const host = (body: string): string => `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script></head>
<body data-localrank-page="home">${body}</body></html>`;

async function open(page: Page, body: string): Promise<void> {
  await page.route('**/e2e-element.html', (r) => r.fulfill({ contentType: 'text/html', body: host(body) }));
  await page.goto('/e2e-element.html');
  await waitForReady(page);
}

const cards = (page: Page, selector: string) => page.locator(`${selector} [data-testid="lr-card"]`);
const settled = (page: Page) => expect.poll(() => page.evaluate(() => window.LocalRank!.status().rendering)).toBe(0);

test('<localrank-carousel> renders like a mount point, follows its attributes, and unmounts when removed', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '<localrank-carousel id="a" type="for-you" limit="6" heading="Picked for you"></localrank-carousel>');
  expect(await page.evaluate(() => customElements.get('localrank-carousel') !== undefined)).toBe(true);
  await expect(cards(page, '#a')).toHaveCount(6);
  await expect(page.locator('#a [data-testid="lr-heading"]')).toHaveText('Picked for you');
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('#a')!).display)).toBe('block');

  // A framework changes attributes: the carousel renders anew.
  await page.evaluate(() => document.querySelector('#a')!.setAttribute('limit', '4'));
  await expect(cards(page, '#a')).toHaveCount(4);
  await page.evaluate(() => {
    const el = document.querySelector('#a')!;
    el.setAttribute('type', 'trending');
    el.removeAttribute('heading');
  });
  await expect(page.locator('#a [data-testid="lr-heading"]')).toHaveText('Trending now');
  await settled(page);

  // Created and inserted by script, the way a framework renders it.
  await page.evaluate(() => {
    const el = document.createElement('localrank-carousel');
    el.id = 'b';
    el.setAttribute('limit', '3');
    document.body.append(el);
  });
  await expect(cards(page, '#b')).toHaveCount(3); // type defaults to for-you
  expect(await page.evaluate(() => window.LocalRank!.status().widgets)).toBe(2);

  // Removed: unmounted (the runtime stops rendering into it).
  await page.evaluate(() => document.querySelector('#a')!.remove());
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().widgets)).toBe(1);
  expect(errors.pageErrors).toEqual([]);
});

test('a <localrank-carousel> moved in the page keeps its cards: it is not unmounted and mounted again', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '<div id="left"><localrank-carousel id="m" type="for-you" limit="5"></localrank-carousel></div><div id="right"></div>');
  await expect(cards(page, '#m')).toHaveCount(5);
  await settled(page);
  const before = await cards(page, '#m').evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));
  // Re-parented the way a framework moves a node; the cards are counted in the same task and a frame later.
  const seen = await page.evaluate(async () => {
    const el = document.querySelector('#m')!;
    document.querySelector('#right')!.append(el);
    const count = (): number => el.shadowRoot!.querySelectorAll('[data-testid="lr-card"]').length;
    const now = count();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return [now, count(), window.LocalRank!.status().widgets];
  });
  expect(seen).toEqual([5, 5, 1]);
  await settled(page);
  expect(await cards(page, '#right #m').evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')))).toEqual(before);
  // Removed for good: unmounted.
  await page.evaluate(() => document.querySelector('#m')!.remove());
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().widgets)).toBe(0);
  expect(errors.pageErrors).toEqual([]);
});

test('a <localrank-carousel> with a bad type or limit is reported with a stable code, never thrown', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '<localrank-carousel id="x" type="bestsellers"></localrank-carousel><localrank-carousel id="y" limit="lots"></localrank-carousel>');
  await expect(cards(page, '#y')).toHaveCount(12); // the configured limit
  const codes = await page.evaluate(() => window.LocalRank!.status().errors.map((e) => e.code));
  expect(codes).toContain('LR_WIDGET_UNKNOWN_TYPE');
  expect(codes).toContain('LR_WIDGET_INVALID_ATTRIBUTE');
  await expect(cards(page, '#x')).toHaveCount(0);
  // Fixing the type later mounts it.
  await page.evaluate(() => document.querySelector('#x')!.setAttribute('type', 'trending'));
  await expect(cards(page, '#x')).toHaveCount(12);
  expect(errors.pageErrors).toEqual([]);
});

test('after a type change, leaving the carousel never repaints the old type (no stale focusout handler)', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '<button id="out">out</button><localrank-carousel id="a" type="for-you" limit="4"></localrank-carousel>');
  await expect(cards(page, '#a')).toHaveCount(4);
  // Focus inside (frozen), an action makes it stale, then the type changes.
  await cards(page, '#a').first().locator('a').first().focus();
  const id = await cards(page, '#a').first().getAttribute('data-product-id');
  await page.evaluate((p) => window.LocalRank!.track({ type: 'click', productId: p! }), id);
  await settled(page);
  await page.evaluate(() => document.querySelector('#a')!.setAttribute('type', 'trending'));
  await expect(page.locator('#a [data-testid="lr-heading"]')).toHaveText('Trending now');
  await settled(page);
  // The shopper tabs into the new carousel and leaves it.
  await cards(page, '#a').first().locator('a').first().focus();
  await page.locator('#out').focus();
  await page.waitForTimeout(300);
  await expect(page.locator('#a [data-testid="lr-heading"]')).toHaveText('Trending now');
  expect(errors.pageErrors).toEqual([]);
});
