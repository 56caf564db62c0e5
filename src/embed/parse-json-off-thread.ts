import { joinCatalogRows } from '../core/catalog-rows';

/**
 * Parses a JSON catalog's bytes in a throwaway worker (`parse-json.worker.ts`) and resolves the parsed value, its
 * rows received in parts, each in a task of its own. Rejects with a `SyntaxError` (`JSON.parse`'s message) for text
 * that is not JSON, and with another error when no worker could parse it — none in this browser, one the page's
 * Content-Security-Policy blocks (`worker-src`), a script that fails to load, or no answer within `timeoutMs`
 * (default 10 s): the caller then parses on the main thread (`loadCatalog`). The bytes are transferred once the
 * worker says it runs (copying ten megabytes into a message was itself a 160 ms main-thread task at 4× CPU
 * throttling), so until then the caller still has them. A worker that fails after it has them (it crashed) leaves
 * nothing to parse: the catalog is then reported unusable.
 */
export function parseJsonOffThread(bytes: ArrayBuffer, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let worker: Worker | undefined;
    let finished = false;
    const rows: unknown[] = [];
    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
      worker?.terminate();
    };
    const noWorker = (): void => {
      if (finished) return;
      finish();
      reject(new Error('no worker parsed the catalog'));
    };
    const timer = setTimeout(noWorker, timeoutMs);
    try {
      worker = new Worker(new URL('./parse-json.worker.ts', import.meta.url), { type: 'module', name: 'localrank-catalog' });
      worker.onmessage = ({ data }: MessageEvent<{ ready?: true; rows?: unknown[]; done?: true; head?: unknown; whole?: unknown; error?: string }>) => {
        clearTimeout(timer);
        if (finished) return;
        if (data.ready) {
          worker!.postMessage(bytes, [bytes]);
        } else if (data.rows) {
          for (const row of data.rows) rows.push(row);
        } else if (data.error !== undefined) {
          finish();
          reject(new SyntaxError(data.error));
        } else if (data.done) {
          finish();
          resolve('whole' in data ? data.whole : joinCatalogRows(data.head, rows));
        }
      };
      worker.onerror = (e) => {
        e.preventDefault(); // a blocked or failed worker is expected here: not an error for the host's console
        noWorker();
      };
      worker.onmessageerror = noWorker;
    } catch {
      noWorker(); // no Worker, or a SecurityError from the page's policy
    }
  });
}
