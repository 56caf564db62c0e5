import { catalogFormat } from './catalog-format';
import type { CatalogFormat } from './catalog-format';
import { parseMerchantTsv } from './parse-merchant-tsv';
import { parseMerchantXml } from './parse-merchant-xml';

/** Result of {@link readCatalogText}. */
export interface CatalogText {
  /** The format chosen (see {@link catalogFormat}). */
  readonly format: CatalogFormat;
  /** The catalog in the native shape, for parseCatalog; absent when `fatal`. */
  readonly data?: unknown;
  /** Why the body cannot be read at all (not JSON, no TSV header, malformed XML …). */
  readonly fatal?: string;
}

/**
 * Reads a fetched catalog body — native JSON, a Google Merchant Center TSV feed, or a Merchant Center RSS/Atom feed —
 * into the native shape that parseCatalog validates. Never throws.
 * @param body the response body
 * @param contentType the response's Content-Type (may be empty)
 * @param url the catalog URL
 */
export function readCatalogText(body: string, contentType: string, url: string): CatalogText {
  const format = catalogFormat(contentType, url, body);
  if (format === 'json') {
    try {
      return { format, data: JSON.parse(body) as unknown };
    } catch (error) {
      return { format, fatal: `it is not valid JSON (${error instanceof Error ? error.message.slice(0, 100) : 'parse error'})` };
    }
  }
  const feed = format === 'tsv' ? parseMerchantTsv(body) : parseMerchantXml(body);
  return feed.fatal !== undefined ? { format, fatal: feed.fatal } : { format, data: feed.catalog };
}
