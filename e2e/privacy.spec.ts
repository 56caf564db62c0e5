import { expect, test } from '@playwright/test';
import type { BrowserContext, Locator, Page, Request } from '@playwright/test';
import { storedEvents, waitForReady, watchErrors } from './helpers';
import { reportCounts } from './reliability-counts';

// Privacy capture: everything the browser sends while a shopper uses the demo shop — requests from the pages and
// from LocalRank's training worker, beacons, WebSockets — and, in the second test, every call a host page can see
// LocalRank make through fetch / XMLHttpRequest / sendBeacon / WebSocket. No timing is asserted anywhere.
test.setTimeout(180_000);

/** A query that matches demo products (4 merino socks) and appears in no file LocalRank loads. */
const QUERY = 'merino socks';
const EVENT_TYPES = /(?<![a-z])(impression|click|add-to-cart|purchase|dwell|search)(?![a-z])/i;

/** The demo shop's own pages: the only documents the shopper navigates to. */
const HOST_PAGES = /^\/(index\.html|category\.html|product\.html|search\.html|cart\.html)?$/;
/** The demo shop's own subresources (requested by its documents, never by LocalRank). */
const HOST_FILES = /^\/(shop\.css|shop\.js|favicon\.svg|img\/[\w-]+\.svg)$/;
/** LocalRank's static files: the entry script, its chunks, the wasm binaries, the catalog, the shop's base model. */
const LOCALRANK_FILES = /^\/(localrank\.js|chunks\/[\w.-]+\.js|assets\/[\w.-]+\.wasm|catalog\.json|model\/(model\.json|weights\.bin|feature-schema\.json|neighbours\.json))$/;

interface Seen {
  readonly request: Request;
  readonly url: URL;
  readonly method: string;
  readonly type: string;
  readonly navigation: boolean;
  readonly body: string;
  headers: Record<string, string>;
}

interface Traffic {
  readonly all: Seen[];
  readonly workers: string[];
  readonly sockets: string[];
  socketFrames: number;
  /** Waits until the headers of every request are known. */
  settle(): Promise<void>;
}

/** Records every request of the context (pages and their dedicated workers), every WebSocket and its frames. */
function captureTraffic(context: BrowserContext, page: Page): Traffic {
  const open = new Map<Request, { seen: Seen; settled: Promise<void>; settle: () => void }>();
  const traffic: Traffic = {
    all: [],
    workers: [],
    sockets: [],
    socketFrames: 0,
    // A request still open at the end (none is expected) is judged on the headers it was sent with.
    settle: async () => {
      await Promise.all([...open.values()].map((o) => Promise.race([o.settled, new Promise<void>((r) => setTimeout(r, 10_000))])));
    },
  };
  context.on('request', (request) => {
    const seen: Seen = {
      request,
      url: new URL(request.url()),
      method: request.method(),
      type: request.resourceType(),
      navigation: request.isNavigationRequest(),
      body: request.postDataBuffer()?.toString('latin1') ?? '',
      headers: request.headers(),
    };
    traffic.all.push(seen);
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    open.set(request, { seen, settled, settle });
  });
  // Once a request is done, allHeaders() has what the network stack added (Referer, Sec-Fetch-*, cookies).
  context.on('requestfinished', (request) => {
    const o = open.get(request);
    if (!o) return;
    request.allHeaders().then(
      (h) => {
        o.seen.headers = h;
        o.settle();
      },
      () => o.settle(),
    );
  });
  // A request cancelled by a navigation keeps the headers it was sent with.
  context.on('requestfailed', (request) => open.get(request)?.settle());
  page.on('worker', (worker) => traffic.workers.push(worker.url()));
  page.on('websocket', (socket) => {
    traffic.sockets.push(socket.url());
    socket.on('framesent', () => traffic.socketFrames++);
    socket.on('framereceived', () => traffic.socketFrames++);
  });
  return traffic;
}

