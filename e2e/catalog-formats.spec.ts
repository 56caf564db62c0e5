import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { watchErrors } from './helpers';

/**
 * Catalog formats (issue 7): a shop with no catalog file at all (schema.org JSON-LD or microdata on its pages,
 * `data-page-catalog`), and a Google Merchant Center feed (TSV, RSS) as `data-catalog`.
 */

const TAG = (attrs: string): string => `<script type="module" src="/localrank.js" ${attrs}></script>`;
const html = (head: string, body: string, bodyAttrs = 'data-localrank-page="home"'): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>host</title>${head}</head>
<body ${bodyAttrs}>${body}<div data-localrank-widget="for-you"></div><p id="host">host content</p></body></html>`;

/** Serves `files` (path → [content type, body]) on this page's origin. */
async function serve(page: Page, files: Record<string, [string, string]>): Promise<void> {
  for (const [path, [contentType, body]] of Object.entries(files)) {
    await page.route(`**${path}`, (route) => route.fulfill({ contentType, body }));
  }
}

/** Waits until LocalRank is ready and its carousels have caught up; returns the status. */
async function settled(page: Page): Promise<{ catalog: { products: number; skipped: number }; errors: Array<{ code: string; message: string }> }> {
  await page.waitForFunction(() => !!window.LocalRank);
  await page.evaluate(() => window.LocalRank!.ready);
  await page.waitForFunction(() => window.LocalRank!.status().rendering === 0);
  return page.evaluate(() => {
    const s = window.LocalRank!.status();
    return { catalog: s.catalog, errors: s.errors.map((e) => ({ code: e.code, message: e.message })) };
  });
}

/** Ids, titles and prices of the for-you carousel's cards. */
async function cards(page: Page): Promise<Array<{ id: string; title: string; price: string }>> {
  const card = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]');
  await expect(card.first()).toBeAttached();
  return card.evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-product-id') ?? '',
      title: e.querySelector('[data-testid="lr-card-title"]')?.textContent ?? '',
      price: e.querySelector('[data-testid="lr-card-price"]')?.textContent ?? '',
    })),
  );
}

const byId = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => a.id.localeCompare(b.id));

const LD = (value: unknown): string =>
  // What shops do: JSON-LD in HTML escapes "<" so a "</script>" inside a string cannot end the block.
  `<script type="application/ld+json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;

