import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalogRows } from '../core/catalog-rows';
import { parseCatalog } from '../core/parse-catalog';
import type { Product } from '../core/product';
import type { CatalogWorkerMessage, CatalogWorkerRequest } from './fetch-catalog';
import { fetchCatalog } from './fetch-catalog';

/** A stand-in for `read-catalog.worker.ts`: answers the URL with the given messages, in order, each in a task. */
function fakeWorker(messages: CatalogWorkerMessage[]): { terminated: () => boolean; asked: () => CatalogWorkerRequest[] } {
  let terminated = false;
  const asked: CatalogWorkerRequest[] = [];
  class FakeWorker {
    onmessage: ((e: { data: CatalogWorkerMessage }) => void) | null = null;
    onerror: ((e: { preventDefault(): void }) => void) | null = null;
    onmessageerror: (() => void) | null = null;
    postMessage(request: CatalogWorkerRequest): void {
      asked.push(request);
      for (const [i, data] of [{ ready: true } as const, ...messages].entries()) setTimeout(() => !terminated && this.onmessage?.({ data }), i);
    }
    terminate(): void {
      terminated = true;
    }
  }
  vi.stubGlobal('Worker', FakeWorker);
  return { terminated: () => terminated, asked: () => asked };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchCatalog', () => {
  it("joins the worker's rows, then keeps the worker until it says it loaded the locale data", async () => {
    const catalog = { currency: 'EUR', products: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] };
    const { rows, head: rest } = catalogRows(catalog);
    const head = { status: 200, url: 'http://shop.test/catalog.json', contentType: 'application/json' };
    const worker = fakeWorker([{ rows: rows!.slice(0, 2) }, { rows: rows!.slice(2) }, { head, rest }, { intl: true }]);
    let said: () => void;
    const intlSaid = new Promise<void>((resolve) => (said = resolve));
    const onIntl = vi.fn(() => said());
    const fetched = await fetchCatalog(head.url, { timeoutMs: 1000, onIntl });
    expect(fetched).toEqual({ ...head, parsed: catalog });
    expect(worker.asked()).toEqual([{ url: head.url, check: false }]);
    expect(onIntl).not.toHaveBeenCalled();
    expect(worker.terminated()).toBe(false);
    await intlSaid;
    expect(onIntl.mock.calls).toEqual([[true]]);
    expect(worker.terminated()).toBe(true);
  });

  it("asked to check, joins the worker's validated products with what validation found", async () => {
    const catalog = { currency: 'EUR', products: [{ id: 'a', title: 'A', category: 'c' }, { id: 'a', title: 'A again', category: 'c' }, { id: 'b', title: 'B', category: 'c', price: 'cheap' }] };
    const result = parseCatalog(catalog);
    const head = { status: 200, url: 'http://shop.test/catalog.json', contentType: 'application/json' };
    const worker = fakeWorker([
      { products: result.products.slice(0, 1) as Product[] },
      { products: result.products.slice(1) as Product[] },
      { head, checked: { problems: result.problems, skipped: result.skipped } },
      { intl: true },
    ]);
    const fetched = await fetchCatalog(head.url, { check: true, timeoutMs: 1000 });
    expect(worker.asked()).toEqual([{ url: head.url, check: true }]);
    expect(fetched).toEqual({ ...head, checked: result });
    expect(fetched.checked!.skipped).toBe(1);
    expect(fetched.checked!.problems).toHaveLength(2); // the duplicate id, the price
  });

  it("passes on the worker's false, once", async () => {
    const head = { status: 404, url: 'http://shop.test/catalog.json', contentType: 'text/plain' };
    fakeWorker([{ head }, { intl: false }, { intl: true }]);
    const onIntl = vi.fn();
    expect(await fetchCatalog(head.url, { timeoutMs: 1000, onIntl })).toEqual(head);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onIntl.mock.calls).toEqual([[false]]);
  });

  it('says false when there is no worker: the page fetches the catalog itself', async () => {
    vi.stubGlobal('Worker', undefined);
    const body = new TextEncoder().encode('{"products":[]}');
    vi.stubGlobal('fetch', async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    const onIntl = vi.fn();
    const fetched = await fetchCatalog('http://shop.test/catalog.json', { timeoutMs: 1000, onIntl });
    expect(fetched.status).toBe(200);
    expect(onIntl.mock.calls).toEqual([[false]]);
  });
});