/** What a request must not carry: the shopper's product ids, event types, the search text. */
function behaviourIn(text: string, productIds: RegExp): string[] {
  const found: string[] = [];
  const id = productIds.exec(text);
  if (id) found.push(`product id ${id[0]}`);
  const type = EVENT_TYPES.exec(text);
  if (type) found.push(`event type ${type[0]}`);
  const lower = text.toLowerCase();
  for (const form of [QUERY, encodeURIComponent(QUERY), QUERY.replace(' ', '+'), QUERY.split(' ')[0]!]) {
    if (lower.includes(form)) found.push(`search text "${form}"`);
  }
  return found;
}

interface Verdict {
  readonly navigations: Seen[];
  readonly host: Seen[];
  readonly localrank: Seen[];
  readonly fromWorker: Seen[];
  /** Requests that break a rule below (wrong method, origin, file, a body, a beacon), with the rule. */
  readonly violations: string[];
  /** Requests whose URL, headers or body carry behaviour data, with what was found. */
  readonly behaviourBearing: string[];
}

/**
 * Sorts the traffic and checks it. The rule, in order:
 * 1. A navigation request for a document is the shopper's own (the test clicked a link, submitted the search form,
 *    reloaded or typed a URL: LocalRank never navigates); it must be a GET of one of the shop's pages. Its URL
 *    carries what the shopper chose to open (product id, query) — that is the shop's own page, not LocalRank's.
 * 2. A request from the training worker is recognised by what the browser stamps on it: `Sec-Fetch-Dest: worker`
 *    (the worker script and its module imports) or a Referer equal to the worker's script URL (a worker's fetches
 *    use its URL as the referrer). It must be one of LocalRank's static files.
 * 3. Any other request is a page subresource: one of the shop's own files (shop.css, shop.js, favicon, img/*) or
 *    one of LocalRank's static files (catalog.json is fetched by both). Anything else is unexplained and fails.
 * Every request must be a body-less GET (no beacon) to the preview server on 127.0.0.1; and every request but the
 * shopper's navigations — the host's included — must carry no product id the shopper touched, no event type and
 * no part of the search text in its URL, headers or body. One header is exempt when it only repeats a URL the
 * browser already requested: the Referer the browser itself sets to the page's (or script's) address.
 * (Problems are collected and asserted once: hundreds of single expect() calls would slow the test down.)
 */
function judge(traffic: Traffic, origin: string, productIds: RegExp): Verdict {
  const verdict: Verdict = { navigations: [], host: [], localrank: [], fromWorker: [], violations: [], behaviourBearing: [] };
  const workerUrls = new Set(traffic.workers);
  const requested = new Set(traffic.all.map((s) => s.request.url()));
  for (const s of traffic.all) {
    const path = s.url.pathname;
    const label = `${s.method} ${s.type} ${s.url.href}`;
    const problem = (rule: string): void => void verdict.violations.push(`${label}: ${rule}`);
    if (s.url.origin !== origin) problem(`not the shop's origin ${origin}`);
    if (s.method !== 'GET') problem('not a GET');
    if (s.type === 'ping') problem('a beacon');
    if (s.body !== '') problem('has a body');
    if (s.navigation && s.type === 'document') {
      if (!HOST_PAGES.test(path)) problem("a navigation to a page that is not the shop's");
      verdict.navigations.push(s);
      continue;
    }
    const worker = s.headers['sec-fetch-dest'] === 'worker' || workerUrls.has(s.headers.referer ?? '');
    if (worker) {
      if (!LOCALRANK_FILES.test(path)) problem("from the worker, but not one of LocalRank's static files");
      verdict.fromWorker.push(s);
      verdict.localrank.push(s);
    } else if (LOCALRANK_FILES.test(path)) verdict.localrank.push(s);
    else if (HOST_FILES.test(path)) verdict.host.push(s);
    else problem("neither the shop's own file nor LocalRank's");
    const headers = Object.entries(s.headers).filter(([name, value]) => !(name === 'referer' && requested.has(value)));
    const found = behaviourIn([s.url.href, ...headers.map(([n, v]) => `${n}: ${v}`), s.body].join('\n'), productIds);
    if (found.length) verdict.behaviourBearing.push(`${label}: ${found.join(', ')}`);
  }
  return verdict;
}

