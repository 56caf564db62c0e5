import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { layoutShifts, recordLayoutShifts } from './helpers';
import { reportCounts } from './reliability-counts';

/**
 * The hostile input corpus: every `e2e/fixtures/hostile/*.json` is one host page with hostile input (catalog
 * bodies, script-tag and mount-point attributes, base-model files) and what LocalRank must do with it. Each
 * fixture runs as its own test; see `e2e/fixtures/hostile/README.md` for the manifest format.
 */

const DIR = fileURLToPath(new URL('./fixtures/hostile/', import.meta.url));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

/** A response served under `/hostile/…` (through the context, so the training worker's fetches are caught too). */
interface Body {
  /** A JSON value, serialised. */
  readonly json?: unknown;
  /** A raw text body (e.g. malformed JSON). */
  readonly text?: string;
  /** A file of `public/`, optionally cut after `truncate` bytes or with every byte replaced by `fill` (hex). */
  readonly public?: string;
  readonly truncate?: number;
  readonly fill?: string;
  /** A `.mjs` module in the fixture folder whose default export builds the body: `(args) => string`. */
  readonly generator?: string;
  readonly args?: unknown;
  readonly status?: number;
  readonly contentType?: string;
}

interface WidgetExpectation {
  /** CSS selector of the mount point in the host page. */
  readonly selector: string;
  /** `ready`: shows cards; `empty`: shows its empty state; `untouched`: LocalRank left the element alone. */
  readonly state: 'ready' | 'empty' | 'untouched';
  /** Exact number of cards (state `ready`). */
  readonly cards?: number;
}

interface Fixture {
  readonly title: string;
  /** HTML in <head> after the mount-point style: the LocalRank script tag(s) and any host script. */
  readonly head?: string;
  /** Attributes of <body>. */
  readonly bodyAttributes?: string;
  /** HTML of the body: mount points and host tiles. */
  readonly body: string;
  /** Responses by path under the page origin, e.g. `/hostile/catalog.json`. */
  readonly files?: Readonly<Record<string, Body>>;
  readonly expect: {
    /** The exact set of distinct error codes LocalRank reports (status().errors and `error` events). */
    readonly codes: readonly string[];
    /** A code reported later (by the training worker): wait for it before checking the rest. */
    readonly waitForCode?: string;
    readonly ready: 'resolves' | 'rejects';
    readonly ranker?: 'heuristic' | 'model';
    readonly page?: string;
    readonly catalog?: { readonly products: number; readonly skipped: number };
    readonly widgets: readonly WidgetExpectation[];
    /** Texts that must be shown literally (as text) on cards. */
    readonly cardTitles?: readonly string[];
    /** Texts that must not be shown anywhere in LocalRank's widgets. */
    readonly absentTexts?: readonly string[];
    /** After the shopper clicks and carts the last card of the first `ready` widget, `rerank()` moves it into the top 3. */
    readonly rerankPersonalises?: boolean;
    /** `status().model.neighbours` is undefined (a broken neighbours.json was ignored). */
    readonly noNeighbours?: boolean;
  };
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture }));

const DEFAULT_HEAD = '<script type="module" src="/localrank.js" data-catalog="/hostile/catalog.json"></script>';

