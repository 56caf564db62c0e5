import { catalogFormat } from '../core/catalog-format';
import { checkedCatalog } from '../core/checked-catalog';
import type { CatalogParseResult } from '../core/parse-catalog';
import type { EventLog } from '../storage/event-log';

/**
 * A fetched catalog (see the entry script's `fetchCatalog`): the response's status, final URL and Content-Type, and
 * either the JSON catalog a worker parsed and validated (`checked`), the JSON value a worker parsed (`parsed`), or
 * the body to read on the page (`bytes`: a feed, or a JSON catalog no worker could take). None for an HTTP error
 * status.
 */
export interface FetchedCatalog {
  readonly status: number;
  readonly url: string;
  readonly contentType: string;
  readonly checked?: CatalogParseResult;
  readonly parsed?: unknown;
  readonly bytes?: ArrayBuffer;
}

/** Inputs of {@link loadCatalog}. */
export interface LoadCatalogDeps {
  /**
   * `LocalRankConfig.products`, the `data-catalog` catalog as fetched by the entry script (rejecting with a
   * `TypeError` when the request failed, a `SyntaxError` for a JSON body that is not JSON), or none.
   */
  readonly source: readonly unknown[] | Promise<FetchedCatalog> | undefined;
  /** Read the page's schema.org products and merge the ones remembered from earlier pages (`data-page-catalog`). */
  readonly pageCatalog: boolean;
  readonly doc: Document;
  /** The (privacy-gated) event log: the page catalog lives in its meta store, so "forget me" deletes it too. */
  readonly log: Pick<EventLog, 'getMeta' | 'setMeta'>;
  readonly now: () => number;
}

const FORMAT_NAMES = { json: 'JSON catalog', tsv: 'Merchant Center TSV feed', xml: 'Merchant Center XML feed' } as const;

/**
 * Produces the catalog value the runtime validates with parseCatalog: the configured catalog read in its format
 * (native JSON, Merchant Center TSV or RSS/Atom, see `readCatalogText`), and — with `pageCatalog` — the schema.org
 * products of this page merged into the remembered page catalog (see `withPageCatalog`). The feed readers and the
 * page reader are chunks of their own, loaded only when a feed or `data-page-catalog` needs them: a native JSON
 * catalog costs the page nothing more than before.
 *
 * Rejects like the old JSON fetch did, so the runtime reports the same stable codes: a failed fetch with its
 * error (`LR_CATALOG_FETCH`), an unreadable body with a `SyntaxError` naming the format (`LR_CATALOG_INVALID`).
 */
export async function loadCatalog(deps: LoadCatalogDeps): Promise<unknown> {
  let data: unknown;
  if (Array.isArray(deps.source)) data = deps.source;
  else if (deps.source) {
    const invalidJson = (error: unknown): SyntaxError =>
      new SyntaxError(`${FORMAT_NAMES.json}: it is not valid JSON (${error instanceof Error ? error.message.slice(0, 100) : 'parse error'})`);
    let res: FetchedCatalog;
    try {
      res = await (deps.source as Promise<FetchedCatalog>);
    } catch (error) {
      throw error instanceof SyntaxError ? invalidJson(error) : error;
    }
    if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status} for ${res.url}`);
    if (res.checked) data = checkedCatalog(res.checked);
    else if ('parsed' in res) data = res.parsed;
    else {
      // The bytes, not the text: their first bytes tell the format when the type and the URL do not.
      const bytes = res.bytes ?? new ArrayBuffer(0);
      const decode = (length?: number): string => new TextDecoder().decode(length === undefined ? bytes : new Uint8Array(bytes, 0, Math.min(length, bytes.byteLength)));
      const format = catalogFormat(res.contentType, res.url, decode(4096));
      if (format === 'json') {
        try {
          data = JSON.parse(decode()) as unknown;
        } catch (error) {
          throw invalidJson(error);
        }
      } else {
        const { readCatalogText } = await import('../core/read-catalog-text');
        const read = readCatalogText(decode(), res.contentType, res.url);
        if (read.fatal !== undefined) throw new SyntaxError(`${FORMAT_NAMES[read.format]}: ${read.fatal}`);
        data = read.data;
      }
    }
  }
  if (!deps.pageCatalog) return data;
  const { withPageCatalog } = await import('./with-page-catalog');
  return withPageCatalog(data, deps);
}
