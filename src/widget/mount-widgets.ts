import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { MountRequest } from './runtime-types';
import { isWidgetType } from './widget-types';

/** Host elements LocalRank renders into: mount points by attribute, and the `<localrank-carousel>` element. */
const MOUNT_SELECTOR = '[data-localrank-widget]';
/** The custom element's name: `<localrank-carousel type="for-you" limit="12" heading="…" product="…">`. */
export const CAROUSEL_ELEMENT = 'localrank-carousel';
const ELEMENT_ATTRIBUTES = ['type', 'limit', 'heading', 'product'] as const;

/** A mount point's settings, from `data-*` attributes or the custom element's plain attributes. */
function settingsOf(el: HTMLElement): { type: string | undefined; productId: string | undefined; heading: string | undefined; limit: string | undefined } {
  if (el.localName === CAROUSEL_ELEMENT) {
    const get = (name: string): string | undefined => el.getAttribute(name) ?? undefined;
    return { type: get('type') ?? 'for-you', productId: get('product') || undefined, heading: get('heading') || undefined, limit: get('limit') };
  }
  return { type: el.dataset.localrankWidget, productId: el.dataset.productId || undefined, heading: el.dataset.title || undefined, limit: el.dataset.limit };
}

/** What {@link mountWidgets} needs: the runtime's `mount`, the page, and the error channel. */
export interface MountWidgetsOptions {
  readonly doc: Document;
  readonly mount: (request: MountRequest) => () => void;
  /** The product of a product page (for `similar` / `recently-viewed` without `data-product-id`). */
  readonly pageProduct: () => string | undefined;
  readonly emitError: (error: LocalRankErrorInfo) => void;
}

/**
 * Mounts a carousel into every `[data-localrank-widget]` element of the document, now and as the host adds them
 * (single-page apps), and unmounts those the host removes. Bad attributes are reported, never thrown: an unknown
 * type leaves the element alone, a bad `data-limit` falls back to the configured limit.
 * @returns a function that stops watching and unmounts everything
 */
export function mountWidgets(options: MountWidgetsOptions): () => void {
  const { doc, emitError } = options;
  const unmounts = new Map<Element, () => void>();
  const mountOne = (el: HTMLElement): void => {
    if (unmounts.has(el)) return;
    const settings = settingsOf(el);
    const type = settings.type;
    const attribute = el.localName === CAROUSEL_ELEMENT ? `<${CAROUSEL_ELEMENT} type="${String(type).slice(0, 40)}">` : `data-localrank-widget="${String(type).slice(0, 40)}"`;
    if (!isWidgetType(type)) {
      emitError({
        code: ErrorCode.WidgetUnknownType,
        message: `${attribute} is not a widget type; use for-you, recently-viewed, similar or trending.`,
        recoverable: true,
      });
      unmounts.set(el, () => {});
      return;
    }
    let productId = settings.productId;
    if (type === 'similar' && !productId) productId = options.pageProduct();
    if (type === 'similar' && !productId) {
      emitError({ code: ErrorCode.WidgetMissingProduct, message: 'A "similar" widget needs data-product-id="<id>" (product="<id>" on the element, or a product page with data-localrank-page-product).', recoverable: true });
    }
    if (type === 'recently-viewed' && !productId) productId = options.pageProduct();
    const limit = Number(settings.limit);
    const limitOk = Number.isInteger(limit) && limit > 0 && limit <= 50;
    if (settings.limit !== undefined && !limitOk) {
      emitError({ code: ErrorCode.WidgetInvalidAttribute, message: `limit "${settings.limit.slice(0, 20)}" on a ${type} widget is not an integer from 1 to 50; the configured limit is used.`, recoverable: true });
    }
    unmounts.set(el, options.mount({ element: el, type, productId, heading: settings.heading, limit: limitOk ? limit : undefined }));
  };
  const unmountOne = (el: Element): void => {
    unmounts.get(el)?.();
    unmounts.delete(el);
  };
  defineCarouselElement(doc, {
    connected: (el) => mountOne(el),
    // A move (a framework re-parenting the element) disconnects and connects it in one go: unmount only if it is
    // still out of the document once that is over, so a moved carousel keeps what it shows.
    disconnected: (el) => queueMicrotask(() => {
      if (!el.isConnected) unmountOne(el);
    }),
    changed: (el) => {
      if (!unmounts.has(el)) return;
      unmountOne(el);
      mountOne(el);
    },
  });
  const scan = (): void => {
    doc.querySelectorAll<HTMLElement>(`${MOUNT_SELECTOR},${CAROUSEL_ELEMENT}`).forEach(mountOne);
    for (const [el, unmount] of unmounts) {
      if (!el.isConnected) {
        unmount();
        unmounts.delete(el);
      }
    }
  };
  scan();
  const observer = new MutationObserver(scan);
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  return () => {
    observer.disconnect();
    for (const unmount of unmounts.values()) unmount();
    unmounts.clear();
  };
}

interface ElementHooks {
  connected(el: HTMLElement): void;
  disconnected(el: HTMLElement): void;
  changed(el: HTMLElement): void;
}
let hooks: ElementHooks | undefined;

/**
 * Defines `<localrank-carousel>` once per page (elements already in the page upgrade then): connecting mounts a
 * carousel, disconnecting unmounts it, and changing `type`, `limit`, `heading` or `product` renders it anew — so a
 * framework (React, Vue, Svelte…) can render it like any element. Before LocalRank's runtime is loaded it is an
 * unknown element (`display: inline`, empty); reserve its height with CSS as for data-attribute mount points.
 */
function defineCarouselElement(doc: Document, next: ElementHooks): void {
  hooks = next;
  const registry = doc.defaultView?.customElements;
  if (!registry || registry.get(CAROUSEL_ELEMENT)) return;
  try {
    registry.define(
      CAROUSEL_ELEMENT,
      class LocalRankCarousel extends HTMLElement {
        static observedAttributes = ELEMENT_ATTRIBUTES;
        connectedCallback(): void {
          hooks?.connected(this);
        }
        disconnectedCallback(): void {
          hooks?.disconnected(this);
        }
        attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
          if (before !== after && this.isConnected) hooks?.changed(this);
        }
      },
    );
  } catch {
    // Another script defined the name first: the MutationObserver scan still mounts these elements.
  }
}
