/** Catalog formats `data-catalog` can point at. */
export type CatalogFormat = 'json' | 'tsv' | 'xml';

/**
 * Chooses how to read a fetched catalog, first rule that decides wins:
 * 1. the Content-Type: `application/json` or `+json` → json; `text/tab-separated-values` → tsv;
 *    `application/xml`, `text/xml`, `application/rss+xml`, `application/atom+xml` → xml;
 * 2. the URL's file extension: `.json` → json; `.tsv`, `.txt` → tsv; `.xml`, `.rss`, `.atom` → xml;
 * 3. the body: starting with `{` or `[` → json; with `<` → xml; a tab in the first line → tsv;
 * 4. otherwise json (its error then says the body is not JSON).
 * @param contentType the response's Content-Type header (may be empty)
 * @param url the catalog URL (query and fragment are ignored)
 * @param body the response body
 */
export function catalogFormat(contentType: string, url: string, body: string): CatalogFormat {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/tab-separated-values') return 'tsv';
  if (type === 'application/xml' || type === 'text/xml' || type === 'application/rss+xml' || type === 'application/atom+xml') return 'xml';
  const ext = /\.([a-z]+)$/i.exec(url.split(/[?#]/)[0]!)?.[1]?.toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'tsv' || ext === 'txt') return 'tsv';
  if (ext === 'xml' || ext === 'rss' || ext === 'atom') return 'xml';
  const start = body.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<')) return 'xml';
  const nl = start.search(/[\r\n]/);
  if ((nl < 0 ? start : start.slice(0, nl)).includes('\t')) return 'tsv';
  return 'json';
}
