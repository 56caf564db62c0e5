/**
 * A throwaway worker that pays the page's first-`Intl` cost off the main thread.
 *
 * The first `Intl` call of a renderer process loads the browser's ICU locale data: 30–90 ms on this kind of machine
 * (`page-load.intl-first-use` in the benchmark), one long task wherever it lands. The data stays loaded for the
 * whole process, workers included, so once this worker has formatted a price and a date, the page's own first
 * `Intl.NumberFormat` (LocalRank's first price) takes well under a millisecond, for any locale and currency.
 */
new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(1);
new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(0);
postMessage(true);
