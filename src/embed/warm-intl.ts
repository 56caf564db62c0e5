/**
 * Starts `warm-intl.worker.ts`, which loads the browser's locale data off the main thread, and resolves once it
 * has (`true`), or `false` when it could not: no `Worker`, a Content-Security-Policy without `worker-src` for
 * LocalRank's files, a failed script, or no answer within `timeoutMs` (default 3 s). Never rejects; the worker is
 * terminated either way. Callers format their first price after it resolves; on `false` they do it in a task of
 * its own, as before. The first script starts it only when the catalog has no URL (inline `products`): otherwise the
 * catalog's worker loads the data (`fetchCatalog`). Started alongside the catalog worker and the runtime chunk's
 * request, with its script delayed 500 ms (`e2e/cold-start.spec.ts` then), its answer came 1.1–2.7 s into the page in
 * 12 runs, and a 2 s timeout missed it once in a clean-clone run of the suite: hence 3 s.
 */
export function warmIntl(timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    let worker: Worker | undefined;
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      worker?.terminate();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    try {
      worker = new Worker(new URL('./warm-intl.worker.ts', import.meta.url), { type: 'module', name: 'localrank-intl' });
      worker.onmessage = (e: MessageEvent<boolean>) => done(e.data === true);
      worker.onerror = (e) => {
        e.preventDefault(); // a blocked or failed worker is expected here: not an error for the host's console
        done(false);
      };
    } catch {
      done(false); // no Worker, or a SecurityError from the page's policy
    }
  });
}