function idsPattern(ids: Iterable<string>): RegExp {
  const escaped = [...new Set(ids)].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9])(${escaped.join('|')})(?![A-Za-z0-9])`);
}

/** Clicks a product link (a listing tile, a search result or a LocalRank card) and waits for its page. */
async function openProduct(page: Page, link: Locator, id: string): Promise<void> {
  await link.click();
  await page.waitForURL((url) => url.pathname === '/product.html' && url.searchParams.get('id') === id, { waitUntil: 'domcontentloaded' });
  await waitForReady(page);
  await expect(page.locator('#product')).not.toHaveAttribute('aria-busy', 'true');
}

/** From a listing (category or search results), opens the tile at `index` by clicking its link. */
async function openTile(page: Page, index: number): Promise<string> {
  // The shop may reorder its grid for the shopper at any moment: read the id, then click that tile by id.
  const tile = page.locator('#product-grid > li[data-product-id]').nth(index);
  await expect(tile).toBeVisible();
  const id = (await tile.getAttribute('data-product-id'))!;
  await openProduct(page, page.locator(`#product-grid > li[data-product-id="${id}"] a.tile-link`), id);
  return id;
}

/** On a product page, opens the first product of a LocalRank carousel not opened before. */
async function openFromCarousel(page: Page, widget: string, opened: Set<string>): Promise<string> {
  const cards = page.locator(`[data-localrank-widget="${widget}"] [data-testid="lr-card"]`);
  await expect(cards.first()).toBeAttached();
  const ids = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id') ?? ''));
  const id = ids.find((i) => i && !opened.has(i));
  expect(id, `an unopened product in "${widget}"`).toBeTruthy();
  await openProduct(page, page.locator(`[data-localrank-widget="${widget}"] [data-testid="lr-card"][data-product-id="${id}"] [data-testid="lr-card-link"]`), id!);
  return id!;
}

/** Follows "You may also like" from product to product, `count` times; adds every `cartEvery`-th to the cart. */
async function browseSimilar(page: Page, count: number, opened: Set<string>, cartEvery: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    opened.add(await openFromCarousel(page, 'similar', opened));
    if ((i + 1) % cartEvery === 0 && (await page.locator('#product-add').isEnabled())) await page.locator('#product-add').click();
  }
}

async function search(page: Page, query: string): Promise<void> {
  await page.locator('#search-q').fill(query);
  await page.locator('#search-q').press('Enter');
  await page.waitForURL((url) => url.pathname === '/search.html', { waitUntil: 'domcontentloaded' });
  await waitForReady(page);
  await expect(page.locator('#product-grid > li[data-product-id]').first()).toBeVisible();
}

async function purchaseCart(page: Page): Promise<void> {
  await page.locator('a.cart-link').click();
  await page.waitForURL((url) => url.pathname === '/cart.html', { waitUntil: 'domcontentloaded' });
  await waitForReady(page);
  await page.locator('#place-order').click();
  await expect(page.locator('#thank-you')).toBeVisible();
}

/** Collects LocalRank's `train` progress and `error` events on every page of the tab (subscribed before first use). */
async function collectLocalRankEvents(page: Page): Promise<{ train: string[]; backends: Set<string>; errors: string[] }> {
  const out = { train: [] as string[], backends: new Set<string>(), errors: [] as string[] };
  await page.exposeFunction('__lrTrain', (phase: string, backend: string) => {
    out.train.push(phase);
    out.backends.add(backend);
  });
  await page.exposeFunction('__lrError', (code: string) => out.errors.push(code));
  // Module scripts run before DOMContentLoaded, so window.LocalRank exists by then.
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => {
      const w = window as never as { __lrTrain(p: string, backend: string): void; __lrError(c: string): void };
      window.LocalRank?.on('train', (p) => w.__lrTrain(p.phase, window.LocalRank!.status().backend));
      window.LocalRank?.on('error', (e) => w.__lrError(`${e.code}: ${e.message}`));
    }),
  );
  return out;
}

