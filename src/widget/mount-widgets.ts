import type { LocalRankErrorInfo } from '../core/errors';
import { ErrorCode } from '../core/errors';
import type { MountRequest } from './runtime-types';
import { isWidgetType } from './widget-types';

/** Host elements LocalRank renders into. */
const MOUNT_SELECTOR = '[data-localrank-widget]';

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
    const type = el.dataset.localrankWidget;
    if (!isWidgetType(type)) {
      emitError({
        code: ErrorCode.WidgetUnknownType,
        message: `data-localrank-widget="${String(type).slice(0, 40)}" is not a widget type; use for-you, recently-viewed, similar or trending.`,
        recoverable: true,
      });
      unmounts.set(el, () => {});
      return;
    }
    let productId = el.dataset.productId || undefined;
    if (type === 'similar' && !productId) productId = options.pageProduct();
    if (type === 'similar' && !productId) {
      emitError({ code: ErrorCode.WidgetMissingProduct, message: 'A "similar" widget needs data-product-id="<id>" (or a product page with data-localrank-page-product).', recoverable: true });
    }
    if (type === 'recently-viewed' && !productId) productId = options.pageProduct();
    const limit = Number(el.dataset.limit);
    const limitOk = Number.isInteger(limit) && limit > 0 && limit <= 50;
    if (el.dataset.limit !== undefined && !limitOk) {
      emitError({ code: ErrorCode.WidgetInvalidAttribute, message: `data-limit="${el.dataset.limit.slice(0, 20)}" on a ${type} widget is not an integer from 1 to 50; the configured limit is used.`, recoverable: true });
    }
    unmounts.set(el, options.mount({ element: el, type, productId, heading: el.dataset.title || undefined, limit: limitOk ? limit : undefined }));
  };
  const scan = (): void => {
    doc.querySelectorAll<HTMLElement>(MOUNT_SELECTOR).forEach(mountOne);
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
