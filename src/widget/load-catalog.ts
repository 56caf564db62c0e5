import { catalogFormat } from '../core/catalog-format';
import type { EventLog } from '../storage/event-log';

/** Inputs of {@link loadCatalog}. */
export interface LoadCatalogDeps {
  /** `LocalRankConfig.products`, the `data-catalog` response (fetched by the entry script), or none. */
  readonly source: readonly unknown[] | Promise<Response> | undefined;
  /** Read the page's schema.org products and merge the ones remembered from earlier pages (`data-page-catalog`). */
  readonly pageCatalog: boolean;
  readonly doc: Document;
  /** The (privacy-gated) event log: the page catalog lives in its meta store, so "forget me" deletes it too. */
  readonly log: Pick<EventLog, 'getMeta' | 'setMeta'>;
  readonly now: () => number;
  /**
   * Parses a JSON catalog's bytes off the main thread (see `parseJsonOffThread`); rejects with a `SyntaxError` for
   * text that is not JSON. Without it, or when it rejects with another error, `JSON.parse` on the main thread.
   */
  readonly parseJson?: (bytes: ArrayBuffer) => Promise<unknown>;
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
    const res = await (deps.source as Promise<Response>);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${res.url}`);
    // The bytes, not the text: a JSON catalog goes to the parser as they are (decoding a large one is main-thread
    // work too); its first bytes tell the format when the type and the URL do not.
    const bytes = await res.arrayBuffer();
    const contentType = res.headers.get('content-type') ?? '';
    const decode = (length?: number): string => new TextDecoder().decode(length === undefined ? bytes : new Uint8Array(bytes, 0, Math.min(length, bytes.byteLength)));
    if (catalogFormat(contentType, res.url, decode(4096)) === 'json') {
      try {
        // The off-thread parser's own failure (its chunk did not load, or no worker could run) is not the catalog's:
        // parse here instead.
        data = deps.parseJson
          ? await deps.parseJson(bytes).catch((error: unknown) => {
              if (error instanceof SyntaxError) throw error;
              return JSON.parse(decode()) as unknown;
            })
          : (JSON.parse(decode()) as unknown);
      } catch (error) {
        throw new SyntaxError(`${FORMAT_NAMES.json}: it is not valid JSON (${error instanceof Error ? error.message.slice(0, 100) : 'parse error'})`);
      }
    } else {
      const body = decode();
      const { readCatalogText } = await import('../core/read-catalog-text');
      const read = readCatalogText(body, contentType, res.url);
      if (read.fatal !== undefined) throw new SyntaxError(`${FORMAT_NAMES[read.format]}: ${read.fatal}`);
      data = read.data;
    }
  }
  if (!deps.pageCatalog) return data;
  const { withPageCatalog } = await import('./with-page-catalog');
  return withPageCatalog(data, deps);
}
