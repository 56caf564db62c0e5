import { render } from 'preact';
import type { Counter } from '../core/counter';
import { foldEvents } from '../core/counter';
import { EMPTY_PROFILE } from '../core/build-profile';
import { createProfileBuilder } from '../core/create-profile-builder';
import type { UserProfile } from '../core/build-profile';
import { createHeuristicRanker } from '../core/create-heuristic-ranker';
import { fillTemplate } from '../core/default-strings';
import { ErrorCode } from '../core/errors';
import { formatPrice } from '../core/format-price';
import type { FeatureBatch } from '../core/featurize';
import type { Interaction } from '../core/interaction';
import { createCatalogParser, parseCatalog } from '../core/parse-catalog';
import type { CatalogParser } from '../core/parse-catalog';
import { resolveStrings } from '../core/resolve-strings';
import type { Product } from '../core/product';
import type { Explanation, RankRequest, RankedItem, Ranker } from '../core/ranker';
import { summariseData } from '../core/summarise-data';
import { Carousel } from '../ui/carousel';
import type { DataPanelInfo, DataPanelProps } from '../ui/data-panel-props';
import type { CarouselItem, CarouselLabels, CarouselProps } from '../ui/carousel-props';
import { carouselStyles } from '../ui/carousel-styles';
import { connectModel } from './connect-model';
import type { DebugFeed } from './debug-feed';
import type { ModelController } from './connect-model';
import { adoptLeftovers } from '../storage/adopt-leftovers';
import { afterNextFrame, clock, nextTask, runInSlices, SLICE_BUDGET_MS } from './after-next-frame';
import { compactEvents } from '../storage/compact-events';
import { explanationText } from './explanation-text';
import { mountWidgets } from './mount-widgets';
import { LIST_SELECTOR } from './list-selector';
import { holdoutGroup } from '../core/holdout-group';
import type { HoldoutGroup } from '../core/holdout-group';
import type { MountRequest, RuntimeDeps, RuntimeStatus } from './runtime-types';

/** Options of `rerank()` (`LocalRank.rerank` and the runtime's). */
export interface RerankOptions {
  /** Name of the host list, reported in the `rank` event (default `rerank`). */
  readonly list?: string;
  /** Max consecutive items of one category (default 0: keep the host's relevance order as much as possible). */
  readonly maxSameCategory?: number;
}

/** The lazily loaded part of LocalRank: catalog, profile, ranking and widgets. */
export interface Runtime {
  /** Renders a carousel into the host element's shadow root; returns an unmount function. */
  mount(request: MountRequest): () => void;
  /** Stores events another page left in the exit journal (called when another tab saves an entry). */
  adoptLeftovers(): Promise<void>;
  /** QA and benchmark probes behind `LocalRank.diagnose()` (see its overloads in `localrank-api.ts`). */
  diagnose(request: unknown): Promise<unknown>;
  /** Mounts every `[data-localrank-widget]` of the document, now and as the host adds them (see {@link mountWidgets}). */
  mountAll(doc: Document, pageProduct: () => string | undefined): () => void;
  /** Tells the runtime about a newly accepted interaction (updates the profile and the widgets). */
  observe(event: Interaction): void;
  /** Called after a batch was stored: compacts the log when it is over the cap. */
  afterStore(): void;
  /** Orders host items (ids or objects with an `id`) for the shopper; returns the same items. */
  rerank<T>(items: readonly T[], options?: RerankOptions): T[];
  /** Forgets everything stored and returns the widgets to cold start. */
  forget(): Promise<void>;
  /** Consent or pause changed: re-reads the log if storage was just allowed, and re-renders the widgets. */
  privacyChanged(): Promise<void>;
  /** The on-device model (status, diagnostics); its work starts with {@link Runtime.afterFirstRender}. */
  readonly model: ModelController;
  /** Called once the widgets have rendered: only then may tfjs load (in the training worker). */
  afterFirstRender(): void;
  /** The runtime's part of `LocalRank.status()`. */
  info(): Pick<RuntimeStatus, 'ranker' | 'events' | 'catalog' | 'widgets' | 'rendering' | 'group'>;
}

const REFRESH_MS = 150;
/** A widget's first rendering builds this many cards in its first step (see `paintSlice`). */
const FIRST_CARDS = 0;
/**
 * Main-thread time a step of a first rendering aims at (ms): the steps are a frame apart (see `paintSlice`). It was
 * 20 ms, with four cards at most: in job logs of 8 demo loads at 4× CPU throttling such steps took 5–7 ms at the
 * median and up to 55 ms (the main thread of this 2-core machine is slowed unevenly while workers and the GPU process
 * run), and render-queue tasks over 40 ms came in 4 of 30 loads against 1 of 30 with 10 ms and two cards
 * (`.prof/load-frames.ts`, interleaved with the older build).
 */
const PAINT_BUDGET_MS = 10;
/**
 * Cards a step adds at most, whatever the previous step's timing promised: a step estimated from one cheap card
 * built the nine left in one go, 98 ms at 4× CPU throttling while the worker trained (an instrumented build; capped
 * at four, the longest paint step in three such runs was 39 ms). Two since the step aims at 10 ms (above).
 */
const MAX_STEP_CARDS = 2;
/**
 * Parts a For you ranking is prepared in at most, besides one per 100 products (see `Ranker.prepare`): the
 * heuristic's candidates, scores (150 products a part), order and explanations (50 a part), then the model's pool and
 * the slices of its scores (400 rows are 20 parts). A render step runs parts until it has used `SLICE_BUDGET_MS`; the
 * count bounds the work whatever a ranker answers, and `rank()` finishes what is left.
 */
const MAX_PREPARE_PARTS = 32;
/** Impressions are announced as DOM events in batches, at most this long after they were tracked. */
const ANNOUNCE_MS = 50;
/** Products added to the runtime's id maps between two looks at the clock (see `runInSlices`). */
const MAP_STEP = 1000;
/** Catalog rows validated between two looks at the clock (see `runInSlices`). */
const CATALOG_STEP = 25;

