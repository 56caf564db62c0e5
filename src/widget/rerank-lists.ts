import { LIST_SELECTOR } from './list-selector';
const FLIP_MS = 260;

/** What {@link rerankLists} needs from the runtime. */
export interface RerankListsOptions {
  readonly doc: Document;
  /** The runtime's `rerank()` for a named host list; returns the same items in the shopper's order. */
  readonly rerank: <T extends { id: string }>(items: readonly T[], list: string, container: HTMLElement) => T[];
  readonly reducedMotion: () => boolean;
}

interface Slot {
  readonly id: string;
  readonly el: HTMLElement;
}

/** The container's direct children that are (or hold) a product tile, in DOM order. */
function slotsOf(container: HTMLElement): Slot[] {
  const out: Slot[] = [];
  for (const child of Array.from(container.children) as HTMLElement[]) {
    const tile = child.matches('[data-product-id]') ? child : child.querySelector<HTMLElement>('[data-product-id]');
    const id = tile?.getAttribute('data-product-id');
    if (id) out.push({ id, el: child });
  }
  return out;
}

/**
 * A gliding tile's own inline `transform`/`transition` (what it gets back when its glide ends) and the number of its
 * latest glide: a reorder that starts while an earlier glide is still on its way must not take the earlier glide's
 * `translate(…)`/`none` for the tile's own style, nor let the earlier glide's callbacks touch it any more.
 */
const gliding = new WeakMap<HTMLElement, { transform: string; transition: string; glide: number }>();
let glides = 0;

/**
 * Animates moved elements from where they were to where they are (FLIP: First, Last, Invert, Play) with a transform
 * only, so nothing around them moves; their own inline `transform`/`transition` come back when it ends, also when
 * glides overlap.
 */
function flip(moved: ReadonlyArray<{ el: HTMLElement; from: DOMRect }>): void {
  const glide = ++glides;
  const animated = moved
    .map(({ el, from }) => {
      const own = gliding.get(el) ?? { transform: el.style.transform, transition: el.style.transition, glide };
      // Measured where it lands without an earlier glide's offset.
      el.style.transform = own.transform;
      const to = el.getBoundingClientRect();
      return { el, own, dx: from.left - to.left, dy: from.top - to.top };
    })
    .filter((m) => {
      if (m.dx !== 0 || m.dy !== 0) return true;
      m.el.style.transition = m.own.transition; // an earlier glide of it, if any, ends here
      gliding.delete(m.el);
      return false;
    });
  for (const m of animated) {
    gliding.set(m.el, { ...m.own, glide });
    m.el.style.transition = 'none';
    m.el.style.transform = `translate(${m.dx}px, ${m.dy}px)`;
  }
  const mine = (m: (typeof animated)[number]): boolean => gliding.get(m.el)?.glide === glide;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      for (const m of animated.filter(mine)) {
        m.el.style.transition = `transform ${FLIP_MS}ms ease`;
        m.el.style.transform = m.own.transform;
      }
      setTimeout(() => {
        for (const m of animated.filter(mine)) {
          m.el.style.transition = m.own.transition;
          gliding.delete(m.el);
        }
      }, FLIP_MS + 50);
    }),
  );
}

/**
 * In-place reranking of host lists: every container with `data-localrank-rerank` (search results, category grids)
 * gets its product children — direct children that are or hold a `[data-product-id]` tile — reordered for the
 * shopper, now and whenever its children change (a new search, infinite scroll); other children (banners, headings)
 * keep their places. Moved tiles glide from their old place (FLIP, transforms only; none with reduced motion).
 * A re-append gives a tile a new layout box, so the reorder itself is no layout shift (checked by the e2e test).
 * The list name is `data-localrank-list`, else the attribute's value, else `rerank`. Paused or unconsented shoppers
 * keep the host's order (the runtime's `rerank` returns it).
 * @returns a function that stops watching
 */
export function rerankLists(options: RerankListsOptions): () => void {
  const { doc } = options;
  /** The order this module last left each container in: a change by anyone else means "rank again". */
  const last = new WeakMap<HTMLElement, string>();

  const rerankOne = (container: HTMLElement): void => {
    const slots = slotsOf(container);
    const key = slots.map((s) => s.id).join('\u0000');
    if (slots.length < 2 || last.get(container) === key) return;
    const list = container.getAttribute('data-localrank-list') || container.getAttribute('data-localrank-rerank') || 'rerank';
    const ranked = options.rerank(slots, list, container);
    if (ranked.length !== slots.length) return; // never drop or duplicate a host's element
    last.set(container, ranked.map((s) => s.id).join('\u0000'));
    // Ranked, whether or not anything moved.
    container.setAttribute('data-localrank-ranked', '');
    if (ranked.every((s, i) => s === slots[i])) return;
    const animate = !options.reducedMotion();
    const moved = ranked.filter((s, i) => s !== slots[i]).map((s) => ({ el: s.el, from: animate ? s.el.getBoundingClientRect() : new DOMRect() }));
    // Each product slot's place is kept by a marker; the ranked elements take the places in order.
    const markers = slots.map((s) => {
      const marker = doc.createComment('');
      s.el.before(marker);
      return marker;
    });
    ranked.forEach((s, i) => markers[i]!.replaceWith(s.el));
    if (animate) flip(moved);
  };

  const scan = (): void => {
    doc.querySelectorAll<HTMLElement>(LIST_SELECTOR).forEach(rerankOne);
  };
  scan();
  // Host changes (new results, infinite scroll, lists added later) are looked at once per frame; this module's own
  // moves leave the order it recorded, so they do not trigger another ranking.
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      scan();
    });
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-localrank-rerank'] });
  return () => observer.disconnect();
}
