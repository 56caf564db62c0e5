import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCatalog } from '../core/parse-catalog';
import type { CatalogWorkerMessage, CatalogWorkerRequest } from './fetch-catalog';

/** Loads `read-catalog.worker.ts` afresh with worker globals stubbed; returns what it posts and a way to ask it. */
async function startWorker(body: string): Promise<{ sent: CatalogWorkerMessage[]; ask: (request: CatalogWorkerRequest) => Promise<void> }> {
  const sent: CatalogWorkerMessage[] = [];
  let onMessage: ((event: { data: CatalogWorkerRequest }) => void) | undefined;
  vi.stubGlobal('postMessage', (message: CatalogWorkerMessage) => sent.push(message));
  vi.stubGlobal('addEventListener', (type: string, listener: (event: { data: CatalogWorkerRequest }) => void) => {
    if (type === 'message') onMessage = listener;
  });
  vi.stubGlobal('fetch', async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
  vi.resetModules();
  await import('./read-catalog.worker');
  return {
    sent,
    async ask(request) {
      onMessage!({ data: request });
      await vi.waitFor(() => expect(sent.some((m) => 'intl' in m)).toBe(true));
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const catalog = {
  currency: 'EUR',
  products: [
    ...Array.from({ length: 230 }, (_, i) => ({ id: `p${i}`, title: `Product ${i}`, category: 'kitchen', price: 10 + i })),
    { id: 'p3', title: 'A duplicate', category: 'kitchen' },
    { id: 'no-title', category: 'kitchen' },
    { id: 'bad-url', title: 'Bad URL', category: 'kitchen', url: 'javascript:alert(1)' },
  ],
};

describe('read-catalog.worker', () => {
  it('asked to check a JSON catalog, validates it and sends only the valid products, 100 a message, then what validation found', async () => {
    const worker = await startWorker(JSON.stringify(catalog));
    await worker.ask({ url: 'http://shop.test/catalog.json', check: true });
    const expected = parseCatalog(catalog);
    const parts = worker.sent.filter((m): m is { products: never[] } => 'products' in m);
    expect(parts.map((m) => m.products.length)).toEqual([100, 100, 31]);
    expect(parts.flatMap((m) => m.products)).toEqual(expected.products);
    expect(worker.sent.some((m) => 'rows' in m)).toBe(false);
    const last = worker.sent.find((m) => 'head' in m) as Extract<CatalogWorkerMessage, { head: unknown }>;
    expect(last.checked).toEqual({ problems: expected.problems, skipped: 2 });
    expect(last.checked!.problems.join('\n')).toMatch(/duplicate id "p3"/);
    expect(worker.sent[0]).toEqual({ ready: true });
    expect(worker.sent.at(-1)).toHaveProperty('intl');
  });

  it('not asked to check, sends the raw rows and the rest of the catalog, as before', async () => {
    const worker = await startWorker(JSON.stringify(catalog));
    await worker.ask({ url: 'http://shop.test/catalog.json', check: false });
    const rows = worker.sent.filter((m): m is { rows: unknown[] } => 'rows' in m).flatMap((m) => m.rows);
    expect(rows).toEqual(catalog.products);
    const last = worker.sent.find((m) => 'head' in m) as Extract<CatalogWorkerMessage, { head: unknown }>;
    expect(last).toMatchObject({ rest: { currency: 'EUR' } });
    expect(last.checked).toBeUndefined();
  });

  it('reports a checked catalog that is not one as fatal, with no products', async () => {
    const worker = await startWorker('{"items":[]}');
    await worker.ask({ url: 'http://shop.test/catalog.json', check: true });
    expect(worker.sent.some((m) => 'products' in m)).toBe(false);
    const last = worker.sent.find((m) => 'head' in m) as Extract<CatalogWorkerMessage, { head: unknown }>;
    expect(last.checked?.fatal).toMatch(/expected a JSON array of products/);
  });
});
