import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { carouselIds, layoutShifts, recordLayoutShifts, waitForReady, watchErrors } from './helpers';

// Item 7 of issue 7: shopper strings (i18n), prices with Intl.NumberFormat, dark mode, lazy images without shift.

const host = (head: string, body: string, lang = 'en'): string => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${head}
<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script></head>
<body data-localrank-page="home">${body}</body></html>`;

async function open(page: Page, html: string): Promise<void> {
  await page.route('**/e2e-look.html', (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await page.goto('/e2e-look.html');
  await waitForReady(page);
}

const GERMAN = {
  headings: { 'for-you': 'Für dich empfohlen', trending: 'Gerade beliebt' },
  carousel: { previous: 'Vorherige Produkte', next: 'Nächste Produkte', slide: '{index} von {count}', why: 'Warum das?', loading: 'Empfehlungen werden geladen' },
  dataPanel: { open: 'Deine Daten', title: 'Deine Daten in diesem Shop', close: 'Schließen' },
  explanations: { popular: 'Beliebt in diesem Shop', 'popular-in': 'Beliebt in {subject}', trending: 'Gerade beliebt in {subject}', viewed: 'Weil du {subject} angesehen hast' },
};

test('strings: a shop translates the widget through LocalRankConfig.strings; prices follow the page locale', async ({ page }) => {
  const errors = watchErrors(page);
  const config = `<script>window.LocalRankConfig = ${JSON.stringify({ strings: GERMAN })};</script>`;
  await open(
    page,
    host(config, '<div data-localrank-widget="for-you"></div><div data-localrank-widget="trending" data-title="Bestseller der Woche"></div>', 'de-DE'),
  );
  const forYou = page.locator('[data-localrank-widget="for-you"]');
  await carouselIds(page, 'for-you');
  await expect(forYou.getByTestId('lr-heading')).toHaveText('Für dich empfohlen');
  await expect(forYou.getByTestId('lr-carousel-for-you')).toHaveAccessibleName('Für dich empfohlen');
  // A mount point's data-title still wins over the configured heading.
  await expect(page.locator('[data-localrank-widget="trending"]').getByTestId('lr-heading')).toHaveText('Bestseller der Woche');
  await expect(forYou.getByTestId('lr-prev')).toHaveAccessibleName('Vorherige Produkte');
  await expect(forYou.getByTestId('lr-next')).toHaveAccessibleName('Nächste Produkte');
  const n = await forYou.getByTestId('lr-card').count();
  await expect(forYou.getByTestId('lr-card').first()).toHaveAttribute('aria-label', `1 von ${n}`);
  await expect(forYou.getByTestId('lr-why').first()).toHaveText('Warum das?');
  await forYou.getByTestId('lr-why').first().click();
  await expect(forYou.getByTestId('lr-why-text').first()).toHaveText(/^(Beliebt in .+|Gerade beliebt in .+|Weil du .+ angesehen hast)$/);
  await expect(forYou.getByTestId('lr-data-open')).toHaveText('Deine Daten');
  // Prices: Intl.NumberFormat in the page's locale (<html lang="de-DE">) and the catalog's currency.
  const prices = await forYou.getByTestId('lr-card-price').allTextContents();
  expect(prices.length).toBeGreaterThan(0);
  for (const p of prices) expect(p).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s€$/);
  const status = await page.evaluate(() => window.LocalRank!.status());
  expect(status.errors).toEqual([]);
  expect(errors.pageErrors).toEqual([]);
});

test('strings: unknown keys and wrong types are one LR_CONFIG_STRINGS error; the rest still applies', async ({ page }) => {
  const errors = watchErrors(page);
  const strings = { carousel: { why: 'Pourquoi ?', nxt: 'Suivant', previous: 7 }, headline: { 'for-you': 'Pour vous' } };
  await open(page, host(`<script>window.LocalRankConfig = ${JSON.stringify({ strings })};</script>`, '<div data-localrank-widget="for-you"></div>'));
  await carouselIds(page, 'for-you');
  const status = await page.evaluate(() => window.LocalRank!.status());
  const codes = status.errors.map((e) => e.code);
  expect(codes).toEqual(['LR_CONFIG_STRINGS']);
  expect(status.errors[0]!.recoverable).toBe(true);
  for (const part of ['strings.carousel.nxt is not a known key', 'strings.carousel.previous must be a non-empty string', 'strings.headline is not a known group']) {
    expect(status.errors[0]!.message).toContain(part);
  }
  const forYou = page.locator('[data-localrank-widget="for-you"]');
  await expect(forYou.getByTestId('lr-why').first()).toHaveText('Pourquoi ?');
  await expect(forYou.getByTestId('lr-prev')).toHaveAccessibleName('Previous products');
  await expect(forYou.getByTestId('lr-heading')).toHaveText('Recommended for you');
  expect(errors.pageErrors).toEqual([]);
});

test('currency: each product its own currency via Intl.NumberFormat; an unusable code falls back to the default currency', async ({ page }) => {
  const products = [
    { id: 'a', title: 'Yen product', category: 'x', price: 1200, currency: 'JPY', popularity: 9 },
    { id: 'b', title: 'Dollar product', category: 'y', price: 12.5, currency: 'USD', popularity: 8 },
    { id: 'c', title: 'Broken currency', category: 'z', price: 3, currency: 'EURO', popularity: 7 },
    { id: 'd', title: 'No price', category: 'w', popularity: 6 },
  ];
  const config = `<script>window.LocalRankConfig = ${JSON.stringify({ products, locale: 'en-US', currency: 'CHF' })};</script>`;
  await open(page, host(config, '<div data-localrank-widget="trending"></div>').replace(' data-catalog="/catalog.json"', ''));
  const cards = page.locator('[data-localrank-widget="trending"] [data-testid="lr-card"]');
  await expect(cards).toHaveCount(4);
  const price = (id: string) => page.locator(`[data-localrank-widget="trending"] [data-testid="lr-card"][data-product-id="${id}"] [data-testid="lr-card-price"]`);
  await expect(price('a')).toHaveText('¥1,200');
  await expect(price('b')).toHaveText('$12.50');
  // The catalog parser refuses "EURO" (not ISO 4217): the configured default currency is used.
  await expect(price('c')).toHaveText(/^CHF\s3\.00$/);
  await expect(price('d')).toHaveCount(0);
});

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function colours(page: Page): Promise<{ bg: string; text: string; muted: string; surface: string }> {
  const section = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-carousel-for-you"]');
  await expect(section.getByTestId('lr-card').first()).toBeVisible();
  return section.evaluate((el) => {
    const s = getComputedStyle(el);
    const why = el.querySelector('[data-testid="lr-why"]')!;
    const media = el.querySelector('.lr-Carousel-media')!;
    return { bg: s.backgroundColor, text: s.color, muted: getComputedStyle(why).color, surface: getComputedStyle(media).backgroundColor };
  });
}

test('dark mode: prefers-color-scheme switches the default colours, readable in both; the shop’s --lr-* still win', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await waitForReady(page);
  const light = await colours(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await colours(page);
  expect(dark.bg).not.toBe(light.bg);
  expect(dark.text).not.toBe(light.text);
  for (const c of [light, dark]) {
    expect(contrast(c.text, c.bg)).toBeGreaterThanOrEqual(7);
    expect(contrast(c.muted, c.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(c.text, c.surface)).toBeGreaterThanOrEqual(4.5);
  }
  expect(dark).toEqual({ bg: 'rgb(23, 25, 29)', text: 'rgb(230, 232, 235)', muted: 'rgb(161, 169, 179)', surface: 'rgb(41, 45, 51)' });
  await page.locator('[data-localrank-widget="for-you"] [data-testid="lr-why"]').first().click();
  await page.screenshot({ path: 'test-results/screenshots/home-dark.png' });

  // A shop's own custom properties override the dark defaults.
  await page.addStyleTag({ content: '[data-localrank-widget="for-you"] { --lr-bg: #000; --lr-text: #ffeb3b; }' });
  const themed = await colours(page);
  expect([themed.bg, themed.text]).toEqual(['rgb(0, 0, 0)', 'rgb(255, 235, 59)']);
});

test('images: lazy, decoded off the critical path, in a fixed square box: cards never shift when images arrive', async ({ page }) => {
  await recordLayoutShifts(page);
  // 30 products with images of their own; slow and not square: if the box depended on the image, the cards would
  // change size when they arrive.
  const products = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, title: `Product ${i}`, category: `c${i % 6}`, price: 10 + i, image: `/img/lazy-q${i}.svg`, popularity: 100 - i }));
  const wide = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect width="300" height="120" fill="#c66"/></svg>';
  const requested = new Set<string>();
  await page.route('**/img/lazy-*', async (r) => {
    requested.add(/lazy-(q\d+)/.exec(r.request().url())![1]!);
    await new Promise((res) => setTimeout(res, 700));
    await r.fulfill({ contentType: 'image/svg+xml', body: wide });
  });
  const config = `<script>window.LocalRankConfig = ${JSON.stringify({ products, currency: 'EUR' })};</script>`;
  const body = '<div data-localrank-widget="for-you"></div><div style="height: 9000px"></div><div data-localrank-widget="trending"></div>';
  await open(page, host(config, body).replace(' data-catalog="/catalog.json"', ''));
  const forYou = page.locator('[data-localrank-widget="for-you"]');
  const forYouIds = await carouselIds(page, 'for-you');
  const img = forYou.locator('[data-testid="lr-card"] img').first();
  await expect(img).toHaveAttribute('loading', 'lazy');
  await expect(img).toHaveAttribute('decoding', 'async');
  await expect(img).toHaveAttribute('width', '176');
  await expect(img).toHaveAttribute('height', '176');
  const box = () =>
    forYou.locator('[data-testid="lr-card"]').first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      const m = el.querySelector('.lr-Carousel-media')!.getBoundingClientRect();
      return { card: [r.width, r.height], media: [m.width, m.height] };
    });
  const before = await box();
  expect(before.media[0]).toBe(before.media[1]);
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  expect(await box()).toEqual(before);

  // Trending (other products than For you) is far below the fold: its images wait until the shopper scrolls near it.
  const trendingIds = await carouselIds(page, 'trending');
  expect(trendingIds.filter((id) => forYouIds.includes(id))).toEqual([]);
  await page.waitForTimeout(500);
  expect(trendingIds.filter((id) => requested.has(id))).toEqual([]);
  await page.locator('[data-localrank-widget="trending"]').scrollIntoViewIfNeeded();
  await expect.poll(() => trendingIds.filter((id) => requested.has(id)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const trendingImg = page.locator('[data-localrank-widget="trending"] [data-testid="lr-card"] img').first();
  await expect.poll(() => trendingImg.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  await page.waitForTimeout(300);
  const shifts = await layoutShifts(page);
  expect(shifts, JSON.stringify(shifts)).toEqual([]);
});