test('a long shopper journey: LocalRank only GETs its own static files, in the page and in the worker, and nothing carries behaviour', async ({ page, context, baseURL }, testInfo) => {
  const origin = new URL(baseURL!).origin;
  const errors = watchErrors(page);
  const lr = await collectLocalRankEvents(page);
  const traffic = captureTraffic(context, page);
  const opened = new Set<string>();
  const DAY = 86_400_000;
  const start = new Date('2026-03-02T09:00:00Z').getTime();
  // A fake clock that runs at normal speed (the widget's timers, idle detection and IndexedDB batching still
  // fire) and is jumped ahead between visits.
  await page.clock.install({ time: start });

  // Day 1: home → a category → a product → "You may also like" from product to product.
  await page.goto('/');
  await waitForReady(page);
  await page.locator('.cat-nav a[data-category="outdoor"]').click();
  await page.waitForURL(/category\.html\?c=outdoor/);
  await waitForReady(page);
  opened.add(await openTile(page, 1));
  await browseSimilar(page, 9, opened, 4);
  // Ten products engaged with: the page is left idle, the worker fine-tunes the shop's model on this device.
  // (A run may already have finished on an earlier page; then this page holds the model it stored.)
  await expect.poll(() => lr.train.some((p) => p === 'done' || p === 'rejected'), { timeout: 120_000 }).toBe(true);
  await expect
    .poll(() => page.evaluate(() => window.LocalRank!.status().model).then((m) => m.runs > 0 || m.source === 'indexeddb'), { timeout: 120_000 })
    .toBe(true);

  // The shopper searches, opens two results, buys what is in the cart, and reloads the confirmation.
  await search(page, QUERY);
  opened.add(await openTile(page, 0));
  await page.locator('#product-add').click();
  await page.goBack();
  await waitForReady(page);
  opened.add(await openTile(page, 1));
  await purchaseCart(page);
  await page.reload();
  await waitForReady(page);

  // Day 2: back to the shop, another category, ten more products.
  await page.clock.fastForward(DAY);
  await page.goto('/');
  await waitForReady(page);
  await page.locator('.cat-nav a[data-category="books"]').click();
  await page.waitForURL(/category\.html\?c=books/);
  await waitForReady(page);
  opened.add(await openTile(page, 0));
  await browseSimilar(page, 9, opened, 5);

  // Day 5: "Recommended for you" on the home page, and on from there.
  await page.clock.fastForward(3 * DAY);
  await page.goto('/');
  await waitForReady(page);
  opened.add(await openFromCarousel(page, 'for-you', opened));
  await browseSimilar(page, 9, opened, 5);
  await purchaseCart(page);

  // What the shopper did is on the device: clicks on 30+ products, carts, purchases, the search, over five days.
  const events = await storedEvents(page);
  const types = new Set(events.map((e) => e.type));
  for (const type of ['impression', 'click', 'dwell', 'add-to-cart', 'purchase', 'search']) expect(types, type).toContain(type);
  const clicked = new Set(events.filter((e) => e.type === 'click').map((e) => e.productId));
  expect(opened.size).toBeGreaterThanOrEqual(30);
  for (const id of opened) expect(clicked, id).toContain(id);
  expect(events.some((e) => e.type === 'search' && e.context.query === QUERY)).toBe(true);
  const times = events.map((e) => e.time as number);
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(4 * DAY);

  // …and none of it left the browser.
  await traffic.settle();
  const touched = idsPattern(events.flatMap((e) => (typeof e.productId === 'string' ? [e.productId] : [])).concat(...opened));
  const verdict = judge(traffic, origin, touched);
  expect(verdict.violations).toEqual([]);
  expect(verdict.behaviourBearing).toEqual([]);
  expect(traffic.sockets).toEqual([]);
  expect(traffic.socketFrames).toBe(0);
  // The capture sees inside the worker: the base model (and, when it trained on wasm, the binary) were fetched there.
  const workerPaths = verdict.fromWorker.map((s) => s.url.pathname);
  expect(workerPaths).toEqual(expect.arrayContaining(['/model/model.json', '/model/neighbours.json']));
  if (lr.backends.has('wasm')) expect(workerPaths.some((p) => p.endsWith('.wasm'))).toBe(true);
  expect(lr.backends.size).toBeGreaterThan(0);
  expect(verdict.navigations.length).toBeGreaterThanOrEqual(opened.size);
  expect(lr.errors).toEqual([]);
  expect(errors.pageErrors).toEqual([]);
  expect(errors.consoleErrors).toEqual([]);
  reportCounts(testInfo, 'privacy', {
    'requests checked': traffic.all.length - verdict.navigations.length,
    'LocalRank requests checked': verdict.localrank.length,
    'worker requests checked': verdict.fromWorker.length,
    'shopper navigations': verdict.navigations.length,
    'products browsed': opened.size,
    'events stored on the device': events.length,
    'training runs': lr.train.filter((p) => p === 'done' || p === 'rejected').length,
    'behaviour-bearing requests': verdict.behaviourBearing.length,
    beacons: traffic.all.filter((s) => s.type === 'ping').length,
    'WebSocket connections': traffic.sockets.length,
  });
});

