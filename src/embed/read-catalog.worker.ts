/**
 * Fetches the catalog off the main thread and parses a JSON one there too (see `fetchCatalog`). Says `{ ready }` once
 * it runs, then takes a `CatalogWorkerRequest` and answers with the messages of `CatalogWorkerMessage`: for a JSON
 * catalog asked to be checked, its valid products in parts of {@link ROWS_PER_MESSAGE} (each read in a task of its
 * own on the main thread), then the head with what validation found; unchecked, its rows in such parts, then the
 * head with the rest; the bytes of a feed (transferred); or the failure.
 */
import { catalogFormat } from '../core/catalog-format';
import { catalogRows } from '../core/catalog-rows';
import { parseCatalog } from '../core/parse-catalog';
import type { CatalogHead, CatalogWorkerMessage, CatalogWorkerRequest } from './fetch-catalog';
import { loadLocaleData } from './load-locale-data';

/**
 * Rows per message: a message's rows are copied into the page in one task (a few ms at 4× throttling). 250 rows of the
 * demo's catalog made a task of 40–53 ms in 4 of 12 loads at 4× in one run (`.prof/load-frames.ts`; none in another).
 */
const ROWS_PER_MESSAGE = 100;

const send = (message: CatalogWorkerMessage, transfer: Transferable[] = []): void => postMessage(message, transfer);
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function read({ url, check }: CatalogWorkerRequest): Promise<void> {
  let head: CatalogHead;
  let bytes: ArrayBuffer;
  try {
    // Credentials: fetch's default, 'same-origin' (cookies go to the shop's own origin only), as on the page.
    const res = await fetch(url);
    head = { status: res.status, url: res.url, contentType: res.headers.get('content-type') ?? '' };
    if (!res.ok) return send({ head });
    bytes = await res.arrayBuffer();
  } catch (error) {
    return send({ fetchError: messageOf(error) });
  }
  const decoder = new TextDecoder();
  if (catalogFormat(head.contentType, head.url, decoder.decode(new Uint8Array(bytes, 0, Math.min(4096, bytes.byteLength)))) !== 'json') {
    return send({ head, bytes }, [bytes]);
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    return send({ error: messageOf(error) });
  }
  if (check) {
    // Validated here, not on the page: there it ran in slices whose steps (25 rows) took up to 42 ms at 4× CPU
    // throttling when a GC or a compilation fell in them, and with 50,000 products catalog response → ready took
    // 1,958 ms at 4× against 1,156 ms validated here (medians of one scaling run each).
    const { products, problems, skipped, fatal } = parseCatalog(value);
    for (let i = 0; i < products.length; i += ROWS_PER_MESSAGE) send({ products: products.slice(i, i + ROWS_PER_MESSAGE) });
    return send({ head, checked: { problems, skipped, ...(fatal === undefined ? {} : { fatal }) } });
  }
  const { rows, head: rest } = catalogRows(value);
  if (!rows) return send({ head, parsed: value });
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) send({ rows: rows.slice(i, i + ROWS_PER_MESSAGE) });
  send({ head, rest });
}

// After the catalog, while the page reads it, this worker loads the browser's locale data for the page's first price
// (`loadLocaleData`) and says so last: one worker fewer for the page to start (starting one was a main-thread task of
// 1.5–24 ms at 4× CPU throttling). Loaded before reading the response instead, the first carousel came 61 and 122 ms
// later (medians of two interleaved runs of 14 demo loads at 4×): the rows waited for it.
addEventListener('message', (event: MessageEvent<CatalogWorkerRequest>) => void read(event.data).finally(() => send({ intl: loadLocaleData() })));
send({ ready: true });
