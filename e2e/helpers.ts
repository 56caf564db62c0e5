import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** The demo catalog, read from public/ (the same file the preview server serves). */
export interface DemoProduct {
  id: string;
  title: string;
  category: string;
  inStock: boolean;
  popularity: number;
}
export const catalog: DemoProduct[] = JSON.parse(readFileSync(new URL('../public/catalog.json', import.meta.url), 'utf8')).products;
export const categoryOf = new Map(catalog.map((p) => [p.id, p.category]));

/** Collects page errors and console errors, so a test can assert the host page saw none. */
export function watchErrors(page: Page): { pageErrors: string[]; consoleErrors: string[] } {
  const out = { pageErrors: [] as string[], consoleErrors: [] as string[] };
  page.on('pageerror', (e) => out.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') out.consoleErrors.push(m.text());
  });
  return out;
}

/** Waits for `LocalRank.ready` and returns the status. */
export async function waitForReady(page: Page): Promise<Record<string, unknown>> {
  await page.waitForFunction(() => !!window.LocalRank);
  return page.evaluate(() => window.LocalRank!.ready as Promise<unknown> as Promise<Record<string, unknown>>);
}

/** Product ids shown by a LocalRank carousel, in order (Playwright's CSS engine pierces open shadow roots). */
export async function carouselIds(page: Page, widget: string): Promise<string[]> {
  const cards = page.locator(`[data-localrank-widget="${widget}"] [data-testid="lr-card"]`);
  await expect(cards.first()).toBeAttached();
  return cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id') ?? ''));
}

/** Reads the event log straight from IndexedDB (not through LocalRank), after flushing the write queue. */
export async function storedEvents(page: Page, dbName = 'localrank'): Promise<Array<Record<string, any>>> {
  await page.evaluate(() => window.LocalRank?.flush());
  return page.evaluate(
    (name) =>
      new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) {
            db.close();
            resolve([]);
            return;
          }
          const req = db.transaction('events').objectStore('events').getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    dbName,
  );
}

/** Records layout-shift entries from the very start of every page of this tab. */
export async function recordLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: Array<{ value: number; sources: string[] }> };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean; sources?: Array<{ node?: Node }> }>) {
        if (entry.hadRecentInput) continue;
        w.__shifts.push({
          value: entry.value,
          sources: (entry.sources ?? []).map((s) => (s.node instanceof Element ? s.node.outerHTML.slice(0, 80) : String(s.node?.nodeName))),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** Layout shifts recorded so far on the current page. */
export function layoutShifts(page: Page): Promise<Array<{ value: number; sources: string[] }>> {
  return page.evaluate(() => (window as unknown as { __shifts: Array<{ value: number; sources: string[] }> }).__shifts);
}
