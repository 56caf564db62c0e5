const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats a price with `Intl.NumberFormat` for `locale` and ISO `currency`, caching formatters.
 * Returns `undefined` when there is no price; falls back to a plain number when the locale or currency is
 * not supported by the browser.
 */
export function formatPrice(price: number | undefined, currency: string | undefined, locale: string): string | undefined {
  if (price === undefined) return undefined;
  const key = `${locale}|${currency ?? ''}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = currency
        ? new Intl.NumberFormat(locale, { style: 'currency', currency })
        : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      formatter = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(price);
}