let sharedSheet: CSSStyleSheet | undefined;

function attachStyles(root: ShadowRoot): void {
  // Constructable stylesheets are not subject to CSP style-src, unlike <style> elements.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(carouselStyles);
    }
    root.adoptedStyleSheets = [sharedSheet];
    return;
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = carouselStyles;
  root.prepend(style);
}

function humanise(category: string): string {
  const t = category.replace(/[-_]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function idOf(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' && Number.isFinite(item)) return String(item);
  if (typeof item === 'object' && item !== null) {
    const id = (item as { id?: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return undefined;
}

/**
 * Creates the runtime: validates the catalog, reads the stored log, builds the profile and serves widgets and
 * `rerank()`. Never throws: catalog and storage trouble are reported through `deps.emitError`.
 */
export async function createRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const { config, log } = deps;
  const halfLifeMs = config.halfLifeDays * 86_400_000;
  const { strings, problems } = resolveStrings(config.strings);
  if (problems.length > 0) {
    deps.emitError({ code: ErrorCode.ConfigStrings, message: `LocalRankConfig.strings: ${problems.slice(0, 5).join('; ')}. Those entries are ignored (English defaults).`, recoverable: true });
  }
  const carouselLabels: CarouselLabels = { ...strings.carousel, slide: (index, count) => fillTemplate(strings.carousel.slide, { index, count }) };
  const explain = (reason: Explanation): string =>
    explanationText({ ...reason, subject: reason.kind === 'popular-in' || reason.kind === 'trending' ? humanise(reason.subject ?? '') : reason.subject }, strings.explanations);
  /** Rankings and training for the debug overlay; only exists when the overlay is on (see `mountAll`). */
  let debug: DebugFeed | undefined;
  const recordRank = (list: string, ranker: string, items: RankedItem[]): void => {
    if (!debug) return;
    debug.ranks.set(list, { ranker, items, at: deps.now() });
    debug.changed();
  };

  /**
   * DOM CustomEvents the shop's own analytics can listen to (`localrank:impression`, `localrank:click`,
   * `localrank:rank`): dispatched in the page, on the widget or list element (bubbling, composed) or the document,
   * never sent anywhere. A listener's exception is the browser's to report, not LocalRank's.
   */
  let doc: Document | undefined;
  const announce = (target: EventTarget | undefined, name: 'impression' | 'click' | 'rank', detail: Record<string, unknown>): void => {
    const on = target ?? doc;
    if (!on || typeof CustomEvent !== 'function') return;
    on.dispatchEvent(new CustomEvent(`localrank:${name}`, { bubbles: true, composed: true, detail: { ...detail, group: groupNow() } }));
  };

  let products: readonly Product[] = [];
  let skipped = 0;
  try {
    // A large catalog is validated a few rows at a time in slices of a few ms (one long task at 4× CPU throttling).
    const source = await deps.catalog;
    let parser: CatalogParser | undefined;
    await runInSlices(() => (parser ??= createCatalogParser(source)).step(CATALOG_STEP));
    const parsed = parser!.result();
    if (parsed.fatal) {
      deps.emitError({ code: ErrorCode.CatalogInvalid, message: `The catalog is unusable: ${parsed.fatal}.`, recoverable: true });
    } else if (parsed.skipped > 0) {
      deps.emitError({
        code: ErrorCode.CatalogRows,
        message: `${parsed.skipped} catalog rows were skipped: ${parsed.problems.slice(0, 5).join('; ')}.`,
        recoverable: true,
      });
    }
    products = parsed.products;
    skipped = parsed.skipped;
  } catch (error) {
    deps.emitError({
      // A body that is not JSON (a truncated file, an HTML error page) was fetched fine: it is an invalid catalog.
      code: error instanceof SyntaxError ? ErrorCode.CatalogInvalid : ErrorCode.CatalogFetch,
      message: `The catalog could not be loaded (${error instanceof Error ? error.message : String(error)}). Check data-catalog.`,
      recoverable: true,
    });
  }
  // The first Intl.NumberFormat of a page loads locale data (30–90 ms): the embed layer's worker loads it off the main
  // thread; when it could not, the first format runs in a task of its own, not in the first render.
  if (!(await (deps.intlReady ?? false))) await nextTask();
  formatPrice(1, products[0]?.currency ?? config.currency, deps.locale);
  const byId = new Map<string, Product>();
  /** Each id's position in `products`, and per position the last `rerank()` call that met it and where (see `rerankFor`). */
  const positionOf = new Map<string, number>();
  // In slices too: both maps of 50,000 products at once were an 82 ms task at 4× CPU throttling (a CPU profile). One
  // map after the other, so that their largest growths (rehashing 32,768 entries) fall in different steps.
  let mapped = 0;
  await runInSlices(() => {
    const end = Math.min(2 * products.length, mapped + MAP_STEP);
    for (; mapped < end; mapped++) {
      if (mapped < products.length) byId.set(products[mapped]!.id, products[mapped]!);
      else positionOf.set(products[mapped - products.length]!.id, mapped - products.length);
    }
    return mapped >= 2 * products.length;
  });
  const metIn = new Int32Array(products.length);
  const metAt = new Int32Array(products.length);
  let rerankCalls = 0;
  const categoryOf = (id: string): string | undefined => byId.get(id)?.category;

  let events: Interaction[] = [];
  let counters: readonly Counter[] = [];
  const load = async (): Promise<void> => {
    const state = await log.read();
    events = state.events.slice();
    counters = state.counters;
  };
  /** Stores what other pages left in the exit journal; true when something new was stored. */
  const adopt = async (): Promise<boolean> => {
    const database = deps.journal ? await log.database() : undefined;
    return database ? (await adoptLeftovers(database, deps.journal!, deps.emitError)).length > 0 : false;
  };
  // The previous page's last events (often the click that led here) count from the first render.
  await adopt();
  await load();

  const heuristic = createHeuristicRanker();
  let ranker: Ranker = heuristic;
  let profile: UserProfile = EMPTY_PROFILE;
  let profileDirty = true;
  // From the events added since the last build (the log only grows between reads of the store).
  const buildFrom = createProfileBuilder(byId, halfLifeMs);
  const currentProfile = (): UserProfile => {
    if (!deps.privacy().personalised) return EMPTY_PROFILE;
    if (profileDirty) {
      profile = buildFrom(events, counters, deps.now());
      profileDirty = false;
    }
    return profile;
  };

  /**
   * The browser's arm of the local A/B holdout (`holdout` config): its draw is made once and kept in localStorage,
   * under a key "Clear my data" leaves alone (it says nothing about the shopper; a new draw would switch arms). It is
   * only read or written once the shopper's data may be stored.
   */
  let group: HoldoutGroup | undefined;
  const currentGroup = (): HoldoutGroup => {
    if (group) return group;
    let draw: number | undefined;
    const storage = deps.journal?.storage;
    if (config.holdout > 0 && config.holdout < 1 && storage && deps.privacy().storage) {
      const key = `localrank-holdout:${config.dbName}`;
      try {
        const kept = Number(storage.getItem(key) ?? Number.NaN);
        draw = kept >= 0 && kept < 1 ? kept : Math.random();
        if (draw !== kept) storage.setItem(key, String(draw));
      } catch {
        draw = undefined; // storage refused: personalised, and no arm is kept
      }
    }
    return (group = holdoutGroup(config.holdout, draw));
  };
  /** The arm to report (status, events): the browser's own once its data may be stored, `personalised` before. */
  const groupNow = (): HoldoutGroup => (config.holdout > 0 && deps.privacy().storage ? currentGroup() : 'personalised');

  /** Paused or no consent: no model either (it was trained on the shopper's behaviour). The holdout arm gets the heuristic baseline everywhere. */
  const heuristicOnly = (): boolean => !deps.privacy().personalised || (ranker !== heuristic && currentGroup() === 'holdout');

  const rankSafely = (request: Parameters<Ranker['rank']>[0]): { items: RankedItem[]; by: string } => {
    if (heuristicOnly()) return { items: heuristic.rank(request), by: heuristic.name };
    try {
      return { items: ranker.rank(request), by: ranker.name };
    } catch (error) {
      if (ranker === heuristic) throw error;
      deps.emitError({ code: ErrorCode.WidgetRender, message: `Ranker "${ranker.name}" failed (${String(error)}); using the heuristic.`, recoverable: true });
      return { items: heuristic.rank(request), by: heuristic.name };
    }
  };

  /** What Trending last left out and what for (see `forYouShown`). */
  let trendingExclude: { readonly key: string; readonly ids: ReadonlySet<string> | undefined } | undefined;
  /**
   * Trending next to For you on one page would repeat the same popular items at cold start: trending leaves out
   * what a mounted For you carousel shows (For you widgets are always rendered first, see `forYouFirst`), unless
   * fewer than `limit` products would be left. The ids go with the request (`exclude`) rather than as a filtered copy
   * of the catalog: copying 50,000 products was most of a 51–75 ms task at 4× CPU throttling (CPU profiles).
   */
  const forYouShown = (limit: number): ReadonlySet<string> | undefined => {
    // The same set while For you shows the same products: a ranking prepared for it is then used (see `prepare`).
    const key = `${limit}|${[...mounted].flatMap((m) => (m.request.type === 'for-you' ? [m.lastIds] : [])).join('|')}`;
    if (trendingExclude?.key === key) return trendingExclude.ids;
    const shown = new Set<string>();
    for (const m of mounted) if (m.request.type === 'for-you') for (const id of m.lastIds.split(',')) if (positionOf.has(id)) shown.add(id);
    const ids = shown.size > 0 && products.length - shown.size >= limit ? shown : undefined;
    trendingExclude = { key, ids };
    return ids;
  };

  const dataPanelInfo = async (): Promise<DataPanelInfo> => {
    const privacy = deps.privacy();
    const stored = privacy.storage ? await log.read() : { events: [], counters: [] };
    const summary = summariseData(stored.events, stored.counters, (id) => byId.get(id)?.title);
    const m = model.status().model;
    const date = (t: number | undefined): string => (t ? new Date(t).toLocaleDateString(deps.locale, { dateStyle: 'medium' }) : '');
    const labels = strings.dataPanel;
    const modelText =
      m.state === 'ready' && m.source !== 'base' && m.eventsSeen > 0
        ? fillTemplate(labels.modelTrained, { count: m.eventsSeen, date: date(m.trainedAt) })
        : m.state === 'ready'
          ? labels.modelBase
          : labels.modelNone;
    const notice =
      privacy.consent === 'pending'
        ? labels.noticePending
        : privacy.deniedByGpc
          ? labels.noticeGpc
          : privacy.consent === 'denied'
            ? labels.noticeDenied
            : privacy.paused
              ? labels.noticePaused
              : undefined;
    return {
      counts: (Object.keys(strings.events) as (keyof typeof strings.events)[])
        .filter((type) => summary.counts[type] > 0)
        .map((type) => ({ type, label: strings.events[type], value: summary.counts[type] })),
      recent: summary.recent.map((r) => r.title),
      model: modelText,
      notice,
      paused: privacy.paused,
      canPause: privacy.consent === 'granted',
    };
  };
  const dataPanel: DataPanelProps = {
    labels: strings.dataPanel,
    load: dataPanelInfo,
    onPause: (paused) => deps.setPaused(paused),
    onClear: () => deps.forget(),
  };

  interface Mounted {
    readonly request: MountRequest;
    readonly root: ShadowRoot;
    /**
     * What Preact renders into (`display: contents`, so it adds no box): a widget's first rendering is built in it,
     * detached, over several frames (see `paintSlice`), and it joins the shadow root complete. A re-rendering with
     * other cards or another order is built the same way in a new shell, which then takes the old one's place.
     */
    shell: HTMLElement;
    frozen: boolean;
    stale: boolean;
    lastIds: string;
    /** Products this widget has logged an impression of on this page: a card built anew for one is not logged again. */
    readonly impressed: Set<string>;
    /** What its shell shows (see `viewKey`): a ranking that changes nothing is not painted again. */
    painted?: string;
    /** The ranker of its last ranking. */
    by?: string;
  }
  const mounted = new Set<Mounted>();

  interface WidgetView {
    readonly items: CarouselItem[];
    readonly state: CarouselProps['state'];
  }

  /** Reports a widget that could not be ranked or rendered (it keeps what it showed). */
  const renderFailed = (m: Mounted, error: unknown): void =>
    deps.emitError({ code: ErrorCode.WidgetRender, message: `The ${m.request.type} widget could not render (${String(error)}).`, recoverable: true });

  /** Ranks a widget's items (reports a `rank` event when they changed); `undefined` when ranking failed (reported). */
  /** What a widget asks its ranker for. */
  const widgetRequest = (m: Mounted): RankRequest => {
    const { request } = m;
    const profile = currentProfile();
    return {
      mode: request.type,
      // Recently viewed looks only at the viewed products: scanning 50,000 candidates for them was most of a 62–116 ms
      // render step at 4× CPU throttling (CPU profiles).
      candidates: request.type === 'recently-viewed' ? profile.recentlyViewed.flatMap((id) => byId.get(id) ?? []) : products,
      exclude: request.type === 'trending' ? forYouShown(request.limit ?? config.limit) : undefined,
      profile,
      now: deps.now(),
      anchor: request.productId ? byId.get(request.productId) : undefined,
      limit: request.limit ?? config.limit,
      maxSameCategory: config.maxSameCategory,
    };
  };

  const computeWidget = (m: Mounted): WidgetView | undefined => {
    const type = m.request.type;
    try {
      const request = widgetRequest(m);
      if (products.length === 0 || (type === 'similar' && !request.anchor)) return { items: [], state: 'empty' };
      const { items: ranked, by } = rankSafely(request);
      recordRank(type, by, ranked);
      m.by = by;
      const items = ranked.map(({ product, reason }) => ({
        id: product.id,
        title: product.title,
        price: formatPrice(product.price, product.currency ?? config.currency, deps.locale),
        image: product.image,
        href: product.url,
        reason: explain(reason),
      }));
      const ids = items.map((i) => i.id).join(',');
      if (ids !== m.lastIds) {
        m.lastIds = ids;
        deps.emitRank({ list: type, ranker: by, ids: items.map((i) => i.id) });
        announce(m.request.element, 'rank', { list: type, widget: type, ranker: by, ids: items.map((i) => i.id) });
      }
      return { items, state: items.length > 0 ? 'ready' : 'empty' };
    } catch (error) {
      renderFailed(m, error);
      return undefined;
    }
  };

  /**
   * `ranker.prepare(work)`, never throwing: the ranking that follows meets the same trouble and reports it (and falls
   * back to the heuristic). True while the ranker has parts left (see `Ranker.prepare`).
   */
  const prepareQuietly = (target: Ranker, work: Parameters<NonNullable<Ranker['prepare']>>[0]): boolean => {
    try {
      return target.prepare?.(work) === true;
    } catch {
      return false;
    }
  };

  /** Renders ranked items into the widget's shell, and puts the shell in the shadow root (if not yet there). */
  const paintWidget = (m: Mounted, view: WidgetView): void => {
    try {
      renderInto(m, view);
      if (m.shell.parentNode !== m.root) m.root.append(m.shell);
      m.painted = viewKey(view);
      m.stale = false;
    } catch (error) {
      renderFailed(m, error);
    }
  };

  /** Renders the carousel of `view` into the widget's shell, or `into` (throws what rendering throws). */
  const renderInto = (m: Mounted, view: WidgetView, into: HTMLElement = m.shell, count?: number): void => {
    const type = m.request.type;
    render(
      <Carousel
        widgetType={type}
        heading={m.request.heading ?? strings.headings[type]}
        items={view.items}
        count={count}
        state={view.state}
        emptyText={strings.empty[type]}
        labels={carouselLabels}
        reducedMotion={deps.reducedMotion()}
        onItemSelect={(id, index) => deps.track({ type: 'click', productId: id, context: { list: type, position: index, widget: type } })}
        observeItem={(element, id, index) => (m.impressed.has(id) ? () => {} : deps.observeImpression(element, id, type, index, type))}
        dataPanel={dataPanel}
      />,
      into,
    );
  };

  /** Everything a view shows, as one string: equal keys paint the same carousel. */
  const viewKey = (view: WidgetView): string => `${view.state}\n${view.items.map((i) => `${i.id}\t${i.title}\t${i.price ?? ''}\t${i.reason ?? ''}`).join('\n')}`;

  /** A detached `display: contents` shell for a widget's rendering. */
  const newShell = (root: ShadowRoot): HTMLElement => {
    const shell = root.ownerDocument.createElement('div');
    shell.style.display = 'contents';
    return shell;
  };

  /** Drops a re-rendering that was being built and will not be shown (unmounts its cards: their observers stop). */
  const dropBuild = (q: Queued): void => {
    if (q.into) render(null, q.into);
    delete q.into;
  };

  /**
   * One step of a queued widget's painting; `true` when the widget shows the view. A first rendering, creating
   * every card (the longest step at load, over 100 ms at 4× CPU throttling), is built in the detached shell a few
   * cards per frame, as many as fit in {@link PAINT_BUDGET_MS} judging by the previous step, and joins the page
   * complete: the shopper and the host never see a partial carousel. A widget in the page whose cards or order
   * change is built the same way in a new shell (`q.into`) that then replaces the old one; one whose cards stay
   * (new reasons or prices) is patched at once.
   */
  const paintSlice = (m: Mounted, q: Queued): boolean => {
    const view = q.view!;
    const shown = q.shown ?? 0;
    const per = q.per ?? FIRST_CARDS;
    if (q.into && shown + per >= view.items.length) {
      // The new shell is complete: it takes the old one's place in one DOM operation; the old cards are unmounted
      // in a later task.
      const into = q.into;
      delete q.into;
      try {
        renderInto(m, view, into);
        const old = m.shell;
        const scrolled = old.querySelector('[data-testid="lr-track"]')?.scrollLeft ?? 0;
        if (old.parentNode === m.root) m.root.replaceChild(into, old);
        else m.root.append(into);
        m.shell = into;
        m.painted = viewKey(view);
        // Where the shopper had scrolled the old cards to, the new ones are too.
        const track = into.querySelector('[data-testid="lr-track"]');
        if (track && scrolled) track.scrollLeft = scrolled;
        m.stale = false;
        afterNextFrame(() => render(null, old));
      } catch (error) {
        render(null, into);
        renderFailed(m, error);
      }
      return true;
    }
    if (!q.into && (m.shell.parentNode === m.root || shown + per >= view.items.length)) {
      paintWidget(m, view);
      return true;
    }
    const t0 = clock();
    try {
      renderInto(m, { ...view, items: view.items.slice(0, shown + per) }, q.into, view.items.length);
    } catch (error) {
      if (q.into) dropBuild(q);
      renderFailed(m, error);
      return true;
    }
    // The first step renders no card: the carousel's frame alone (on a page's first widget that step also pays for
    // running Preact's and the carousel's code for the first time); the second a single card, to time one.
    const spent = clock() - t0;
    q.shown = shown + per;
    q.per = per === 0 ? 1 : Math.min(MAX_STEP_CARDS, Math.max(1, Math.floor(PAINT_BUDGET_MS / Math.max(spent / per, 0.1))));
    return false;
  };

  const renderWidget = (m: Mounted): void => {
    const view = computeWidget(m);
    if (view) paintWidget(m, view);
  };

  /** Mounted widgets with For you first: trending depends on what For you shows. */
  const forYouFirst = (): Mounted[] => [...mounted].sort((a, b) => Number(b.request.type === 'for-you') - Number(a.request.type === 'for-you'));

  /**
   * The one render queue, for newly mounted widgets and for refreshes after an action: one step per task, and a
   * widget's ranking and its rendering are two steps (ranking and rendering every widget in the task that mounts
   * them, or after a click, were long main-thread tasks: the benchmark's long frames at load and while training).
   * For you goes first; when its items change, trending (which leaves them out) is queued again.
   */
  interface Queued {
    readonly m: Mounted;
    view?: WidgetView;
    /** A first rendering in progress: cards built so far, and how many to add next (see `paintSlice`). */
    shown?: number;
    per?: number;
    /** A re-rendering built apart, in a new detached shell (see `step`). */
    into?: HTMLElement;
    /** The ranker has prepared this For you ranking, in `parts` calls (see `Ranker.prepare`). */
    pooled?: boolean;
    parts?: number;
  }
  const queue: Queued[] = [];
  let stepping = false;
  /** The most `prepare` parts one queued ranking takes (see `MAX_PREPARE_PARTS`). */
  const mostParts = (): number => MAX_PREPARE_PARTS + Math.ceil(products.length / 100);
  /**
   * Whether the queued ranking of `m` still has parts to prepare. Once it is prepared, one more `prepare` call asks
   * whether the ranking it would compute now is still the one prepared: the shopper's profile is rebuilt after any
   * event (a tile seen for a second is one), and `rank()` redoes a ranking prepared for an older profile all at
   * once, which was a 90–101 ms render step with 50,000 products at 4× CPU throttling (job logs of the runtime's
   * queue). Then it is prepared again in parts, within the same bound on parts.
   */
  const preparing = (m: Mounted, q: Queued): boolean => {
    const target = heuristicOnly() ? heuristic : ranker;
    if (m.request.type === 'recently-viewed' || !target.prepare) return false;
    if (!q.pooled) return true;
    if ((q.parts ?? 0) >= mostParts() || !prepareQuietly(target, { request: widgetRequest(m) })) return false;
    q.pooled = false;
    q.parts = (q.parts ?? 0) + 1;
    return true;
  };
  const step = (): void => {
    stepping = false;
    const next = queue[0];
    if (!next) return;
    const { m } = next;
    if (!mounted.has(m)) {
      dropBuild(next);
      queue.shift();
    } else if (m.frozen) {
      // Never reorder a carousel under the shopper's pointer or focus; update it when they leave.
      m.stale = true;
      dropBuild(next);
      queue.shift();
    } else if (next.view) {
      if (paintSlice(m, next)) queue.shift();
    } else if (preparing(m, next)) {
      // For you, Trending and Similar are prepared in parts (see `Ranker.prepare`): the heuristic's scores of the
      // catalog and their order, and for For you with a model, its pool and slices of the model's scores. Ranked in
      // one step, For you was the longest main-thread task at page load and after an action at 4× CPU throttling
      // (21–88 ms for the heuristic alone), and Trending 119–196 ms with a 50,000-product catalog.
      // Parts until the step has used its budget: a fixed 100 model rows per step was 35–46 ms while the worker
      // trained (cold item features and projections: a new model had just arrived).
      const target = heuristicOnly() ? heuristic : ranker;
      const until = clock() + SLICE_BUDGET_MS;
      let more: boolean;
      do {
        more = prepareQuietly(target, { request: widgetRequest(m) });
        next.parts = (next.parts ?? 0) + 1;
      } while (more && next.parts < mostParts() && clock() < until);
      if (!more || next.parts >= mostParts()) next.pooled = true;
    } else {
      const before = m.lastIds;
      const view = computeWidget(m);
      // Nothing to paint when the shell in the page shows this very view (re-rendering a dozen unchanged cards took
      // tens of ms at 4× throttling).
      if (view && !(m.shell.parentNode === m.root && m.painted === viewKey(view))) next.view = view;
      else queue.shift();
      // New cards or a new order in a carousel in the page (after an action): built apart over a few frames like a
      // first rendering, not in one task. Patching the cards in place was one long task at 4× throttling (the
      // benchmark's long task while training: 40–60 ms of Preact moving and re-rendering a dozen cards).
      if (view && m.shell.parentNode === m.root && m.lastIds !== before) next.into = newShell(m.root);
      if (m.request.type === 'for-you' && m.lastIds !== before) for (const t of mounted) if (t.request.type === 'trending') enqueue(t);
    }
    if (queue.length > 0) {
      stepping = true;
      afterNextFrame(step);
    }
  };
  const enqueue = (m: Mounted): void => {
    const queued = queue.find((q) => q.m === m);
    if (queued) {
      // ranked before the latest change: rank again (a first rendering in progress starts over)
      delete queued.view;
      delete queued.shown;
      delete queued.pooled;
      delete queued.parts;
      dropBuild(queued);
    }
    else queue.push({ m });
    // For you first (stable otherwise), but never ahead of a widget ranked and waiting to be rendered.
    const from = queue[0]?.view ? 1 : 0;
    const rest = queue.slice(from).sort((a, b) => Number(b.m.request.type === 'for-you') - Number(a.m.request.type === 'for-you'));
    queue.splice(from, rest.length, ...rest);
    if (!stepping) {
      stepping = true;
      afterNextFrame(step);
    }
  };

  /**
   * After an action (debounced): the shopper's new profile, then the model's context for it, in tasks of their own
   * (together they were 10–30 ms at 4× CPU throttling while the worker trained), then the widgets are queued.
   */
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** From an action until its refresh has queued the widgets (see `busy` below). */
  let refreshing = false;
  const refresh = (): void => {
    profileDirty = true;
    refreshing = true;
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      const p = currentProfile();
      const queueAll = (): void => {
        refreshing = false;
        for (const m of forYouFirst()) enqueue(m);
      };
      // The heuristic has no shopper context to prepare (its `prepare` is for For you's parts only).
      if (!deps.privacy().personalised || ranker === heuristic || !ranker.prepare) return queueAll();
      afterNextFrame(() => {
        // Not when the shopper has acted since: the profile is out of date and that action's refresh follows.
        if (!profileDirty) prepareQuietly(ranker, { profile: p });
        queueAll();
      });
    }, REFRESH_MS);
  };

  let compacting = false;
  /** Impressions waiting to be announced as DOM events (see `observe`). */
  const announcing: Array<() => void> = [];
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Announces waiting impressions, a burst (hundreds of them) a few ms' worth per task. */
  const announceSome = (): void => {
    const until = clock() + SLICE_BUDGET_MS;
    let run: (() => void) | undefined;
    while (clock() < until && (run = announcing.shift())) {
      try {
        run();
      } catch {
        // never into the host page: an announcement that cannot be made is skipped
      }
    }
    announceTimer = announcing.length > 0 ? setTimeout(announceSome, 0) : undefined;
  };

  /**
   * A new model ranker hashes the catalog's features in slices of at most {@link SLICE_BUDGET_MS} each, one slice per
   * frame, before it is first asked to rank: the first ranking after a model arrived was one long main-thread task
   * (the benchmark's long task while training). A time budget, not a fixed count: 200 products per slice took over
   * 50 ms at 4× CPU throttling.
   */
  const WARM_STEP = 5;
  const warmSoon = (next: Ranker): void => {
    let at = 0;
    afterNextFrame(() => {
      // The shopper's context too, when their profile is at hand (building it is a ranking's work, not a slice's),
      // in a task of its own: with the first slice it was 38 ms at 4× CPU throttling while the worker trained.
      if (!profileDirty && deps.privacy().personalised) prepareQuietly(next, { profile });
      warmSlices(); // its first slice in the next frame
    });
    const warmSlices = (): void => {
      runInSlices(
        () => {
          next.prepare!({ products: products.slice(at, (at += WARM_STEP)) });
          return at >= products.length;
        },
        () => ranker !== next || at >= products.length,
      ).catch((error: unknown) => deps.emitError({ code: ErrorCode.ModelLoad, message: `Preparing the model's item features failed (${String(error)}); they are computed when ranking.`, recoverable: true }));
    };
  };

  const model = connectModel({
    config,
    log,
    products,
    byId,
    fallback: heuristic,
    setRanker(next) {
      // Carousels on screen keep what they show (no reshuffle under the shopper's eyes); the next render
      // — after the shopper's next action, or on the next page — uses the new ranker. rerank() uses it at once.
      ranker = next ?? heuristic;
      if (next?.prepare) warmSoon(next);
    },
    state: () => ({ events, counters }),
    platform: deps.modelPlatform,
    emitTrain(progress) {
      debug?.train.push(progress);
      debug?.changed();
      deps.emitTrain(progress);
    },
    emitError: deps.emitError,
    busy: () => refreshing || queue.length > 0 || stepping,
  });
  // A returning shopper's stored model ranks the very first render: no visible reorder when it arrives later.
  await model.loaded;

  /** The ranker that last ordered each host list (see the `ranker` of a host tile's events). */
  const orderedBy = new WeakMap<EventTarget, string>();

  /** `rerank()`, with the element its `localrank:rank` event is dispatched on (a host list, or the document). */
  const rerankFor = <T,>(items: readonly T[], options: RerankOptions, target: EventTarget | undefined): T[] => {
    if (!Array.isArray(items)) {
      deps.emitError({ code: ErrorCode.RerankInvalid, message: 'rerank(items) needs an array of ids or objects with an id.', recoverable: true });
      return [];
    }
    // The first item of each id, at its product's place in `candidates`; items sharing an id (rare) follow it in
    // `repeats`, by that place. A catalog id is told apart from a repeat by its position's stamp (one map lookup per
    // item; rerank's hot path), an id outside the catalog by a map made for this call.
    const call = ++rerankCalls;
    const candidates: Product[] = [];
    const firstItems: unknown[] = [];
    let others: Map<string, number> | undefined;
    let repeats: Map<number, unknown[]> | undefined;
    let unidentified = false;
    for (const item of items) {
      const id = idOf(item);
      if (id === undefined) {
        unidentified = true;
        continue;
      }
      const at = positionOf.get(id);
      let earlier: number | undefined;
      if (at !== undefined) {
        if (metIn[at] === call) earlier = metAt[at];
        else {
          metIn[at] = call;
          metAt[at] = candidates.length;
        }
      } else {
        earlier = others?.get(id);
        if (earlier === undefined) (others ??= new Map()).set(id, candidates.length);
      }
      if (earlier !== undefined) {
        repeats ??= new Map();
        const more = repeats.get(earlier);
        if (more) more.push(item);
        else repeats.set(earlier, [item]);
        continue;
      }
      let product = at === undefined ? undefined : products[at];
      if (!product) {
        const parsed = typeof item === 'object' ? parseCatalog([item]).products[0] : undefined;
        product = parsed ?? { id, title: id, category: '', brand: '', price: undefined, currency: undefined, image: undefined, url: undefined, inStock: true, popularity: 0 };
      }
      candidates.push(product);
      firstItems.push(item);
    }
    if (!deps.privacy().personalised) {
      if (target) orderedBy.set(target, 'off');
      deps.emitRank({ list: options.list ?? 'rerank', ranker: 'off', ids: [] });
      return items.slice(); // not personalised: the host's own order is the right one
    }
    const { items: ranked, by } = rankSafely({
      mode: 'rerank',
      candidates,
      profile: currentProfile(),
      now: deps.now(),
      maxSameCategory: options.maxSameCategory ?? 0,
      // Host lists show no reasons: only the debug overlay's rankings table does.
      explain: debug !== undefined,
    });
    const out: T[] = [];
    const ids: string[] = [];
    // Rankers give each item's place in `candidates`; one that did not is looked up by product.
    let placeOf: Map<Product, number> | undefined;
    for (const r of ranked) {
      const place = r.index ?? (placeOf ??= new Map(candidates.map((p, i) => [p, i]))).get(r.product)!;
      ids.push(r.product.id);
      out.push(firstItems[place] as T);
      const more = repeats?.get(place);
      if (more) for (const item of more) out.push(item as T);
    }
    // Items without a usable id keep their relative order at the end: the same items always come back.
    if (unidentified) for (const item of items) if (idOf(item) === undefined) out.push(item);
    const list = options.list ?? 'rerank';
    if (target) orderedBy.set(target, by);
    deps.emitRank({ list, ranker: by, ids });
    announce(target, 'rank', { list, ranker: by, ids: ids.slice() });
    recordRank(list, by, ranked);
    return out;
  };

  const runtime: Runtime = {
    async adoptLeftovers() {
      if (!(await adopt())) return;
      await load();
      profileDirty = true;
    },
    async diagnose(request) {
      if (typeof request === 'object' && request !== null) {
        if ('loseContext' in request) return (request as { loseContext: unknown }).loseContext === true ? model.loseContext() : undefined;
        if ('memory' in request) return (request as { memory: unknown }).memory === true ? model.tensorMemory() : undefined;
        const score = (request as { score?: unknown }).score;
        return Array.isArray(score) ? model.scoreInWorker(score as FeatureBatch[]) : undefined;
      }
      const n = Number.isInteger(request) && (request as number) > 0 && (request as number) <= 1000 ? (request as number) : 100;
      const counts = await model.memoryCycles(n);
      return counts && { cycles: n, tensorsBefore: counts.before, tensorsAfter: counts.after };
    },
    mountAll(pageDoc, pageProduct) {
      // The debug overlay: `?localrank-debug` in the page URL or `data-debug` on the tag. A chunk of its own, so
      // shoppers without it pay one regular-expression test and nothing else.
      if (!debug && (config.debug || /[?&]localrank-debug(?:[=&]|$)/.test(pageDoc.location?.search ?? ''))) {
        const feed: DebugFeed = (debug = { ranks: new Map(), train: [], changed() {} });
        import('./connect-debug-overlay')
          .then(({ connectDebugOverlay }) =>
            connectDebugOverlay({ doc: pageDoc, feed, log, model, explain, locale: deps.locale, privacy: deps.privacy, ranker: () => ranker.name, events: () => events.length }),
          )
          .catch((error: unknown) => deps.emitError({ code: ErrorCode.RuntimeLoad, message: `The debug overlay could not load (${String(error)}).`, recoverable: true }));
      }
      doc = pageDoc;
      const stopWidgets = mountWidgets({ doc: pageDoc, mount: (request) => runtime.mount(request), pageProduct, emitError: deps.emitError });
      // Host lists to rerank in place: their code is a chunk of its own, loaded once the page has such a list.
      let stopLists = (): void => {};
      let loading = false;
      const loadLists = (): void => {
        if (loading || !pageDoc.querySelector(LIST_SELECTOR)) return;
        loading = true;
        watch.disconnect();
        import('./rerank-lists')
          .then(({ rerankLists }) => {
            stopLists = rerankLists({ doc: pageDoc, rerank: (items, list, container) => rerankFor(items, { list }, container), reducedMotion: deps.reducedMotion });
          })
          .catch((error: unknown) => deps.emitError({ code: ErrorCode.RuntimeLoad, message: `In-place reranking could not load (${String(error)}); host lists keep their order.`, recoverable: true }));
      };
      const watch = new MutationObserver(loadLists);
      watch.observe(pageDoc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-localrank-rerank'] });
      loadLists();
      return () => {
        watch.disconnect();
        stopWidgets();
        stopLists();
      };
    },
    mount(request) {
      let root: ShadowRoot;
      try {
        root = request.element.shadowRoot ?? request.element.attachShadow({ mode: 'open' });
        attachStyles(root);
      } catch (error) {
        deps.emitError({ code: ErrorCode.WidgetRender, message: `Cannot attach a shadow root to the ${request.type} mount point (${String(error)}); use a <div>.`, recoverable: true });
        return () => {};
      }
      const shell = newShell(root);
      const m: Mounted = { request, root, shell, frozen: false, stale: false, lastIds: '', impressed: new Set() };
      const freeze = (): void => {
        m.frozen = true;
      };
      const thaw = (): void => {
        // A handler of an unmounted carousel (its type changed) must not paint the old type again.
        if (!mounted.has(m) || root.activeElement || request.element.matches(':hover')) return;
        m.frozen = false;
        if (m.stale) renderWidget(m);
      };
      request.element.addEventListener('pointerenter', freeze);
      request.element.addEventListener('focusin', freeze);
      request.element.addEventListener('pointerleave', thaw);
      const thawSoon = (): void => void setTimeout(thaw, 0);
      request.element.addEventListener('focusout', thawSoon);
      mounted.add(m);
      enqueue(m);
      return () => {
        mounted.delete(m);
        request.element.removeEventListener('pointerenter', freeze);
        request.element.removeEventListener('focusin', freeze);
        request.element.removeEventListener('pointerleave', thaw);
        request.element.removeEventListener('focusout', thawSoon);
        render(null, m.shell);
        m.shell.remove();
      };
    },
    observe(event) {
      events.push(event);
      if ((event.type === 'impression' || event.type === 'click') && event.productId) {
        const { widget, list, position } = event.context;
        let shownBy: Mounted | undefined;
        for (const m of mounted) if (widget && m.request.type === widget) shownBy ??= m;
        const productId = event.productId;
        const type = event.type;
        if (type === 'impression' && widget) for (const m of mounted) if (m.request.type === widget) m.impressed.add(productId);
        const detail = { productId, list, position, widget, ranker: shownBy?.by ?? ranker.name };
        // A host tile is looked up in the whole document: a click is announced at once (it may navigate away), the
        // many impressions together in a task up to ANNOUNCE_MS later (the lookup was most of track()'s main-thread
        // cost; a timer per impression, at 4× CPU throttling, half of it again).
        const send = (): void => {
          const tile = !shownBy && !widget && doc ? (doc.querySelector(`[data-product-id="${CSS.escape(productId)}"]`) ?? undefined) : undefined;
          // A host tile's ranker is the one that ordered its list, not the one ranking now; `host` if LocalRank did not.
          if (tile) {
            const hostList = tile.closest('[data-localrank-rerank]');
            detail.ranker = (hostList && orderedBy.get(hostList)) ?? 'host';
          }
          announce(shownBy?.request.element ?? tile, type, detail);
        };
        if (type === 'click') send();
        else {
          announcing.push(send);
          announceTimer ??= setTimeout(announceSome, ANNOUNCE_MS);
        }
      }
      // Impressions update the profile silently: re-rendering on them would reshuffle carousels while the
      // shopper is only looking (a layout shift with no input). Actions re-render.
      profileDirty = true;
      if (event.type !== 'impression') refresh();
      model.observe(event);
    },
    afterStore() {
      debug?.changed();
      if (compacting || events.length <= config.maxEvents) return;
      compacting = true;
      const fold = (existing: ReadonlyMap<string, Counter>, old: readonly Interaction[]): Map<string, Counter> =>
        foldEvents(existing, old, categoryOf, halfLifeMs, deps.now());
      // Every write started so far has settled (flush() waits for them), then the oldest go into counters.
      void log
        .flush()
        .then(() => log.database())
        .then((database) => (database ? compactEvents(database, config.maxEvents, fold, deps.emitError) : 0))
        .then((n) => (n > 0 ? load() : undefined))
        .then(refresh, () => {})
        .finally(() => {
          compacting = false;
        });
    },
    rerank: <T,>(items: readonly T[], options: RerankOptions = {}): T[] => rerankFor(items, options, undefined),
    async forget() {
      await log.clear();
      events = [];
      counters = [];
      model.reset(); // back to the heuristic ranker
      profileDirty = true;
      for (const m of mounted) m.lastIds = '';
      // Rankings queued before the data was cleared must not be painted after it.
      for (const q of queue.splice(0)) dropBuild(q);
      for (const m of forYouFirst()) renderWidget(m);
      debug?.changed();
    },
    async privacyChanged() {
      if (deps.privacy().storage && events.length === 0) await load();
      profileDirty = true;
      for (const m of mounted) m.lastIds = '';
      refresh();
    },
    model,
    afterFirstRender() {
      // Once the render queue is empty, in a task of its own: starting the worker (and posting it the catalog) in
      // the task that mounts the widgets made that task long on a slow device.
      const whenRendered = (): void => afterNextFrame(queue.length > 0 || stepping ? whenRendered : () => model.start());
      whenRendered();
    },
    info: () => ({
      ranker: ranker.name,
      events: events.length,
      catalog: { products: products.length, skipped },
      widgets: mounted.size,
      rendering: queue.length + (refreshing ? 1 : 0),
      group: groupNow(),
    }),
  };
  return runtime;
}
