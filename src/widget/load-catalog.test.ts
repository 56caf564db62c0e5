import { describe, expect, it } from 'vitest';
import { checkedResult } from '../core/checked-catalog';
import { PAGE_CATALOG_KEY } from '../core/merge-page-catalog';
import { createCatalogParser, parseCatalog } from '../core/parse-catalog';
import { loadCatalog } from './load-catalog';
import type { FetchedCatalog } from './load-catalog';

/** A document with the given JSON-LD blocks only (the DOM reader itself is tested in Chromium by e2e/catalog-formats). */
function docWith(...blocks: unknown[]): Document {
  const scripts = blocks.map((b) => ({ textContent: JSON.stringify(b) }));
  return {
    querySelectorAll: (selector: string) => (selector.includes('ld+json') ? scripts : []),
    body: { dataset: {} },
    documentElement: { dataset: {} },
  } as unknown as Document;
}

function memoryLog(fail = false): { getMeta(k: string): Promise<unknown>; setMeta(k: string, v: unknown): Promise<void>; store: Map<string, unknown> } {
  const store = new Map<string, unknown>();
  return {
    store,
    getMeta: async (k) => {
      if (fail) throw new Error('quota');
      return store.get(k);
    },
    setMeta: async (k, v) => {
      if (fail) throw new Error('quota');
      store.set(k, v);
    },
  };
}

/** A catalog fetched on the page: its body as bytes (none for an error status). */
const response = (body: string, contentType: string, status = 200): Promise<FetchedCatalog> =>
  Promise.resolve({ status, url: 'https://shop.test/catalog', contentType, ...(status < 300 ? { bytes: new TextEncoder().encode(body).buffer } : {}) });

const ld = (sku: string, price = 1): unknown => ({ '@type': 'Product', sku, name: sku, category: 'c', offers: { price, priceCurrency: 'EUR' } });

describe('loadCatalog', () => {
  it('uses the value a worker parsed; a SyntaxError from it is an invalid catalog, a failed request stays a fetch error', async () => {
    const base = { pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 };
    const parsed = { products: [{ id: 'from-worker' }] };
    // Content-Type and URL say TSV: a parsed value is used as it is, never read again as text.
    const fromWorker = Promise.resolve({ status: 200, url: 'https://shop.test/feed.tsv', contentType: 'text/tab-separated-values', parsed });
    expect(await loadCatalog({ ...base, source: fromWorker })).toBe(parsed);
    const invalid = loadCatalog({ ...base, source: Promise.reject(new SyntaxError('Unexpected end of JSON input')) });
    await expect(invalid).rejects.toThrow(/^JSON catalog: it is not valid JSON \(Unexpected end of JSON input\)$/);
    await expect(invalid).rejects.toBeInstanceOf(SyntaxError);
    const failed = loadCatalog({ ...base, source: Promise.reject(new TypeError('Failed to fetch')) });
    await expect(failed).rejects.toThrow(/^Failed to fetch$/);
    await expect(failed).rejects.not.toBeInstanceOf(SyntaxError);
  });
  it("takes a catalog the worker validated as it is: the runtime's parser returns that result without validating again", async () => {
    const base = { pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 };
    const checked = parseCatalog({ products: [{ id: 'a', title: 'A', category: 'c' }, { id: 'a', title: 'Again', category: 'c' }] });
    const data = await loadCatalog({ ...base, source: Promise.resolve({ status: 200, url: 'https://shop.test/catalog.json', contentType: 'application/json', checked }) });
    expect(checkedResult(data)).toBe(checked);
    const parser = createCatalogParser(data);
    expect(parser.step(1)).toBe(true);
    expect(parser.result()).toBe(checked);
    expect(parser.result().skipped).toBe(1);
  });

  it('reads bytes on the page: JSON parsed here, a feed by its reader, the format from the body when type and URL say nothing', async () => {
    const base = { pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 };
    expect(await loadCatalog({ ...base, source: response('[{"id":"a"}]', 'application/json') })).toEqual([{ id: 'a' }]);
    const untyped = Promise.resolve({ status: 200, url: 'https://shop.test/catalog', contentType: '', bytes: new TextEncoder().encode(' {"products":[]}').buffer });
    expect(await loadCatalog({ ...base, source: untyped })).toEqual({ products: [] });
    const invalid = loadCatalog({ ...base, source: response('{"products":', 'application/json') });
    await expect(invalid).rejects.toThrow(/^JSON catalog: it is not valid JSON \(/);
    await expect(invalid).rejects.toBeInstanceOf(SyntaxError);
  });

  it('passes the configured catalog through unchanged without data-page-catalog', async () => {
    const rows = [{ id: 'a' }];
    expect(await loadCatalog({ source: rows, pageCatalog: false, doc: docWith(ld('x')), log: memoryLog(), now: () => 1 })).toBe(rows);
    expect(await loadCatalog({ source: response('{"products":[]}', 'application/json'), pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 })).toEqual({ products: [] });
  });
  it('rejects with the HTTP status, or with a SyntaxError naming the format', async () => {
    await expect(loadCatalog({ source: response('nope', 'text/plain', 404), pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 })).rejects.toThrow(/HTTP 404/);
    const bad = loadCatalog({ source: response('sku\tname\n', 'text/tab-separated-values'), pageCatalog: false, doc: docWith(), log: memoryLog(), now: () => 1 });
    await expect(bad).rejects.toBeInstanceOf(SyntaxError);
    await expect(bad).rejects.toThrow(/^Merchant Center TSV feed: /);
  });
  it('remembers page products for the next page; the configured catalog wins for its own ids', async () => {
    const log = memoryLog();
    const first = await loadCatalog({ source: undefined, pageCatalog: true, doc: docWith(ld('p1'), ld('p2')), log, now: () => 1 });
    expect((first as { products: Array<{ id: string }> }).products.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(log.store.has(PAGE_CATALOG_KEY)).toBe(true);
    const merged = await loadCatalog({ source: [{ id: 'p2', title: 'Feed P2', category: 'c' }], pageCatalog: true, doc: docWith(ld('p3')), log, now: () => 3 });
    expect((merged as Array<{ id: string; title: string }>).map((p) => [p.id, p.title])).toEqual([['p2', 'Feed P2'], ['p3', 'p3'], ['p1', 'p1']]);
  });
  it('still uses the page products when storage fails', async () => {
    const out = await loadCatalog({ source: undefined, pageCatalog: true, doc: docWith(ld('p1')), log: memoryLog(true), now: () => 1 });
    expect((out as { products: Array<{ id: string }> }).products.map((p) => p.id)).toEqual(['p1']);
  });
});