function hostPage(f: Fixture): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile host</title>
<style>[data-localrank-widget] { display: block; min-height: var(--lr-height, 352px); }</style>
${f.head ?? DEFAULT_HEAD}</head>
<body ${f.bodyAttributes ?? 'data-localrank-page="home"'}>${f.body}<p id="host">host content</p></body></html>`;
}

async function buildBody(body: Body): Promise<{ status: number; contentType: string; body: string | Buffer }> {
  const status = body.status ?? 200;
  let content: string | Buffer = '';
  let contentType = body.contentType ?? 'application/json';
  if (body.json !== undefined) content = JSON.stringify(body.json);
  else if (body.text !== undefined) content = body.text;
  else if (body.generator) {
    const mod = (await import(pathToFileURL(join(DIR, body.generator)).href)) as { default: (args: unknown) => string };
    content = mod.default(body.args);
  } else if (body.public) {
    let bytes = readFileSync(join(PUBLIC, body.public));
    if (body.truncate !== undefined) bytes = bytes.subarray(0, body.truncate);
    if (body.fill !== undefined) bytes = Buffer.alloc(bytes.length, Number.parseInt(body.fill, 16));
    content = bytes;
    if (body.contentType === undefined && !body.public.endsWith('.json')) contentType = 'application/octet-stream';
  }
  return { status, contentType, body: content };
}

/** Serves the fixture's files under `/hostile/`; any other path there is a 404. */
async function serveFiles(context: BrowserContext, files: Fixture['files']): Promise<void> {
  const built = new Map<string, Awaited<ReturnType<typeof buildBody>>>();
  for (const [path, body] of Object.entries(files ?? {})) built.set(path, await buildBody(body));
  await context.route('**/hostile/**', (route) => {
    const file = built.get(new URL(route.request().url()).pathname);
    return route.fulfill(file ?? { status: 404, contentType: 'text/plain', body: 'not found' });
  });
}

/**
 * Instruments the page before any of its scripts: unhandled rejections, the `error` events of LocalRank (the
 * listener is attached the moment `window.LocalRank` is defined, before the runtime starts), and the height of every
 * mount point before LocalRank renders anything.
 */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __unhandled: string[]; __lrErrors: string[]; __mountHeights: number[] };
    w.__unhandled = [];
    w.__lrErrors = [];
    w.__mountHeights = [];
    addEventListener('unhandledrejection', (e) => w.__unhandled.push(String(e.reason)));
    const define = Object.defineProperty;
    Object.defineProperty = function (target: object, key: PropertyKey, descriptor: PropertyDescriptor) {
      const result = define(target, key, descriptor);
      if (target === window && key === 'LocalRank') {
        Object.defineProperty = define;
        const api = descriptor.value as { on?: (name: string, cb: (e: { code: string }) => void) => void } | undefined;
        api?.on?.('error', (e) => w.__lrErrors.push(e.code));
      }
      return result;
    } as typeof Object.defineProperty;
    document.addEventListener('DOMContentLoaded', () => {
      w.__mountHeights = Array.from(document.querySelectorAll('[data-localrank-widget]'), (el) => el.getBoundingClientRect().height);
    });
  });
}

/** Walks the document and every open shadow root: every attribute of every element. */
function scanDom(page: Page) {
  return page.evaluate(() => {
    const unsafe: string[] = [];
    const injected: string[] = [];
    let attributes = 0;
    let shadowRoots = 0;
    let elements = 0;
    // URL parsers drop leading C0 controls and spaces and remove tabs and newlines anywhere.
    const schemeOf = (v: string): string => v.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '').toLowerCase();
    const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'xlink:href', 'srcset', 'background']);
    const visit = (root: Document | ShadowRoot, inShadow: boolean): void => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        elements++;
        if (inShadow && /^(script|iframe|object|embed|svg|style|link|meta|base|form)$/i.test(el.localName)) injected.push(el.outerHTML.slice(0, 80));
        for (const a of Array.from(el.attributes)) {
          attributes++;
          const v = schemeOf(a.value);
          if (v.startsWith('javascript:') || v.startsWith('vbscript:')) unsafe.push(`${el.localName}[${a.name}]=${a.value.slice(0, 60)}`);
          if (inShadow && a.name.startsWith('on')) injected.push(`${el.localName}[${a.name}]`);
          if (URL_ATTRIBUTES.has(a.name)) {
            let protocol = '';
            try {
              protocol = new URL(a.value, document.baseURI).protocol;
            } catch {
              protocol = 'invalid:';
            }
            if (protocol === 'javascript:' || ((a.name === 'href' || inShadow) && protocol === 'data:')) unsafe.push(`${el.localName}[${a.name}]=${a.value.slice(0, 60)}`);
          }
        }
        if (el.shadowRoot) {
          shadowRoots++;
          visit(el.shadowRoot, true);
        }
      }
    };
    visit(document, false);
    return { unsafe, injected, attributes, shadowRoots, elements };
  });
}

interface WidgetState {
  shadow: boolean;
  state: string | undefined;
  cards: number;
  titles: string[];
  ids: string[];
  height: number;
  text: string;
}

function widgetStates(page: Page): Promise<WidgetState[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-localrank-widget]'), (el) => {
      const root = el.shadowRoot;
      const section = root?.querySelector('section.lr-Carousel');
      const state = section ? (['ready', 'empty', 'loading'].find((s) => section.classList.contains(`lr-Carousel--${s}`)) ?? 'unknown') : undefined;
      const cards = Array.from(root?.querySelectorAll('[data-testid="lr-card"]') ?? []);
      return {
        shadow: !!root,
        state,
        cards: cards.length,
        titles: cards.map((c) => c.querySelector('[data-testid="lr-card-title"]')?.textContent ?? ''),
        ids: cards.map((c) => c.getAttribute('data-product-id') ?? ''),
        height: el.getBoundingClientRect().height,
        text: root?.textContent ?? '',
      };
    }),
  );
}

for (const { file, fixture } of fixtures) {
  test(`hostile input ${file}: ${fixture.title}`, async ({ page, context }, testInfo) => {
    const want = fixture.expect;
    test.setTimeout(want.waitForCode ? 120_000 : 60_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    let requestsServed = 0;
    context.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname.startsWith('/hostile/')) requestsServed++;
    });
    await serveFiles(context, fixture.files);
    await recordLayoutShifts(page);
    await instrument(page);
    await page.route('**/e2e-hostile.html', (r) => r.fulfill({ contentType: 'text/html', body: hostPage(fixture) }));
    await page.goto('/e2e-hostile.html');
    await page.waitForFunction(() => !!window.LocalRank);

    const outcome = await page.evaluate(() =>
      window.LocalRank!.ready.then(
        () => 'resolves',
        (e: { code?: string }) => `rejects ${e.code}`,
      ),
    );
    expect(outcome.split(' ')[0]).toBe(want.ready);

    // Wait for what the fixture is about: a code the training worker reports, and every widget's final state.
    if (want.waitForCode) {
      await expect
        .poll(async () => (await page.evaluate(() => window.LocalRank!.status())).errors.map((e) => e.code), { timeout: 100_000, intervals: [100] })
        .toContain(want.waitForCode);
    }
    await expect
      .poll(async () => (await widgetStates(page)).map((w) => (w.shadow ? w.state : 'untouched')), { intervals: [50] })
      .toEqual(want.widgets.map((w) => w.state));
    // Late image errors, late renders and layout shifts get a moment to happen.
    await page.waitForTimeout(300);

    const status = await page.evaluate(() => window.LocalRank!.status());
    const statusCodes = [...new Set(status.errors.map((e) => e.code))].sort();
    const eventCodes = await page.evaluate(() => (window as unknown as { __lrErrors: string[] }).__lrErrors);
    expect(statusCodes, JSON.stringify(status.errors.map((e) => e.message.slice(0, 160)))).toEqual([...want.codes].sort());
    // Every code was also an `error` event — except configuration warnings, which are reported while the tag is
    // read, before window.LocalRank exists for anyone to subscribe (status().errors keeps them).
    for (const code of want.codes) if (!code.startsWith('LR_CONFIG_')) expect(eventCodes).toContain(code);
    for (const code of eventCodes) expect(want.codes).toContain(code);

    // A good base model beside broken neighbour lists arrives after the lists' error: wait for the ranker it sets.
    if (want.ranker) await expect.poll(() => page.evaluate(() => window.LocalRank!.status().ranker), { intervals: [100], timeout: 60_000 }).toBe(want.ranker);
    if (want.page) expect(status.page).toBe(want.page);
    if (want.catalog) expect(status.catalog).toEqual(want.catalog);
    if (want.noNeighbours) expect(status.model.neighbours).toBeUndefined();

    // Each widget degraded as the fixture says, in its reserved height.
    const widgets = await widgetStates(page);
    const heightsBefore = await page.evaluate(() => (window as unknown as { __mountHeights: number[] }).__mountHeights);
    const selected = await Promise.all(
      want.widgets.map((w) => page.evaluate((s) => Array.from(document.querySelectorAll('[data-localrank-widget]')).indexOf(document.querySelector(s)!), w.selector)),
    );
    want.widgets.forEach((w, i) => {
      const got = widgets[selected[i]!]!;
      expect(got, w.selector).toBeDefined();
      if (w.cards !== undefined) expect(got.cards, w.selector).toBe(w.cards);
      if (w.state === 'empty') expect(got.cards, w.selector).toBe(0);
    });
    expect(heightsBefore.length).toBe(widgets.length);
    expect(widgets.map((w) => w.height)).toEqual(heightsBefore);
    const shifts = await layoutShifts(page);
    expect(shifts, JSON.stringify(shifts)).toEqual([]);

    const shownTitles = widgets.flatMap((w) => w.titles);
    for (const t of want.cardTitles ?? []) expect(shownTitles).toContain(t);
    const allText = widgets.map((w) => w.text).join('\n');
    for (const t of want.absentTexts ?? []) expect(allText).not.toContain(t);

    // rerank() never throws and returns the same items: shown ids reversed, an unknown id and an item without id.
    const shownIds = [...new Set(widgets.flatMap((w) => w.ids))];
    const input: unknown[] = [...shownIds].reverse().map((id) => ({ id }));
    input.push('no-such-product', { title: 'no id' });
    const reranked = await page.evaluate((items) => window.LocalRank!.rerank(items), input);
    expect(reranked).toHaveLength(input.length);
    expect(new Set(reranked.map((x) => JSON.stringify(x)))).toEqual(new Set(input.map((x) => JSON.stringify(x))));
    let personalised = 0;
    if (want.rerankPersonalises) {
      const firstReady = widgets.find((w) => w.state === 'ready' && w.ids.length >= 3)!;
      const target = firstReady.ids.at(-1)!;
      await page.evaluate((id) => {
        window.LocalRank!.track({ type: 'click', productId: id });
        window.LocalRank!.track({ type: 'add-to-cart', productId: id });
      }, target);
      const order = await page.evaluate((ids) => window.LocalRank!.rerank(ids), firstReady.ids);
      // From last place into the top 3 (items of its category share the category boost and keep their host prior).
      expect(order.indexOf(target)).toBeLessThan(3);
      expect([...order].sort()).toEqual([...firstReady.ids].sort());
      personalised = 1;
    }

    // Nothing unsafe reached the DOM, nothing injected ran.
    const scan = await scanDom(page);
    expect(scan.unsafe).toEqual([]);
    expect(scan.injected).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await expect(page.locator('#host')).toHaveText('host content');

    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __unhandled: string[] }).__unhandled)).toEqual([]);

    reportCounts(testInfo, 'hostile-input', {
      'fixtures tried': 1,
      'error codes verified': statusCodes.length,
      'widgets checked': widgets.length,
      'cards checked': widgets.reduce((n, w) => n + w.cards, 0),
      'DOM attributes scanned': scan.attributes,
      'shadow roots scanned': scan.shadowRoots,
      'fixture requests served': requestsServed,
      'reranks checked': 1 + personalised,
    });
  });
}
