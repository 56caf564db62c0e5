import type { TrackInput } from '../core/interaction';
import type { ImpressionObserver } from './create-impression-observer';

/** Options of {@link startCapture}. */
export interface CaptureOptions {
  readonly doc: Document;
  readonly impressions: ImpressionObserver;
  /** Current page type and search query (read at event time: single-page apps change them). */
  readonly page: () => { page: string; query: string | undefined; productId: string | undefined };
  readonly searchParam: string;
  readonly track: (input: TrackInput) => void;
  /** The page is being hidden or left, after the dwell segment was logged: write and journal what is queued. */
  readonly leave: () => void;
  /** The page is visible again. */
  readonly resume: () => void;
}

const PRODUCT = '[data-product-id]';
const WIDGET = '[data-localrank-widget], localrank-carousel';

/** The outermost element with `data-product-id` containing `el` (tiles may nest buttons carrying the id too). */
function outermostProduct(el: Element): HTMLElement | undefined {
  let found: HTMLElement | undefined;
  for (let cur: Element | null = el.closest(PRODUCT); cur; cur = cur.parentElement?.closest(PRODUCT) ?? null) {
    if (cur.matches(WIDGET)) break;
    found = cur as HTMLElement;
  }
  return found;
}

function listContext(el: HTMLElement): { list?: string; position?: number } {
  const container = el.closest<HTMLElement>('[data-localrank-list]');
  if (!container) return {};
  const tiles = Array.from(container.querySelectorAll<HTMLElement>(PRODUCT)).filter((t) => outermostProduct(t) === t);
  const position = tiles.indexOf(el);
  const list = container.dataset.localrankList || undefined;
  return position >= 0 ? { list, position } : { list };
}

function searchQuery(form: HTMLFormElement, param: string): string | undefined {
  const field =
    form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(param)}"]`) ??
    form.querySelector<HTMLInputElement>('input[type="search"]') ??
    form.querySelector<HTMLInputElement>('input[type="text"], input:not([type])');
  const value = field?.value.trim();
  return value || undefined;
}

/**
 * Captures interactions from the host page by event delegation on the document (capture phase, so a host's
 * `stopPropagation` does not hide them) and one IntersectionObserver:
 * - impression: an outermost `[data-product-id]` element ≥ 50 % visible for the configured time;
 * - click: a click inside a `[data-product-id]` element;
 * - add-to-cart / purchase: a click on `[data-localrank-action]` (purchase may list `data-product-ids="a,b"`);
 * - dwell: visible time on a product page (`data-localrank-page-product`), logged when the page is hidden;
 * - search: submit of a `form[data-localrank-search]`.
 * LocalRank's own widgets report their cards themselves and are skipped here. Returns a stop function.
 */
export function startCapture(options: CaptureOptions): () => void {
  const { doc, impressions, track, page } = options;
  const cleanups = new Map<Element, () => void>();

  const observe = (el: Element): void => {
    if (cleanups.has(el) || el.closest(WIDGET)) return;
    const tile = outermostProduct(el);
    if (tile !== el) return;
    cleanups.set(
      el,
      impressions.observe(el, () => {
        cleanups.delete(el);
        const id = (el as HTMLElement).dataset.productId;
        if (!id || !el.isConnected) return;
        const p = page();
        track({ type: 'impression', productId: id, context: { page: p.page, query: p.query, ...listContext(el as HTMLElement) } });
      }),
    );
  };
  const scan = (root: ParentNode): void => {
    if (root instanceof Element && root.matches(PRODUCT)) observe(root);
    for (const el of Array.from(root.querySelectorAll(PRODUCT))) observe(el);
  };

  const onClick = (event: MouseEvent): void => {
    const target = event.target;
    if (!(target instanceof Element) || target.closest(WIDGET)) return;
    const p = page();
    const action = target.closest<HTMLElement>('[data-localrank-action]');
    if (action) {
      const kind = action.dataset.localrankAction;
      if (kind !== 'add-to-cart' && kind !== 'purchase') return;
      const ids = action.dataset.productIds
        ? action.dataset.productIds.split(',').map((s) => s.trim()).filter(Boolean)
        : [action.closest<HTMLElement>(PRODUCT)?.dataset.productId ?? p.productId].filter((s): s is string => !!s);
      const tile = outermostProduct(action);
      const ctx = { page: p.page, query: p.query, ...(tile ? listContext(tile) : {}) };
      for (const id of ids) track({ type: kind, productId: id, context: ctx });
      return;
    }
    const tile = outermostProduct(target);
    const id = tile?.dataset.productId;
    if (!tile || !id) return;
    track({ type: 'click', productId: id, context: { page: p.page, query: p.query, ...listContext(tile) } });
  };

  const onSubmit = (event: SubmitEvent): void => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-localrank-search]')) return;
    const query = searchQuery(form, options.searchParam);
    if (query) track({ type: 'search', context: { page: page().page, query } });
  };

  // Dwell: visible time on a product page, logged in segments whenever the page is hidden.
  let visibleSince = doc.visibilityState === 'visible' ? performance.now() : undefined;
  const logDwell = (): void => {
    const p = page();
    if (visibleSince === undefined) return;
    const ms = performance.now() - visibleSince;
    visibleSince = undefined;
    if (p.page === 'product' && p.productId && ms >= 500) {
      track({ type: 'dwell', productId: p.productId, dwellMs: ms, context: { page: p.page } });
    }
  };
  const onVisibility = (): void => {
    if (doc.visibilityState === 'hidden') {
      logDwell();
      options.leave();
    } else {
      visibleSince = performance.now();
      options.resume();
    }
  };
  const onPageHide = (): void => {
    logDwell();
    options.leave();
  };

  const mutations = new MutationObserver((records) => {
    for (const r of records) {
      r.addedNodes.forEach((n) => {
        if (n instanceof Element) scan(n);
      });
      r.removedNodes.forEach((n) => {
        if (!(n instanceof Element)) return;
        for (const [el, cleanup] of cleanups) {
          if (!el.isConnected && (n === el || n.contains(el))) {
            cleanup();
            cleanups.delete(el);
          }
        }
      });
    }
  });

  const win = doc.defaultView;
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('submit', onSubmit, true);
  doc.addEventListener('visibilitychange', onVisibility);
  win?.addEventListener('pagehide', onPageHide);
  // The page's tiles are looked up, and later ones watched for, in a task of their own: the first script's module task
  // was one of LocalRank's long scripts at load at 4× CPU throttling. The click and submit listeners above are there
  // from the start; an impression needs the tile seen for a while anyway.
  const first = setTimeout(() => {
    mutations.observe(doc.documentElement, { childList: true, subtree: true });
    scan(doc);
  }, 0);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('submit', onSubmit, true);
    doc.removeEventListener('visibilitychange', onVisibility);
    win?.removeEventListener('pagehide', onPageHide);
    mutations.disconnect();
    clearTimeout(first);
    for (const cleanup of cleanups.values()) cleanup();
    cleanups.clear();
  };
}
