import { joinCatalogRows } from '../core/catalog-rows';
import type { CatalogParseResult } from '../core/parse-catalog';
import type { Product } from '../core/product';
import type { FetchedCatalog } from '../widget/load-catalog';

/** What `read-catalog.worker.ts` answers: the response's status, final URL and Content-Type. */
export interface CatalogHead {
  readonly status: number;
  readonly url: string;
  readonly contentType: string;
}

/** What the page asks `read-catalog.worker.ts`: the catalog's absolute URL, and whether to validate a JSON catalog there. */
export interface CatalogWorkerRequest {
  readonly url: string;
  readonly check: boolean;
}

/**
 * The messages of `read-catalog.worker.ts`, in order: `ready` once it runs; then `fetchError` (the request failed) or
 * `error` (`JSON.parse`'s message) or the rows in parts — a checked catalog's valid `products`, else its raw `rows` —
 * followed by a message with `head`, which ends it. That last message carries what validation found (`checked`), the
 * rest of a split catalog (`rest`), a parsed value that had no rows (`parsed`), the bytes of a body that is not JSON
 * (`bytes`, transferred), or nothing more for an HTTP error status. Last, `intl`: whether it has loaded the browser's
 * locale data.
 */
export type CatalogWorkerMessage =
  | { readonly ready: true }
  | { readonly intl: boolean }
  | { readonly fetchError: string }
  | { readonly error: string }
  | { readonly rows: unknown[] }
  | { readonly products: Product[] }
  | {
      readonly head: CatalogHead;
      readonly checked?: Omit<CatalogParseResult, 'products'>;
      readonly rest?: unknown;
      readonly parsed?: unknown;
      readonly bytes?: ArrayBuffer;
    };

/** Options of {@link fetchCatalog}. */
export interface FetchCatalogOptions {
  /** Validate a JSON catalog in the worker (`FetchedCatalog.checked`); off when the page must merge its own products first. Default `false`. */
  readonly check?: boolean;
  /** Hears once whether the worker loaded the browser's locale data (see {@link fetchCatalog}). */
  readonly onIntl?: (loaded: boolean) => void;
  /** How long to wait for the worker's first word before the page fetches the catalog itself (ms). Default 10,000. */
  readonly timeoutMs?: number;
}

/** Fetches on the page's main thread: the way without a worker. The body is read only for a success status. */
async function fetchOnPage(url: string): Promise<FetchedCatalog> {
  const res = await fetch(url);
  const head = { status: res.status, url: res.url, contentType: res.headers.get('content-type') ?? '' };
  return res.ok ? { ...head, bytes: await res.arrayBuffer() } : head;
}

/**
 * Fetches the catalog at `url` in a throwaway worker (`read-catalog.worker.ts`), which also parses a JSON catalog, so
 * that neither the body nor its parsing costs the page's main thread: with 50,000 products, reading the body on the
 * page was itself main-thread tasks of 130–410 ms at 4× CPU throttling (a trace without DevTools' network agent), and
 * parsing it 241–260 ms. The worker hands over a JSON catalog's rows in parts of 100, each read in a task of its own;
 * a feed (TSV, XML) comes back as bytes, transferred, to be read on the page.
 *
 * With `check`, the worker also validates a JSON catalog (`parseCatalog`) and hands over only its valid products, so
 * the page does not validate it again (validating 50,000 products on the page kept them from being ready for about
 * 0.8 s more at 4× CPU throttling).
 *
 * Resolves the response's head with the validated catalog (`checked`), the parsed value (`parsed`) or the body
 * (`bytes`). Rejects with a `TypeError`
 * when the request fails and with a `SyntaxError` (`JSON.parse`'s message) for a JSON body that is not JSON. Without
 * a worker — none in this browser, one the page's Content-Security-Policy blocks (`worker-src`), a script that fails
 * to load, no answer within `timeoutMs` (default 10 s) or a worker that fails on the way — the page fetches the
 * catalog itself, as before.
 *
 * After the catalog, while the page reads it, the worker also loads the browser's locale data for the page's first
 * price, so the page needs no worker of its own for that (`warmIntl`). `onIntl` hears once whether it did: `false`
 * without a worker, or when the page fetches the catalog itself. The worker is terminated after saying it.
 * @param url the catalog's absolute URL
 */
export function fetchCatalog(url: string, options: FetchCatalogOptions = {}): Promise<FetchedCatalog> {
  const { check = false, onIntl = () => {}, timeoutMs = 10_000 } = options;
  return new Promise((resolve, reject) => {
    let worker: Worker | undefined;
    let finished = false;
    let intlSaid = false;
    /** Ends the worker with its word on Intl (false when it could not say it), heard once. */
    const release = (loaded: boolean): void => {
      worker?.terminate();
      if (!intlSaid) onIntl(loaded);
      intlSaid = true;
    };
    const rows: unknown[] = [];
    const products: Product[] = [];
    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
    };
    const onPage = (): void => {
      if (finished) return;
      finish();
      release(false);
      fetchOnPage(url).then(resolve, reject);
    };
    const timer = setTimeout(onPage, timeoutMs);
    try {
      worker = new Worker(new URL('./read-catalog.worker.ts', import.meta.url), { type: 'module', name: 'localrank-catalog' });
      worker.onmessage = ({ data }: MessageEvent<CatalogWorkerMessage>) => {
        clearTimeout(timer);
        if ('intl' in data) {
          release(data.intl); // its last word
        } else if (finished) {
          return;
        } else if ('rows' in data) {
          for (const row of data.rows) rows.push(row);
        } else if ('products' in data) {
          for (const product of data.products) products.push(product);
        } else if ('fetchError' in data) {
          finish();
          reject(new TypeError(data.fetchError));
        } else if ('error' in data) {
          finish();
          reject(new SyntaxError(data.error));
        } else if ('head' in data) {
          finish();
          const { head } = data;
          if (data.checked) resolve({ ...head, checked: { ...data.checked, products } });
          else if ('rest' in data) resolve({ ...head, parsed: joinCatalogRows(data.rest, rows) });
          else if ('parsed' in data) resolve({ ...head, parsed: data.parsed });
          else resolve(data.bytes ? { ...head, bytes: data.bytes } : head);
        }
      };
      worker.onerror = (e) => {
        e.preventDefault(); // a blocked or failed worker is expected here: not an error for the host's console
        release(false);
        onPage();
      };
      worker.onmessageerror = onPage;
      worker.postMessage({ url, check } satisfies CatalogWorkerRequest);
    } catch {
      onPage(); // no Worker, or a SecurityError from the page's policy
    }
  });
}
