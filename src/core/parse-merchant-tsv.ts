import type { FeedRows, MerchantAttributes } from './merchant-row';
import { merchantKey, merchantRow } from './merchant-row';

/** Google allows a value in double quotes (with `""` for a quote inside); tabs and newlines cannot appear in a value. */
function unquote(value: string): string {
  const t = value.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

/**
 * Converts a Google Merchant Center tab-separated feed into native catalog rows (see {@link merchantRow}). The first
 * line names the columns with Google's attribute names (`id`, `title`, `link`, `image_link`, `price`, `availability`,
 * `brand`, `product_type`, …; `g:` prefixes, capitals and spaces are accepted); each further line is one item, and
 * item n is `products[n-1]` in parseCatalog's problems. Empty lines are skipped. Never throws: a feed without tabs
 * or without `id` and `title` columns is `fatal`.
 * @param text the feed's body
 */
export function parseMerchantTsv(text: string): FeedRows {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  const header = first >= 0 ? lines[first]! : '';
  const columns = header.split('\t').map((c) => merchantKey(unquote(c)));
  if (!header.includes('\t') || !columns.includes('id') || !columns.includes('title')) {
    return {
      fatal: `a Merchant Center TSV feed needs a tab-separated header row naming at least the "id" and "title" columns (found "${header.slice(0, 60)}")`,
    };
  }
  const products: Record<string, unknown>[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const values = line.split('\t');
    const item: Record<string, string> = {};
    columns.forEach((key, c) => {
      const value = values[c] === undefined ? '' : unquote(values[c]!);
      // A repeated column (two product_type columns) keeps its first non-empty value.
      if (value !== '' && item[key] === undefined) item[key] = value;
    });
    products.push(merchantRow(item as MerchantAttributes));
  }
  return { catalog: { products } };
}
