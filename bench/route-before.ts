import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { BrowserContext } from '@playwright/test';

/**
 * Serves LocalRank's own files (`localrank.js`, `chunks/`, `assets/`) from `before`, an older build's `dist/`
 * (`LOCALRANK_BENCH_BEFORE`), so one bench run measures the code before and after a change side by side under
 * the same machine load. Files the older build lacks fall through to the current server.
 */
export async function routeBefore(context: BrowserContext, before: string): Promise<void> {
  const root = normalize(before);
  await context.route(/\/(localrank\.js|chunks\/.*|assets\/.*)$/, (route) => {
    const path = normalize(join(root, new URL(route.request().url()).pathname));
    if (!path.startsWith(root) || !existsSync(path)) return route.continue();
    const type = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ contentType: type, body: readFileSync(path) });
  });
}
