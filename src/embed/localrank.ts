/**
 * LocalRank entry script: `<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script>`.
 *
 * This first script stays tiny: it reads the configuration, installs `window.LocalRank`, captures interactions
 * into the IndexedDB log, and lazily imports the runtime chunk (catalog, ranking, Preact widgets).
 * It is the only code that touches `window`/`document` globals. Nothing here throws into the host page.
 */
import { createEmitter } from '../core/create-emitter';
import { ErrorCode, LocalRankError } from '../core/errors';
import type { LocalRankErrorInfo } from '../core/errors';
import { validateInteraction } from '../core/interaction';
import type { Interaction, TrackInput } from '../core/interaction';
import { parseConfig } from '../core/parse-config';
import type { LocalRankConfig } from '../core/parse-config';
import { parsePrivacyChoices, privacyState } from '../core/privacy-state';
import type { PrivacyChoices, PrivacyState } from '../core/privacy-state';
import { createPageId } from '../core/create-page-id';
import { createExitJournal } from '../storage/create-exit-journal';
import { createEventLog } from '../storage/event-log';
import { gateEventLog } from '../storage/gate-event-log';
import type { RerankOptions, Runtime } from '../widget/create-runtime';
import type { LocalRankEvents, RuntimeStatus } from '../widget/runtime-types';
import type { FetchedCatalog } from '../widget/load-catalog';
import { createImpressionObserver } from './create-impression-observer';
import { findOwnScript } from './find-own-script';
import type { LocalRankApi } from './localrank-api';
import { startCapture } from './start-capture';
import { warmIntl } from './warm-intl';

declare global {
  interface Window {
    LocalRank?: LocalRankApi;
    LocalRankConfig?: unknown;
  }
}

const VERSION = '0.1.0';
const MAX_ERRORS = 20;

/**
 * The start's main part: configuration, privacy choices, the event log, the API and the capture listeners, then the
 * catalog, the Intl warm-up and the runtime chunk in tasks of their own. Runs once (see `start`).
 */
