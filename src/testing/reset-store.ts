import type { Page } from '@playwright/test';
import { settleWidgets } from './settle-widgets.js';
import type { LocalRankWindow } from './when-ready.js';

/** Options of {@link resetStore}. */
export interface ResetStoreOptions {
  /**
   * LocalRank's IndexedDB database (`data-db-name`). Default: the page's `data-db-name` script attribute or
   * `LocalRankConfig.dbName`, else `localrank`.
   */
  readonly dbName?: string;
}

/**
 * Deletes everything LocalRank keeps on this origin, and nothing else: `LocalRank.forgetMe()` (every stored event,
 * counter, setting and the model; carousels return to cold start) — or, when LocalRank is not running on the page,
 * the `<dbName>` IndexedDB database — and the `localrank:<dbName>:` localStorage keys (the shopper's consent and
 * pause choices, the exit journal). The host's own databases and localStorage keys stay.
 *
 * A running LocalRank keeps the consent and pause choices it read at start until the page is reloaded.
 *
 * @param page a Playwright page on the shop's origin (not `about:blank`: it has no storage)
 * @returns the database name that was reset
 */
export async function resetStore(page: Page, options: ResetStoreOptions = {}): Promise<string> {
  const dbName = await page.evaluate(async (given) => {
    const w = window as unknown as LocalRankWindow;
    const fromConfig = (w.LocalRankConfig as { dbName?: unknown } | undefined)?.dbName;
    const dbName =
      given ?? document.querySelector<HTMLScriptElement>('script[data-db-name]')?.dataset.dbName ?? (typeof fromConfig === 'string' ? fromConfig : 'localrank');
    const lr = w.LocalRank;
    const running = lr ? await lr.ready.then(() => true, () => false) : false;
    if (running) await lr!.forgetMe();
    else {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(dbName);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        // Another tab holds it open: the deletion completes when it closes; nothing more to wait for here.
        request.onblocked = () => resolve();
      });
    }
    const prefix = `localrank:${dbName}:`;
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) localStorage.removeItem(key);
    }
    return dbName;
  }, options.dbName);
  // forgetMe() re-renders the carousels (cold start): let them finish.
  await settleWidgets(page);
  return dbName;
}
