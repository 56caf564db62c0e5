const formatters = new Map<string, Intl.NumberFormat>();

const PLAIN: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2 };

/**
 * Formats a price with `Intl.NumberFormat` for `locale` (the page's: config `locale`, else `<html lang>`, else the
 * browser's) and the product's ISO 4217 `currency`, caching one formatter per locale and currency (creating one
 * costs far more than formatting). Returns `undefined` when there is no price. Never throws: a locale the browser
 * rejects falls back to its default locale, and a currency it rejects to a plain number with two decimals in the
 * page's locale (a well-formed but unknown code such as `XYZ` is shown as the code, as `Intl` does).
 */
export function formatPrice(price: number | undefined, currency: string | undefined, locale: string): string | undefined {
  if (price === undefined) return undefined;
  const key = `${locale}|${currency ?? ''}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.NumberFormatOptions[] = currency ? [{ style: 'currency', currency }, PLAIN] : [PLAIN];
    for (const o of options) {
      for (const l of [locale, undefined]) {
        try {
          formatter ??= new Intl.NumberFormat(l, o);
        } catch {
          // RangeError: an invalid locale tag or currency code; try the next, safer combination.
        }
      }
    }
    formatter ??= new Intl.NumberFormat();
    formatters.set(key, formatter);
  }
  return formatter.format(price);
}