function boot(ready: Promise<RuntimeStatus>, resolveReady: (s: RuntimeStatus) => void, rejectReady: (e: unknown) => void): LocalRankApi {
  const errors: LocalRankErrorInfo[] = [];
  let config: LocalRankConfig | undefined;
  const emitter = createEmitter<LocalRankEvents>((error, name) =>
    reportError({ code: ErrorCode.ListenerFailed, message: `A LocalRank.on("${String(name)}") listener threw: ${String(error)}`, recoverable: true }),
  );
  function reportError(info: LocalRankErrorInfo): void {
    errors.push(info);
    if (errors.length > MAX_ERRORS) errors.shift();
    // Misconfiguration must be visible to the shop owner; runtime trouble only in debug mode.
    if (!info.recoverable) console.error(`[localrank] ${info.code}: ${info.message}`);
    else if (config?.debug) console.warn(`[localrank] ${info.code}: ${info.message}`);
    emitter.emit('error', info);
  }

  // getAttribute, not `dataset`: this runs in every track() call, and dataset's named-property lookups cost more.
  const attr = (name: string): string | undefined =>
    document.body?.getAttribute(`data-localrank-${name}`) ?? document.documentElement.getAttribute(`data-localrank-${name}`) ?? undefined;
  const pageType = (): string => config?.pageType ?? attr('page') ?? 'other';
  const pageInfo = (): { page: string; query: string | undefined; productId: string | undefined } => {
    const page = pageType();
    const query = page === 'search' ? new URLSearchParams(location.search).get(config?.searchParam ?? 'q')?.trim() || undefined : undefined;
    return { page, query, productId: attr('page-product') };
  };

  let state: RuntimeStatus['state'] = 'loading';
  let runtime: Runtime | undefined;
  let fatal: LocalRankErrorInfo | undefined;

  const script = findOwnScript(import.meta.url);
  const parsed = parseConfig({ ...(script?.dataset ?? {}) }, window.LocalRankConfig);
  if (parsed.ok) {
    config = parsed.config;
    parsed.warnings.forEach(reportError);
    const others = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]')).filter((s) => s !== script && s.src === import.meta.url);
    if (others.length > 0) {
      reportError({ code: ErrorCode.ConfigDuplicateTag, message: `${others.length} more LocalRank script tag(s) on the page are ignored; only the first one's data-* attributes are used. Remove the others.`, recoverable: true });
    }
  } else {
    fatal = parsed.error;
    state = 'error';
  }

  // The shopper's choices live in localStorage: they must be known synchronously, before the first event, and
  // they are preferences, not behaviour data. Nothing is written there until the shopper (or the shop's consent
  // banner) makes a choice. localStorage can throw (storage disabled, sandboxed frame): then choices last the page.
  const choicesKey = `localrank:${config?.dbName ?? 'localrank'}:privacy`;
  let choices: PrivacyChoices = {};
  try {
    choices = parsePrivacyChoices(localStorage.getItem(choicesKey));
  } catch {
    // no localStorage: defaults
  }
  const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  const privacyOf = (c: PrivacyChoices): PrivacyState => privacyState(config ?? { consent: 'not-required', respectGpc: false }, c, gpc);
  let privacy = privacyOf(choices);

  const pageId = createPageId();
  let local: Storage | undefined;
  try {
    local = localStorage;
  } catch {
    // storage disabled for this document: no exit journal
  }
  const journal = createExitJournal(config?.dbName ?? 'localrank', pageId, local);
  const log = config
    ? gateEventLog(createEventLog({
        dbName: config.dbName,
        flushMs: config.flushMs,
        pageId,
        journal,
        onError: reportError,
        onStored(batch) {
          emitter.emit('stored', { count: batch.length });
          runtime?.afterStore();
        },
      }), () => privacy.storage)
    : undefined;

  const status = (): RuntimeStatus & { errors: readonly LocalRankErrorInfo[] } => ({
    state,
    storage: !privacy.storage ? 'off' : (log?.mode() ?? 'memory'),
    ...(runtime?.info() ?? { ranker: 'none', events: 0, catalog: { products: 0, skipped: 0 }, widgets: 0, rendering: 0 }),
    pendingWrites: log?.pendingCount() ?? 0,
    page: pageInfo().page,
    ...(runtime?.model.status() ?? {
      backend: 'none',
      backendReason: 'not started',
      model: { state: 'none', eventsSeen: 0, trainedAt: undefined, runs: 0 },
    }),
    privacy,
    ...(fatal ? { error: fatal } : {}),
    errors: errors.slice(),
  });

  const track = (input: TrackInput): boolean => {
    // No consent, or paused by the shopper: nothing is logged (not even in memory). Not an error.
    if (!log || !privacy.personalised) return false;
    const result = validateInteraction(input, Date.now(), pageType());
    if (!result.ok) {
      reportError({ code: ErrorCode.TrackInvalid, message: `track() ignored an event: ${result.reason}.`, recoverable: true });
      return false;
    }
    const event: Interaction = result.event;
    log.append(event);
    // Every event waits for the batch window (one transaction per window, nothing per event on the caller's task).
    // A click that navigates away is safe without an immediate write: `pagehide` commits the batch synchronously and
    // keeps it in the exit journal too (see `leave()`).
    emitter.emit('event', event);
    runtime?.observe(event);
    return true;
  };

  /** Deletes the shopper's data. `withdrawn`: consent was just withdrawn, so the data may exist although storage is now off. */
  const forget = async (withdrawn = false): Promise<void> => {
    try {
      if (!privacy.storage && !withdrawn) {
        // Storage is off: LocalRank kept nothing. Delete a leftover database without creating one by opening it.
        if (typeof indexedDB !== 'undefined' && indexedDB) indexedDB.deleteDatabase(config?.dbName ?? 'localrank');
      } else if (runtime) await runtime.forget();
      else await log?.clear();
      emitter.emit('forget', { at: Date.now() });
    } catch (error) {
      reportError({ code: ErrorCode.StorageWrite, message: `forgetMe() could not clear storage (${String(error)}).`, recoverable: true });
    }
  };

  let started = false;
  const startModel = (): void => {
    if (started || !runtime) return;
    started = true;
    runtime.afterFirstRender();
  };

  const choose = async (next: PrivacyChoices): Promise<void> => {
    const before = privacy;
    choices = next;
    privacy = privacyOf(next);
    try {
      localStorage.setItem(choicesKey, JSON.stringify(next));
    } catch {
      // kept for this page only
    }
    // Withdrawn consent deletes what was kept (only if something could have been: never create a database to clear it).
    try {
      if (before.storage && !privacy.storage) await forget(true);
      if (privacy.personalised && runtime) startModel();
      await runtime?.privacyChanged();
    } catch (error) {
      reportError({ code: ErrorCode.WidgetRender, message: `Applying the privacy choice failed (${String(error)}); it applies from the next page.`, recoverable: true });
    }
    emitter.emit('privacy', privacy);
  };

  const api: LocalRankApi = {
    version: VERSION,
    ready,
    track(event) {
      try {
        return track(event);
      } catch (error) {
        reportError({ code: ErrorCode.TrackInvalid, message: `track() failed: ${String(error)}`, recoverable: true });
        return false;
      }
    },
    async rerank<T>(items: readonly T[], options?: RerankOptions): Promise<T[]> {
      if (!Array.isArray(items)) {
        reportError({ code: ErrorCode.RerankInvalid, message: 'rerank(items) needs an array of ids or objects with an id.', recoverable: true });
        return items as unknown as T[];
      }
      try {
        await ready;
        return runtime ? runtime.rerank(items, options) : items.slice();
      } catch (error) {
        if (!(error instanceof LocalRankError)) {
          reportError({ code: ErrorCode.RerankInvalid, message: `rerank() failed (${String(error)}); items kept in their order.`, recoverable: true });
        }
        return items.slice();
      }
    },
    on(name, callback) {
      if (typeof callback !== 'function') return () => {};
      return emitter.on(name, callback);
    },
    status,
    forgetMe: () => forget(),
    async setConsent(granted) {
      if (!config) return;
      await choose({ ...choices, consent: granted === true ? 'granted' : 'denied' });
    },
    async setPaused(paused) {
      if (!config || !privacy.storage) return;
      await choose({ ...choices, paused: paused === true });
    },
    async flush() {
      await log?.flush();
    },
    diagnose: (async (request: unknown = 100) => {
      await ready.catch(() => undefined);
      return runtime?.diagnose(request);
    }) as LocalRankApi['diagnose'],
  };

  if (!config || !log) {
    const error = new LocalRankError(fatal!);
    reportError(fatal!);
    rejectReady(error);
    return api;
  }
  const cfg = config;

  const impressions = createImpressionObserver(0.5, cfg.impressionMs);
  // Leaving or hidden: write what is queued and keep what is not yet committed in the exit journal (auto-capture does
  // it after logging the dwell segment on the way out). A page restored from the back/forward cache turns visible
  // again: `resume`.
  const leave = (): void => log.leave();
  const resume = (): void => log.resume();
  if (cfg.autoCapture) {
    startCapture({ doc: document, impressions, page: pageInfo, searchParam: cfg.searchParam, track, leave, resume });
  } else {
    addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? leave() : resume()));
  }
  // Another tab saved a journal entry: adopt it once that page has had its chance to commit.
  addEventListener('storage', (e: Event) => {
    const event = e as StorageEvent;
    if (event.key?.startsWith(journal.prefix) && event.newValue) setTimeout(() => void runtime?.adoptLeftovers(), 1000);
  });

  // The catalog and the lazy chunks are requested in tasks of their own: with them, the module's first task
  // (compiling and running this script, reading the tag, the capture listeners) was a long task at 4× CPU throttling.
  const later = (fn: () => void): void =>
    void setTimeout(() => {
      try {
        fn();
      } catch (error) {
        console.error('[localrank] failed to start', error);
        rejectReady(error);
      }
    }, 0);
  // The catalog's fetch starts in a task of its own too: with the two imports it took 50–64 ms at 4× throttling on a
  // slow day (the fetch call alone 12–37 ms in a CPU profile). A worker fetches it (`fetchCatalog`): with a large
  // catalog, reading the body on the page was itself a long task.
  // The page's first Intl call loads locale data (30–90 ms): the catalog's worker pays it once it has sent the catalog,
  // while the page reads it (`fetchCatalog`). Without a catalog URL, a throwaway worker of its own does (`warmIntl`),
  // started from this script, not from a chunk: a worker's script is fetched off the main thread, a chunk's is not.
  let fetched: Promise<FetchedCatalog> | undefined;
  let intlReady: Promise<boolean> | undefined;
  later(() => {
    if (cfg.products || !cfg.catalog) {
      intlReady = warmIntl();
      return;
    }
    let intl!: (loaded: boolean) => void;
    intlReady = new Promise((resolve) => (intl = resolve));
    // Read in the lazy chunk: data-catalog may be JSON or a Merchant Center TSV/XML feed. A URL that cannot be
    // resolved rejects like a failed fetch (LR_CATALOG_FETCH from the runtime). The worker validates a JSON catalog
    // too, unless the page's own products are to be merged into its rows first (data-page-catalog).
    fetched = Promise.resolve()
      .then(() => new URL(cfg.catalog!, document.baseURI).href)
      .then((url) => import('./fetch-catalog').then(({ fetchCatalog }) => fetchCatalog(url, { check: !cfg.pageCatalog, onIntl: intl })));
    // The worker's word on Intl comes after the catalog: 3 s more at most (as `warmIntl`), then the first price goes on.
    // A failed catalog (the runtime reports it) has no word to wait for.
    fetched.then(() => void setTimeout(() => intl(false), 3000), () => intl(false));
  });
  // The runtime is one import (see `startRuntime`), in a task of its own like each of the above.
  later(() => {
    const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
    const locale = cfg.locale ?? (document.documentElement.lang || navigator.language || 'en');

    import('./start-runtime')
      .then(({ startRuntime }) =>
        startRuntime(
          { source: cfg.products ?? fetched, pageCatalog: cfg.pageCatalog, doc: document, log, now: Date.now },
          {
            // The worker has no document: hand it an absolute base-model URL.
            config: { ...cfg, model: cfg.model ? new URL(cfg.model, document.baseURI).href : undefined },
            log,
            journal,
            intlReady,
            locale,
            page: pageInfo().page,
            emitError: reportError,
            emitRank: (e) => emitter.emit('rank', e),
            track: (input) => void track(input),
            observeImpression: (element, productId, list, position, widget) =>
              impressions.observe(element, () =>
                track({ type: 'impression', productId, context: { page: pageInfo().page, list, position, widget } }),
              ),
            reducedMotion: () => reducedMotion.matches,
            now: () => Date.now(),
            emitTrain: (p) => emitter.emit('train', p),
            privacy: () => privacy,
            setPaused: (paused) => api.setPaused(paused),
            forget: () => forget(),
          },
        ),
      )
      .then(async (rt) => {
        runtime = rt;
        // Mounting in a task of its own: the runtime resolves in a promise reaction after its last IndexedDB read,
        // and the two were one 27–46 ms task at 4× CPU throttling.
        await new Promise((resume) => setTimeout(resume, 0));
        rt.mountAll(document, () => pageInfo().productId);
        state = 'ready';
        // tfjs and the worker (which opens the database) start only when personalisation is allowed.
        if (privacy.personalised) startModel();
        const s = status();
        resolveReady(s);
        emitter.emit('ready', s);
      })
      .catch((error: unknown) => {
        state = 'error';
        const info: LocalRankErrorInfo = {
          code: ErrorCode.RuntimeLoad,
          message: `The LocalRank runtime could not start (${String(error)}); interactions are still logged.`,
          recoverable: true,
        };
        reportError(info);
        rejectReady(new LocalRankError(info));
      });
  });
  return api;
}