test('JSON-LD products on a listing page build the catalog without data-catalog, and the next page remembers them', async ({ page }) => {
  const errors = watchErrors(page);
  const listing = LD({
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    itemListElement: [
      { '@type': 'ListItem', position: 1, item: { '@type': 'Product', sku: 'ld-mug', name: 'Stoneware Mug', category: 'Home > Kitchen', brand: { '@type': 'Brand', name: 'Clay' }, image: '/img/kitchen-1.svg', url: '/ld/mug', offers: { '@type': 'Offer', price: '12.50', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' } } },
      { '@type': 'ListItem', position: 2, item: { '@type': 'Product', sku: 'ld-pot', name: 'Iron Teapot', category: 'Kitchen', offers: { '@type': 'AggregateOffer', lowPrice: 30, priceCurrency: 'EUR' } } },
      { '@type': 'ListItem', position: 3, item: { '@type': 'Product', sku: 'ld-gone', name: 'Sold Out Kettle', category: 'Kitchen', offers: { price: 20, priceCurrency: 'EUR', availability: 'https://schema.org/OutOfStock' } } },
      { '@type': 'ListItem', position: 4, item: { '@type': 'Product', sku: 'ld-evil', name: '<img src=x onerror="window.__pwned=1">Evil Bowl', category: 'Kitchen', url: 'javascript:window.__pwned=1', image: 'javascript:alert(1)', offers: { price: 5, priceCurrency: 'EUR' } } },
    ],
  });
  const graph = LD({ '@graph': [{ '@type': 'WebPage', name: 'Kitchen' }, { '@type': 'Product', productID: 'ld-board', name: 'Oak Board', category: 'Kitchen', offers: [{ '@type': 'Offer', price: 18, priceCurrency: 'EUR' }] }] });
  await serve(page, {
    '/ld/kitchen.html': ['text/html', html(TAG('data-page-catalog data-flush-ms="0"') + listing + graph, '')],
    '/ld/home.html': ['text/html', html(TAG('data-page-catalog'), '<h1>Welcome</h1>')],
  });

  await page.goto('/ld/kitchen.html');
  const first = await settled(page);
  expect(first.catalog).toEqual({ products: 5, skipped: 0 });
  expect(first.errors).toEqual([]);
  const shown = byId(await cards(page));
  // Out of stock: in the catalog, not recommended.
  expect(shown.map((c) => c.id)).toEqual(['ld-board', 'ld-evil', 'ld-mug', 'ld-pot']);
  expect(shown.find((c) => c.id === 'ld-mug')).toEqual({ id: 'ld-mug', title: 'Stoneware Mug', price: '€12.50' });
  // Markup in a JSON-LD string is text; a javascript: URL is dropped.
  expect(shown.find((c) => c.id === 'ld-evil')!.title).toBe('<img src=x onerror="window.__pwned=1">Evil Bowl');
  const evilLink = page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"][data-product-id="ld-evil"] [data-testid="lr-card-link"]');
  expect(await evilLink.evaluate((a) => a.getAttribute('href') ?? '')).not.toContain('javascript:');

  // The next page has no product data of its own: the products seen before are remembered on the device.
  await page.goto('/ld/home.html');
  const second = await settled(page);
  expect(second.catalog).toEqual({ products: 5, skipped: 0 });
  expect(byId(await cards(page)).map((c) => c.id)).toEqual(['ld-board', 'ld-evil', 'ld-mug', 'ld-pot']);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(errors.pageErrors).toEqual([]);
});

test('microdata Products are read likewise, newer data for a product replaces the remembered row', async ({ page }) => {
  const errors = watchErrors(page);
  const tile = (id: string, name: string, price: string, availability = 'InStock'): string => `
    <li itemscope itemtype="https://schema.org/Product" data-product-id="${id}">
      <a itemprop="url" href="/md/${id}"><span itemprop="name">${name}</span></a>
      <img itemprop="image" src="/img/books-1.svg" alt="">
      <meta itemprop="sku" content="${id}"><meta itemprop="category" content="Books">
      <div itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">Pressmark</span></div>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <span itemprop="price" content="${price}">${price} €</span><meta itemprop="priceCurrency" content="EUR">
        <link itemprop="availability" href="https://schema.org/${availability}">
      </div>
    </li>`;
  await serve(page, {
    '/md/books.html': ['text/html', html(TAG('data-page-catalog'), `<ul>${tile('md-atlas', 'Atlas of Rivers', '24.00')}${tile('md-poems', 'Night Poems', '9.90')}${tile('md-gone', 'Out of Print', '15.00', 'OutOfStock')}</ul>`)],
    '/md/sale.html': ['text/html', html(TAG('data-page-catalog'), `<ul>${tile('md-poems', 'Night Poems', '7.50')}</ul>`)],
  });

  await page.goto('/md/books.html');
  const first = await settled(page);
  expect(first.catalog).toEqual({ products: 3, skipped: 0 });
  expect(byId(await cards(page))).toEqual([
    { id: 'md-atlas', title: 'Atlas of Rivers', price: '€24.00' },
    { id: 'md-poems', title: 'Night Poems', price: '€9.90' },
  ]);

  await page.goto('/md/sale.html');
  const second = await settled(page);
  expect(second.catalog).toEqual({ products: 3, skipped: 0 });
  expect(byId(await cards(page))).toEqual([
    { id: 'md-atlas', title: 'Atlas of Rivers', price: '€24.00' },
    { id: 'md-poems', title: 'Night Poems', price: '€7.50' },
  ]);
  expect(errors.pageErrors).toEqual([]);
});

test('product variants: a ProductGroup gives its variants, a variant its group; a group the page shows as one tile is one product', async ({ page }) => {
  const errors = watchErrors(page);
  const G = 'https://schema.org/ProductGroup';
  const P = 'https://schema.org/Product';
  const offer = (price: string, availability = 'InStock'): string => `<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="price" content="${price}"><meta itemprop="priceCurrency" content="EUR"><link itemprop="availability" href="https://schema.org/${availability}"></div>`;
  // Microdata: a group with two variants that lack name and category, and a variant page's Product with its group.
  const variants = `
    <section itemscope itemtype="${G}"><meta itemprop="productGroupID" content="tee"><h2 itemprop="name">Cotton Tee</h2>
      <meta itemprop="category" content="Apparel > Shirts"><meta itemprop="brand" content="Loom">
      <div itemprop="hasVariant" itemscope itemtype="${P}"><meta itemprop="sku" content="tee-s">${offer('20.00', 'OutOfStock')}</div>
      <div itemprop="hasVariant" itemscope itemtype="${P}"><meta itemprop="sku" content="tee-m">${offer('22.00')}</div>
    </section>
    <article itemscope itemtype="${P}"><meta itemprop="sku" content="mug-blue">${offer('9.00')}
      <div itemprop="isVariantOf" itemscope itemtype="${G}"><meta itemprop="productGroupID" content="mug"><span itemprop="name">Blue Mug</span><meta itemprop="category" content="Kitchen"></div>
    </article>`;
  // JSON-LD: the host lists the lamp by its group id, so the group is one product, in stock because a variant is.
  const lamp = LD({ '@type': 'ProductGroup', productGroupID: 'lamp', name: 'Desk Lamp', category: 'Lighting', hasVariant: [
    { '@type': 'Product', sku: 'lamp-black', offers: { price: 45, priceCurrency: 'EUR', availability: 'https://schema.org/OutOfStock' } },
    { '@type': 'Product', sku: 'lamp-white', offers: { price: 45, priceCurrency: 'EUR', availability: 'https://schema.org/InStock' } },
  ] });
  await serve(page, {
    '/pv/shirts.html': ['text/html', html(TAG('data-page-catalog'), variants)],
    '/pv/lamps.html': ['text/html', html(TAG('data-page-catalog') + lamp, '<div data-product-id="lamp">Desk Lamp</div>')],
  });

  await page.goto('/pv/shirts.html');
  const first = await settled(page);
  // tee-s, tee-m, mug-blue: the group inside the mug and the variants inside the tee are not products of their own.
  expect(first.catalog).toEqual({ products: 3, skipped: 0 });
  expect(byId(await cards(page))).toEqual([
    { id: 'mug-blue', title: 'Blue Mug', price: '€9.00' },
    { id: 'tee-m', title: 'Cotton Tee', price: '€22.00' },
  ]);

  await page.goto('/pv/lamps.html');
  const second = await settled(page);
  expect(second.catalog).toEqual({ products: 4, skipped: 0 });
  expect(byId(await cards(page))).toEqual([
    { id: 'lamp', title: 'Desk Lamp', price: '€45.00' },
    { id: 'mug-blue', title: 'Blue Mug', price: '€9.00' },
    { id: 'tee-m', title: 'Cotton Tee', price: '€22.00' },
  ]);
  expect(errors.pageErrors).toEqual([]);
});

const TSV = [
  'id\ttitle\tlink\timage_link\tprice\tsale_price\tavailability\tbrand\tproduct_type',
  'tsv-1\tTrail Socks\t/p/tsv-1\t/img/running-1.svg\t12.50 EUR\t\tin_stock\tStride\tSport > Running',
  'tsv-2\tRace Cap\t/p/tsv-2\t/img/running-2.svg\t20.00 EUR\t15.00 EUR\tin stock\tStride\tSport > Running',
  'tsv-3\tSold Out Vest\t/p/tsv-3\t\t40.00 EUR\t\tout_of_stock\tStride\tSport > Running',
  'tsv-4\tPreorder Shoe\t/p/tsv-4\t\t99.00 EUR\t\tpreorder\tStride\tSport > Shoes',
].join('\n');

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>
<item><g:id>rss-1</g:id><g:title>Camp Lantern</g:title><g:link>/p/rss-1</g:link><g:price>19.90 USD</g:price><g:availability>in_stock</g:availability><g:product_type>Outdoor</g:product_type></item>
<item><g:id>rss-2</g:id><title><![CDATA[Tent & Pegs]]></title><link>/p/rss-2</link><g:price>120 USD</g:price><g:availability>in_stock</g:availability><g:google_product_category>Sporting Goods &gt; Camping</g:google_product_category></item>
<item><g:id>rss-3</g:id><g:title>Gone Stove</g:title><g:price>50 USD</g:price><g:availability>out_of_stock</g:availability><g:product_type>Outdoor</g:product_type></item>
</channel></rss>`;

for (const feed of [
  { name: 'TSV (by Content-Type)', path: '/feeds/products', type: 'text/tab-separated-values', body: TSV },
  { name: 'TSV (by extension, served as text/plain)', path: '/feeds/products.tsv', type: 'text/plain', body: TSV },
]) {
  test(`a Merchant Center ${feed.name} feed as data-catalog renders its in-stock products with prices`, async ({ page }) => {
    const errors = watchErrors(page);
    await serve(page, { '/feeds/shop.html': ['text/html', html(TAG(`data-catalog="${feed.path}"`), '')], [feed.path]: [feed.type, feed.body] });
    await page.goto('/feeds/shop.html');
    const status = await settled(page);
    expect(status.catalog).toEqual({ products: 4, skipped: 0 });
    expect(status.errors).toEqual([]);
    expect(byId(await cards(page))).toEqual([
      { id: 'tsv-1', title: 'Trail Socks', price: '€12.50' },
      { id: 'tsv-2', title: 'Race Cap', price: '€15.00' }, // the sale price
      { id: 'tsv-4', title: 'Preorder Shoe', price: '€99.00' }, // preorder can be bought
    ]);
    expect(errors.pageErrors).toEqual([]);
  });
}

test('a Merchant Center RSS feed as data-catalog renders its in-stock products with prices', async ({ page }) => {
  const errors = watchErrors(page);
  await serve(page, { '/feeds/rss.html': ['text/html', html(TAG('data-catalog="/feeds/products.xml"'), '')], '/feeds/products.xml': ['application/rss+xml', RSS] });
  await page.goto('/feeds/rss.html');
  const status = await settled(page);
  expect(status.catalog).toEqual({ products: 3, skipped: 0 });
  expect(byId(await cards(page))).toEqual([
    { id: 'rss-1', title: 'Camp Lantern', price: '$19.90' },
    { id: 'rss-2', title: 'Tent & Pegs', price: '$120.00' },
  ]);
  expect(errors.pageErrors).toEqual([]);
});

for (const bad of [
  { name: 'truncated RSS', path: '/feeds/broken.xml', type: 'application/xml', body: RSS.slice(0, RSS.indexOf('<item><g:id>rss-3')), says: /Merchant Center XML feed: .*ends inside <channel>/ },
  { name: 'TSV without a header row', path: '/feeds/broken.tsv', type: 'text/tab-separated-values', body: 'tsv-1\tTrail Socks\t12.50 EUR\n', says: /Merchant Center TSV feed: .*"id" and "title"/ },
]) {
  test(`a malformed feed (${bad.name}) is an error event with a stable code, not a page error`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      const w = window as unknown as { __codes: string[]; __unhandled: string[] };
      w.__codes = [];
      w.__unhandled = [];
      addEventListener('unhandledrejection', (e) => w.__unhandled.push(String(e.reason)));
      // Subscribe as soon as the API exists, before the catalog is read.
      const timer = setInterval(() => {
        if (!window.LocalRank) return;
        clearInterval(timer);
        window.LocalRank.on('error', (info) => w.__codes.push(`${info.code}: ${info.message}`));
      }, 0);
    });
    await serve(page, { '/feeds/bad.html': ['text/html', html(TAG(`data-catalog="${bad.path}"`), '')], [bad.path]: [bad.type, bad.body] });
    await page.goto('/feeds/bad.html');
    const status = await settled(page);
    expect(status.catalog.products).toBe(0);
    expect(status.errors.map((e) => e.code)).toEqual(['LR_CATALOG_INVALID']);
    expect(status.errors[0]!.message).toMatch(bad.says);
    const seen = await page.evaluate(() => (window as unknown as { __codes: string[] }).__codes);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^LR_CATALOG_INVALID: /);
    await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-empty"]')).toBeAttached();
    await expect(page.locator('#host')).toHaveText('host content');
    expect(errors.pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __unhandled: string[] }).__unhandled)).toEqual([]);
  });
}

test('the remembered page catalog is browsing history: kept only with storage allowed, deleted by forgetMe', async ({ page }) => {
  const errors = watchErrors(page);
  const product = LD({ '@type': 'Product', sku: 'fg-1', name: 'Forgettable Lamp', category: 'Lighting', offers: { price: 30, priceCurrency: 'EUR' } });
  await serve(page, {
    '/fg/consent-product.html': ['text/html', html(TAG('data-page-catalog data-consent="required"') + product, '')],
    '/fg/consent-home.html': ['text/html', html(TAG('data-page-catalog data-consent="required"'), '')],
    '/fg/product.html': ['text/html', html(TAG('data-page-catalog') + product, '')],
    '/fg/home.html': ['text/html', html(TAG('data-page-catalog'), '')],
  });
  // Consent pending: the page's own products are used, nothing is written to the device.
  await page.goto('/fg/consent-product.html');
  expect((await settled(page)).catalog.products).toBe(1);
  expect((await cards(page)).map((c) => c.id)).toEqual(['fg-1']);
  await page.goto('/fg/consent-home.html');
  expect((await settled(page)).catalog.products).toBe(0);
  expect(await page.evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)))).not.toContain('localrank');

  // Storage allowed: remembered on the next page, until the shopper deletes their data.
  await page.goto('/fg/product.html');
  expect((await settled(page)).catalog.products).toBe(1);
  await page.goto('/fg/home.html');
  expect((await settled(page)).catalog.products).toBe(1);
  await page.evaluate(() => window.LocalRank!.forgetMe());
  await page.goto('/fg/home.html');
  expect((await settled(page)).catalog.products).toBe(0);
  expect(errors.pageErrors).toEqual([]);
});

test('a JSON catalog is fetched and parsed in a worker: neither its request nor a JSON.parse of it on the page\'s main thread, every product arrives', async ({ page }) => {
  const errors = watchErrors(page);
  // Records the length of every string the page's main thread parses as JSON (LocalRank's and the page's alike).
  await page.addInitScript(() => {
    const parse = JSON.parse;
    const lengths: number[] = ((window as unknown as { __jsonParsed: number[] }).__jsonParsed = []);
    JSON.parse = function (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
      lengths.push(String(text).length);
      return parse(text, reviver);
    } as typeof JSON.parse;
  });
  const catalogText = await (await page.request.get('/catalog.json')).text();
  const products = (JSON.parse(catalogText) as { products: unknown[] }).products.length;
  await page.goto('/');
  const status = await settled(page);
  expect(status.catalog.products + status.catalog.skipped).toBe(products);
  expect(status.errors).toEqual([]);
  const parsed = await page.evaluate(() => (window as unknown as { __jsonParsed: number[] }).__jsonParsed);
  expect(parsed.filter((n) => n >= catalogText.length / 2)).toEqual([]);
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(resources.filter((n) => n.includes('read-catalog.worker'))).toHaveLength(1);
  // A worker's requests are in the worker's own resource timeline, not the page's: the page never fetched the catalog.
  expect(resources.filter((n) => n === '/catalog.json')).toEqual([]);
  expect(errors).toEqual({ pageErrors: [], consoleErrors: [] });
});

for (const broken of [
  { name: 'its script fails to load', body: undefined },
  { name: 'it fails after it said it runs', body: 'postMessage({ ready: true }); addEventListener("message", () => { throw new Error("catalog worker crashed"); });' },
]) {
  test(`without a working catalog worker (${broken.name}) the page fetches the catalog itself: every product, no error`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.route(/\/chunks\/read-catalog\.worker-[\w-]+\.js$/, (route) =>
      broken.body === undefined ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ contentType: 'text/javascript', body: broken.body }),
    );
    const products = ((await (await page.request.get('/catalog.json')).json()) as { products: unknown[] }).products.length;
    await page.goto('/');
    const status = await settled(page);
    expect(status.catalog.products + status.catalog.skipped).toBe(products);
    expect(status.errors).toEqual([]);
    // The page's own fetch is in its resource timeline (the worker's would not be).
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/catalog.json').length);
    expect(fetched).toBe(1);
    await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first()).toBeVisible();
    expect(errors).toEqual({ pageErrors: [], consoleErrors: [] });
  });
}