interface WrappedCall {
  readonly api: 'fetch' | 'xhr.open' | 'xhr.send' | 'sendBeacon' | 'WebSocket' | 'Worker';
  readonly url: string;
  readonly method: string;
  readonly args: string;
  readonly stack: string;
}

test('a host page that wraps fetch, XMLHttpRequest, sendBeacon and WebSocket sees LocalRank make only static GETs', async ({ page, context, baseURL }, testInfo) => {
  const origin = new URL(baseURL!).origin;
  const errors = watchErrors(page);
  const calls: WrappedCall[] = [];
  await page.exposeFunction('__wrapped', (call: WrappedCall) => calls.push(call));
  // The host's wrappers run before any script of the page (as an analytics or consent tool would install them).
  // Each records the API, its arguments and the caller's stack, then calls the original.
  await page.addInitScript(() => {
    const record = (window as never as { __wrapped(c: unknown): void }).__wrapped;
    const stack = (): string => (new Error().stack ?? '').split('\n').slice(2).join('\n');
    const text = (v: unknown): string => {
      if (v === undefined || v === null) return '';
      if (typeof v === 'string') return v;
      if (v instanceof URL || v instanceof URLSearchParams) return v.toString();
      if (v instanceof Blob || v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof FormData) return `[${Object.prototype.toString.call(v)}]`;
      try {
        return JSON.stringify(v);
      } catch {
        return String(v);
      }
    };
    const originalFetch = window.fetch;
    window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
      const req = input instanceof Request ? input : undefined;
      record({
        api: 'fetch',
        url: req ? req.url : String(input),
        method: (init?.method ?? req?.method ?? 'GET').toUpperCase(),
        args: [text(init?.headers), text(init?.body)].join(' '),
        stack: stack(),
      });
      return originalFetch.call(this, input, init);
    };
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      record({ api: 'xhr.open', url: String(url), method: method.toUpperCase(), args: '', stack: stack() });
      return (open as (...a: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof XMLHttpRequest.prototype.open;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      record({ api: 'xhr.send', url: '', method: '', args: text(body), stack: stack() });
      return send.call(this, body as XMLHttpRequestBodyInit | null | undefined);
    };
    const beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
      record({ api: 'sendBeacon', url: String(url), method: 'POST', args: text(data), stack: stack() });
      return beacon(url, data);
    };
    const OriginalSocket = window.WebSocket;
    window.WebSocket = new Proxy(OriginalSocket, {
      construct(target, args: [string | URL, (string | string[])?]) {
        record({ api: 'WebSocket', url: String(args[0]), method: '', args: text(args[1]), stack: stack() });
        return new target(...args);
      },
    });
    const OriginalWorker = window.Worker;
    window.Worker = new Proxy(OriginalWorker, {
      construct(target, args: [string | URL, WorkerOptions?]) {
        record({ api: 'Worker', url: String(args[0]), method: 'GET', args: text(args[1]), stack: stack() });
        return new target(...args);
      },
    });
  });
  const traffic = captureTraffic(context, page);
  const opened = new Set<string>();

  await page.goto('/');
  await waitForReady(page);
  await page.locator('.cat-nav a[data-category="running"]').click();
  await page.waitForURL(/category\.html\?c=running/);
  await waitForReady(page);
  opened.add(await openTile(page, 0));
  await browseSimilar(page, 3, opened, 2);
  await search(page, QUERY);
  opened.add(await openTile(page, 0));
  await page.locator('#product-add').click();
  await purchaseCart(page);
  await page.reload();
  await waitForReady(page);

  const events = await storedEvents(page);
  expect(new Set(events.map((e) => e.type))).toEqual(new Set(['impression', 'click', 'dwell', 'add-to-cart', 'purchase', 'search']));
  await traffic.settle();
  
  const touched = idsPattern(events.flatMap((e) => (typeof e.productId === 'string' ? [e.productId] : [])).concat(...opened));

  // Whose call is it? The script of the innermost frame below the wrapper: LocalRank's entry or chunks, or shop.js.
  const caller = (c: WrappedCall): string => new URL(/(https?:\/\/[^\s)]+?):\d+:\d+/.exec(c.stack)?.[1] ?? 'unknown:', origin).pathname;
  const localrankCalls = calls.filter((c) => /^\/(localrank\.js|chunks\/[\w.-]+\.js)$/.test(caller(c)));
  const hostCalls = calls.filter((c) => caller(c) === '/shop.js');
  expect(calls.filter((c) => !localrankCalls.includes(c) && !hostCalls.includes(c))).toEqual([]);
  expect(calls.filter((c) => c.api === 'sendBeacon' || c.api === 'WebSocket' || c.api.startsWith('xhr'))).toEqual([]);
  const behaviourBearing: string[] = [];
  for (const c of localrankCalls) {
    const url = new URL(c.url, origin);
    expect(url.origin, c.url).toBe(origin);
    expect(c.method, c.url).toBe('GET');
    expect(url.pathname, c.url).toMatch(LOCALRANK_FILES);
    const found = behaviourIn(`${url.href}\n${c.args}`, touched);
    if (found.length) behaviourBearing.push(`${c.api} ${c.url}: ${found.join(', ')}`);
  }
  expect(behaviourBearing).toEqual([]);
  // On the main thread LocalRank started its two workers (training; the throwaway one that fetches and parses the
  // catalog off the main thread and loads the locale data) — nothing else. The catalog is fetched in its worker.
  expect(new Set(localrankCalls.map((c) => `${c.api} ${new URL(c.url, origin).pathname.replace(/-[\w-]+\.js$/, '.js')}`))).toEqual(
    new Set(['Worker /chunks/train.worker.js', 'Worker /chunks/read-catalog.worker.js']),
  );
  // The wrappers saw every main-thread fetch: each fetch/XHR request of a page (not the worker) is a wrapped call.
  const verdict = judge(traffic, origin, touched);
  expect(verdict.violations).toEqual([]);
  const wrappedUrls = new Set(calls.map((c) => new URL(c.url, origin).href));
  const pageFetches = traffic.all.filter((s) => (s.type === 'fetch' || s.type === 'xhr') && !verdict.fromWorker.includes(s));
  expect(pageFetches.filter((s) => !wrappedUrls.has(s.url.href)).map((s) => s.url.href)).toEqual([]);
  expect(verdict.behaviourBearing).toEqual([]);
  expect(verdict.fromWorker.map((s) => s.url.pathname)).toContain('/catalog.json');
  expect(errors.pageErrors).toEqual([]);
  reportCounts(testInfo, 'privacy', {
    'wrapped calls checked': calls.length,
    'LocalRank calls checked': localrankCalls.length,
    'requests checked': traffic.all.length - verdict.navigations.length,
    'worker requests checked': verdict.fromWorker.length,
    'behaviour-bearing requests': behaviourBearing.length + verdict.behaviourBearing.length,
  });
});