/**
 * The module's own task only installs `window.LocalRank` and schedules `boot` for the next task: at 4× CPU throttling
 * the whole start in the module task was one of LocalRank's long scripts at load. Nothing waits for that task: a call
 * of the API boots at once, and so does a click or a submit, in a capturing listener on `window` that runs before the
 * capture listeners `boot` adds to the document (a target's listeners are read when the event reaches it). Before
 * `boot` nothing is logged, so a page left earlier has nothing to save.
 */
function start(): void {
  if (window.LocalRank) return; // a second copy of the script on the page: the first one serves.

  let resolveReady!: (s: RuntimeStatus) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<RuntimeStatus>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {}); // pre-handled: an unobserved rejection must not reach the host's unhandledrejection.

  let api: LocalRankApi | undefined;
  const booted = (): LocalRankApi => {
    if (!api) {
      removeEventListener('click', early, true);
      removeEventListener('submit', early, true);
      try {
        api = boot(ready, resolveReady, rejectReady);
      } catch (error) {
        // Last line of defence: the host page must never see an exception from LocalRank.
        console.error('[localrank] failed to start', error);
        rejectReady(error);
        const none = async (): Promise<undefined> => undefined;
        api = {
          version: VERSION,
          ready,
          track: () => false,
          rerank: async (items) => (Array.isArray(items) ? items.slice() : (items as never)),
          on: () => () => {},
          status: () => ({ state: 'error', errors: [] }) as unknown as ReturnType<LocalRankApi['status']>,
          forgetMe: none,
          setConsent: none,
          setPaused: none,
          flush: none,
          diagnose: none,
        };
      }
    }
    return api;
  };
  const early = (): void => void booted();
  const facade: LocalRankApi = {
    version: VERSION,
    ready,
    track: (event) => booted().track(event),
    rerank: (items, options) => booted().rerank(items, options),
    on: (name, callback) => booted().on(name, callback),
    status: () => booted().status(),
    forgetMe: () => booted().forgetMe(),
    setConsent: (granted) => booted().setConsent(granted),
    setPaused: (paused) => booted().setPaused(paused),
    flush: () => booted().flush(),
    diagnose: ((request?: never) => booted().diagnose(request)) as LocalRankApi['diagnose'],
  };
  try {
    Object.defineProperty(window, 'LocalRank', { value: Object.freeze(facade), configurable: true, enumerable: true, writable: false });
  } catch {
    window.LocalRank = facade;
  }
  addEventListener('click', early, true);
  addEventListener('submit', early, true);
  setTimeout(early, 0);
}

try {
  start();
} catch (error) {
  console.error('[localrank] failed to start', error);
}
