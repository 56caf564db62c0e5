import { createRandom } from '../../src/core/create-random';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from '@playwright/test';
import { benchCatalog, sample } from '../bench-catalog';
import { summarise } from '../stats';
import type { BenchContext, Figure, Section } from '../types';
import { KEEP_NAMES_SHIM } from './rerank';

/** Event-log sizes written into IndexedDB. */
export const EVENT_COUNTS = [1000, 10_000, 100_000] as const;
/** Catalog sizes (products). */
export const CATALOG_SIZES = [1000, 10_000, 50_000] as const;
const DEFAULT_CAP = 10_000;

/**
 * Fits `y ≈ a · x^k` through the points (least squares on logs) and returns the exponent k: about 1 is linear,
 * below 1 sub-linear, about 0 flat. NaN with fewer than two usable points (x and y must be > 0).
 */
export function growthExponent(points: ReadonlyArray<readonly [number, number]>): number {
  const usable = points.filter(([x, y]) => x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y));
  if (usable.length < 2) return Number.NaN;
  const lx = usable.map(([x]) => Math.log(x));
  const ly = usable.map(([, y]) => Math.log(y));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i]! - my);
    den += (x - mx) ** 2;
  });
  return den > 0 ? num / den : Number.NaN;
}

/** "linear", "sub-linear" or "super-linear" for an exponent from {@link growthExponent}. */
export function describeGrowth(k: number): string {
  if (!Number.isFinite(k)) return 'unknown';
  if (k < 0.15) return `flat (x^${k.toFixed(2)})`;
  if (k < 0.85) return `sub-linear (x^${k.toFixed(2)})`;
  if (k <= 1.15) return `about linear (x^${k.toFixed(2)})`;
  return `super-linear (x^${k.toFixed(2)})`;
}

/**
 * Records, from the very start of each page, when `LocalRank.ready` resolved and when the first `rank` event fired
 * (the entry script installs the global with `Object.defineProperty`: hook the API as it is installed).
 */
const TIMING_SCRIPT = `(() => {
  const define = Object.defineProperty;
  Object.defineProperty = function (target, key, descriptor) {
    const out = define.call(Object, target, key, descriptor);
    if (target === window && key === 'LocalRank' && descriptor && descriptor.value && !window.__lrHooked) {
      window.__lrHooked = true;
      Object.defineProperty = define;
      const api = descriptor.value;
      api.on('rank', () => { window.__lrFirstRank ??= performance.now(); });
      api.ready.then(() => { window.__lrReady = performance.now(); }, () => {});
    }
    return out;
  };
})();`;

