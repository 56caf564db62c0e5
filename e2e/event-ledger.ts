import type { BrowserContext, Page } from '@playwright/test';

/**
 * A host page that keeps a ledger of every event LocalRank accepted: a second module script (module scripts run
 * in document order, so right after LocalRank's) subscribes to `LocalRank.on('event')` before any interaction can
 * happen. Tests compare that ledger with what IndexedDB holds. It also records `train` progress with wall-clock
 * times (`window.__train`), comparable across the tabs of one browser.
 */
export function ledgerPage(attrs = '', body = '<div data-localrank-widget="for-you"></div>'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledger host</title>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script>
<script type="module">
window.__accepted = []; window.LocalRank.on('event', (e) => window.__accepted.push(e));
window.__errors = []; window.LocalRank.on('error', (e) => window.__errors.push(e.code + ': ' + e.message));
window.__train = []; window.LocalRank.on('train', (p) => window.__train.push({ phase: p.phase, origin: p.origin, at: Date.now() }));
</script>
</head><body data-localrank-page="home">${body}</body></html>`;
}

/** Serves {@link ledgerPage} at `path` for every page of the context. */
export async function serveLedgerPage(context: BrowserContext, path: string, attrs = '', body?: string): Promise<void> {
  await context.route(`**${path}`, (route) => route.fulfill({ contentType: 'text/html', body: ledgerPage(attrs, body) }));
}

/** An event as logged: enough to tell two events apart. */
export type LoggedEvent = Record<string, any>;

/** The events LocalRank accepted on the current page so far (the ledger of {@link ledgerPage}). */
export function acceptedEvents(page: Page): Promise<LoggedEvent[]> {
  return page.evaluate(() => (window as unknown as { __accepted: LoggedEvent[] }).__accepted.slice());
}

/** LocalRank's error events on the current page so far (`code: message`). */
export function errorEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __errors: string[] }).__errors.slice());
}

/** Identity of an event (the auto-increment `id` is left out: it is assigned by the store). */
export function eventKey(e: LoggedEvent): string {
  const c = (e.context ?? {}) as Record<string, unknown>;
  return [e.type, e.productId ?? '', e.time, c.page ?? '', c.list ?? '', c.position ?? '', c.query ?? '', c.widget ?? '', e.dwellMs ?? ''].join('|');
}

/**
 * Compares what was accepted with what was stored, as multisets of {@link eventKey}: `missing` accepted events
 * that are not stored, `duplicated` stored copies beyond the accepted count, `matched` stored once as accepted.
 */
export function compareLedger(accepted: readonly LoggedEvent[], stored: readonly LoggedEvent[]): { missing: number; duplicated: number; matched: number } {
  const want = new Map<string, number>();
  for (const e of accepted) want.set(eventKey(e), (want.get(eventKey(e)) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const e of stored) {
    const k = eventKey(e);
    if (want.has(k)) got.set(k, (got.get(k) ?? 0) + 1);
  }
  let missing = 0;
  let duplicated = 0;
  let matched = 0;
  for (const [k, n] of want) {
    const m = got.get(k) ?? 0;
    missing += Math.max(0, n - m);
    duplicated += Math.max(0, m - n);
    matched += Math.min(n, m);
  }
  return { missing, duplicated, matched };
}

/** Collects `pageerror`s and unhandled rejections of a page (exposed before the page's scripts run). */
export async function watchUnhandled(page: Page): Promise<{ pageErrors: string[]; rejections: string[] }> {
  const out = { pageErrors: [] as string[], rejections: [] as string[] };
  page.on('pageerror', (e) => out.pageErrors.push(String(e)));
  await page.exposeFunction('__lrRejection', (s: string) => out.rejections.push(s));
  await page.addInitScript(() =>
    addEventListener('unhandledrejection', (e) => (window as unknown as { __lrRejection(s: string): void }).__lrRejection(String(e.reason))),
  );
  return out;
}
