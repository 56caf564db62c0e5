/**
 * Formats a price and a date once, which makes the browser load its ICU locale data. The first `Intl` call of a
 * renderer process does that: 30–90 ms on this kind of machine (`page-load.intl-first-use` in the benchmark), one long
 * task wherever it lands. The data stays loaded for the whole process, workers included, so when a worker has called
 * this, the page's own first `Intl.NumberFormat` (LocalRank's first price) takes well under a millisecond, for any
 * locale and currency. Returns whether it could (`false` without `Intl`); never throws.
 */
export function loadLocaleData(): boolean {
  try {
    new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(1);
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(0);
    return true;
  } catch {
    return false;
  }
}