function pageHtml(catalogUrl: string, widgets: boolean, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LocalRank scaling bench</title></head>
<body data-localrank-page="home"><main>${widgets ? '<div data-localrank-widget="for-you"></div>' : ''}</main>
<script type="module" src="/localrank.js" data-catalog="${catalogUrl}" ${extra}></script></body></html>`;
}

async function open(ctx: BenchContext, html: string, catalogs: Record<string, string>): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await ctx.newPage();
  await context.addInitScript(KEEP_NAMES_SHIM);
  await context.addInitScript(TIMING_SCRIPT);
  await context.route('**/__bench/scaling.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  for (const [name, body] of Object.entries(catalogs)) {
    await context.route(`**/__bench/${name}`, (route) => route.fulfill({ contentType: 'application/json', body }));
  }
  return { context, page };
}

/**
 * When LocalRank's catalog response ended (epoch ms): the catalog worker fetches it, so the page's resource timeline has
 * no entry for it; Playwright reports the worker's request too, with its timing (the event's own time when the
 * timing has no response end).
 */
function catalogResponseEnd(page: Page): Promise<number> {
  return page
    .waitForEvent('requestfinished', { predicate: (r) => r.url().endsWith('/__bench/catalog.json'), timeout: 120_000 })
    .then((r) => {
      const t = r.timing();
      return t.responseEnd >= 0 ? t.startTime + t.responseEnd : Date.now();
    });
}

/** Loads (or reloads) the page and returns ms from navigation start to ready and to the first ranking. */
async function load(page: Page, reload: boolean): Promise<{ ready: number; firstRank: number }> {
  if (reload) await page.reload();
  else await page.goto('/__bench/scaling.html');
  await page.waitForFunction(() => (window as unknown as { __lrReady?: number }).__lrReady !== undefined, undefined, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => {
    const w = window as unknown as { __lrReady: number; __lrFirstRank?: number };
    return { ready: w.__lrReady, firstRank: w.__lrFirstRank ?? Number.NaN };
  });
}

/** Writes `count` events of the stored shape (src/storage/schema.ts) straight into LocalRank's `events` store. */
async function seedEvents(page: Page, count: number, ids: readonly string[]): Promise<void> {
  await page.evaluate(
    async ({ count, ids }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('localrank');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const now = Date.now();
      let seed = count;
      const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 4_294_967_296);
      const chunk = 20_000;
      for (let start = 0; start < count; start += chunk) {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('events', 'readwrite');
          const store = tx.objectStore('events');
          for (let i = start; i < Math.min(count, start + chunk); i++) {
            const time = now - (count - i) * Math.floor((60 * 86_400_000) / count);
            const r = rnd();
            const productId = ids[Math.floor(rnd() * ids.length)]!;
            const position = Math.floor(rnd() * 24);
            if (r < 0.01) store.add({ type: 'search', time, context: { page: 'search', query: 'rose serum' } });
            else if (r < 0.7) store.add({ type: 'impression', productId, time, context: { page: 'category', list: 'grid', position } });
            else if (r < 0.9) store.add({ type: 'click', productId, time, context: { page: 'category', list: 'grid', position } });
            else if (r < 0.96) store.add({ type: 'dwell', productId, time, dwellMs: 5000 + Math.floor(rnd() * 60_000), context: { page: 'product' } });
            else if (r < 0.99) store.add({ type: 'add-to-cart', productId, time, context: { page: 'product' } });
            else store.add({ type: 'purchase', productId, time, context: { page: 'cart' } });
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    },
    { count, ids },
  );
}

const usageMB = (page: Page): Promise<number> => page.evaluate(async () => ((await navigator.storage.estimate()).usage ?? 0) / 1_048_576);

/**
 * Profile rebuild time: `rerank()` of 200 ids right after an impression was tracked (which marks the profile
 * stale) minus a `rerank()` of the same ids with the profile cached. All rounds run in one task, so no write (and
 * no compaction) happens in between.
 */
async function profileRuns(page: Page, list: readonly string[], rounds: number): Promise<number[]> {
  return page.evaluate(
    async ({ list, rounds }) => {
      const lr = window.LocalRank!;
      for (let i = 0; i < 3; i++) await lr.rerank(list);
      const out: number[] = [];
      for (let i = 0; i < rounds; i++) {
        lr.track({ type: 'impression', productId: list[i % list.length]!, context: { list: 'bench' } });
        const t0 = performance.now();
        await lr.rerank(list);
        const t1 = performance.now();
        await lr.rerank(list);
        const t2 = performance.now();
        out.push(Math.max(0, t1 - t0 - (t2 - t1)));
      }
      return out;
    },
    { list, rounds },
  );
}

/**
 * Scaling: how page start, the profile and IndexedDB grow with the event log (1k / 10k / 100k events written
 * straight into IndexedDB, default cap), and how catalog bytes, parse + index time, rerank of 200 and the JS heap
 * grow with the catalog (1k / 10k / 50k products from the project's generator). Notes give the fitted growth.
 */
export const scaling: Section = {
  name: 'scaling',
  async run(ctx) {
    const figures: Figure[] = [];
    const notes: string[] = [];
    const reloads = (heavy: boolean): number => (heavy ? Math.max(3, Math.ceil(ctx.repeats / 2)) : ctx.repeats);

    // --- event log -------------------------------------------------------------------------------------------
    const demo = benchCatalog(1200);
    const demoIds = (JSON.parse(demo) as { products: Array<{ id: string }> }).products.map((p) => p.id);
    const list200 = sample(demoIds, 200, createRandom(11));
    // No impressions are stored while measuring (60 s visible time needed), so the log stays at its seeded size.
    const html = pageHtml('/__bench/catalog.json', true, 'data-impression-ms="60000"');
    const empty = { ready: [] as number[], firstRank: [] as number[], profile: [] as number[], idb: 0 };
    const perCount: Record<number, { ready: number[]; firstRank: number[]; profile: number[]; idb: number }> = {};
    for (const count of EVENT_COUNTS) {
      ctx.log(`scaling: ${count} events`);
      const { context, page } = await open(ctx, html, { 'catalog.json': demo });
      try {
        await load(page, false); // unmeasured: the first load also fills the HTTP cache and creates the database
        if (count === EVENT_COUNTS[0]) {
          for (let i = 0; i < ctx.repeats; i++) {
            const t = await load(page, true);
            empty.ready.push(t.ready);
            empty.firstRank.push(t.firstRank);
          }
          empty.profile = await profileRuns(page, list200, ctx.repeats);
          await page.evaluate(() => window.LocalRank!.forgetMe());
          empty.idb = await usageMB(page);
        }
        await seedEvents(page, count, demoIds);
        const idb = await usageMB(page);
        const ready: number[] = [];
        const firstRank: number[] = [];
        for (let i = 0; i < reloads(count >= 100_000); i++) {
          const t = await load(page, true);
          ready.push(t.ready);
          firstRank.push(t.firstRank);
        }
        const stored = await page.evaluate(() => window.LocalRank!.status().events);
        if (stored < count) notes.push(`With ${count} events seeded, the page read ${stored}.`);
        const profile = await profileRuns(page, list200, ctx.repeats);
        perCount[count] = { ready, firstRank, profile, idb };
        if (count > DEFAULT_CAP) {
          // The impressions tracked above are written now; over the cap, that write compacts the log.
          const t0 = Date.now();
          await page.evaluate(() => window.LocalRank!.flush());
          await page.waitForFunction((cap) => window.LocalRank!.status().events <= cap, DEFAULT_CAP, { timeout: 120_000, polling: 100 });
          const compactS = (Date.now() - t0) / 1000;
          const after = await load(page, true);
          const left = await page.evaluate(() => window.LocalRank!.status().events);
          const afterIdb = await usageMB(page);
          figures.push(
            { key: `scaling.events.${count}.compacted.events`, label: `${count.toLocaleString('en-US')} events → after the first write (default cap)`, unit: 'count', value: summarise([left]) },
            { key: `scaling.events.${count}.compacted.ready`, label: `${count.toLocaleString('en-US')} events compacted: navigation → ready`, unit: 'ms', value: summarise([after.ready]) },
            { key: `scaling.events.${count}.compacted.idb`, label: `${count.toLocaleString('en-US')} events compacted: IndexedDB usage`, unit: 'MB', value: summarise([afterIdb]) },
          );
          notes.push(
            `Over the default cap (maxEvents ${DEFAULT_CAP.toLocaleString('en-US')}) the first write compacts the log: ${count.toLocaleString('en-US')} → ${left.toLocaleString('en-US')} events (+ per-product/category counters) in ${compactS.toFixed(1)} s (off the critical path), so with the default cap a shopper's log never grows past ~${DEFAULT_CAP.toLocaleString('en-US')}; storage.estimate() may lag behind the deletes.`,
          );
        }
      } finally {
        await context.close();
      }
    }
    const baseReady = { label: 'empty log (same page)', value: summarise(empty.ready) };
    const baseRank = { label: 'empty log (same page)', value: summarise(empty.firstRank) };
    const baseProfile = { label: 'empty log (same page)', value: summarise(empty.profile) };
    for (const count of EVENT_COUNTS) {
      const m = perCount[count]!;
      const n = count.toLocaleString('en-US');
      figures.push(
        { key: `scaling.events.${count}.ready`, label: `${n} stored events: navigation → ready`, unit: 'ms', value: summarise(m.ready), baseline: baseReady },
        { key: `scaling.events.${count}.first-rank`, label: `${n} stored events: navigation → first ranking (For you)`, unit: 'ms', value: summarise(m.firstRank), baseline: baseRank },
        { key: `scaling.events.${count}.profile`, label: `${n} stored events: rebuilding the profile`, unit: 'ms', value: summarise(m.profile), baseline: baseProfile },
        { key: `scaling.events.${count}.idb`, label: `${n} stored events: IndexedDB usage`, unit: 'MB', value: summarise([m.idb]), baseline: { label: 'empty database', value: summarise([empty.idb]) } },
      );
    }
    const fit = (pick: (m: (typeof perCount)[number]) => number): string =>
      describeGrowth(growthExponent(EVENT_COUNTS.map((c) => [c, pick(perCount[c]!)] as const)));
    const med = (runs: number[]): number => summarise(runs).median;
    notes.push(
      `Event-log growth from 1k to 100k events (medians): ready ${fit((m) => med(m.ready) - med(empty.ready))} beyond the empty-log start, profile rebuild ${fit((m) => med(m.profile))}, IndexedDB ${fit((m) => m.idb - empty.idb)}.`,
      `Events are written straight into IndexedDB (70 % impressions, 20 % clicks, dwell, carts, purchases, searches over 60 days, demo catalog ids); ${reloads(false)} reloads per size (${reloads(true)} at 100k); the profile is rebuilt lazily on the first ranking after an event, and is the time of a rerank(200) with a stale profile minus one with a cached profile.`,
    );

    // --- catalog ---------------------------------------------------------------------------------------------
    const perCatalog: Record<number, { parse: number[]; json: number[]; rerank: number[]; heap: number[]; bareHeap: number[]; gzipKB: number }> = {};
    for (const size of CATALOG_SIZES) {
      ctx.log(`scaling: catalog ${size}`);
      const text = benchCatalog(size);
      const ids = (JSON.parse(text) as { products: Array<{ id: string }> }).products.map((p) => p.id);
      const list = sample(ids, 200, createRandom(size));
      const m = { parse: [] as number[], json: [] as number[], rerank: [] as number[], heap: [] as number[], bareHeap: [] as number[], gzipKB: gzipSync(text, { level: 6 }).length / 1024 };
      // No widgets: from the catalog response to ready is fetching the body, JSON, validation and the id index.
      const { context, page } = await open(ctx, pageHtml('/__bench/catalog.json', false), { 'catalog.json': text });
      try {
        for (let i = 0; i < reloads(size >= 50_000); i++) {
          const ended = catalogResponseEnd(page);
          await load(page, i > 0);
          const responseEnd = await ended;
          const r = await page.evaluate(async ({ list, responseEnd }) => {
            const ready = (window as unknown as { __lrReady: number }).__lrReady;
            const body = await (await fetch('/__bench/catalog.json')).text();
            const j0 = performance.now();
            JSON.parse(body);
            const json = performance.now() - j0;
            const lr = window.LocalRank!;
            for (let k = 0; k < 3; k++) await lr.rerank(list);
            const t0 = performance.now();
            await lr.rerank(list);
            const rerank = performance.now() - t0;
            (window as unknown as { gc?: () => void }).gc?.();
            const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN;
            return { parse: ready - (responseEnd - performance.timeOrigin), json, rerank, heap: heap / 1_048_576 };
          }, { list, responseEnd });
          if (!Number.isFinite(r.parse)) throw new Error(`scaling: no catalog response end for ${size} products`);
          m.parse.push(r.parse);
          m.json.push(r.json);
          m.rerank.push(r.rerank);
          m.heap.push(r.heap);
        }
      } finally {
        await context.close();
      }
      // Heap baseline: the same catalog fetched and parsed by the page itself, kept alive, without LocalRank.
      const bare = await open(ctx, `<!doctype html><html><body><script>fetch('/__bench/catalog.json').then((r) => r.json()).then((c) => { window.__catalog = c; window.__lrReady = performance.now(); });</script></body></html>`, { 'catalog.json': text });
      try {
        await bare.page.goto('/__bench/scaling.html');
        await bare.page.waitForFunction(() => (window as unknown as { __lrReady?: number }).__lrReady !== undefined, undefined, { timeout: 120_000 });
        m.bareHeap.push(
          await bare.page.evaluate(() => {
            (window as unknown as { gc?: () => void }).gc?.();
            return ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN) / 1_048_576;
          }),
        );
      } finally {
        await bare.context.close();
      }
      perCatalog[size] = m;
      const n = size.toLocaleString('en-US');
      figures.push(
        { key: `scaling.catalog.${size}.gzip`, label: `${n}-product catalog JSON (gzip)`, unit: 'KB', value: summarise([m.gzipKB]) },
        { key: `scaling.catalog.${size}.parse`, label: `${n} products: catalog response end → ready (JSON, validation, index)`, unit: 'ms', value: summarise(m.parse), baseline: { label: 'JSON.parse of the same text (same page)', value: summarise(m.json) } },
        { key: `scaling.catalog.${size}.rerank200`, label: `${n} products: rerank 200 (heuristic, warm)`, unit: 'ms', value: summarise(m.rerank) },
        { key: `scaling.catalog.${size}.heap`, label: `${n} products: JS heap after ready (after gc)`, unit: 'MB', value: summarise(m.heap), baseline: { label: 'the page holding the parsed catalog, no LocalRank', value: summarise(m.bareHeap) } },
      );
    }
    const cfit = (pick: (m: (typeof perCatalog)[number]) => number): string =>
      describeGrowth(growthExponent(CATALOG_SIZES.map((c) => [c, pick(perCatalog[c]!)] as const)));
    notes.push(
      `Catalog growth from 1k to 50k products (medians): gzip bytes ${cfit((m) => m.gzipKB)}, parse + index ${cfit((m) => med(m.parse))}, rerank 200 ${cfit((m) => med(m.rerank))}, heap ${cfit((m) => med(m.heap))}.`,
      `Catalogs come from scripts/generate-catalog.mjs --products (titles repeat past the word lists' combinations); ${reloads(false)} page loads per size (${reloads(true)} at 50k), each one rerank(200) after 3 warm-up calls, heap from performance.memory after gc().`,
    );
    return { figures, notes };
  },
};
