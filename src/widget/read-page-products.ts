/** What {@link readPageProducts} found on a page. */
export interface PageProducts {
  /** Parsed JSON-LD blocks and microdata items (as JSON-LD-like objects), for `schemaOrgProducts`. */
  readonly roots: readonly unknown[];
  /** Product ids the page's markup uses (`data-product-id`, `data-localrank-page-product`). */
  readonly knownIds: ReadonlySet<string>;
}

const MAX_BLOCKS = 50;
/** A JSON-LD block over 1 MB is skipped unread (no shop describes its products with that much). */
const MAX_BLOCK_CHARS = 1_000_000;
const MAX_ITEMS = 200;
const MAX_PROPERTIES = 100;
const MAX_KNOWN_IDS = 1000;
const PRODUCT = /(^|\s)https?:\/\/schema\.org\/Product\/?(\s|$)/i;
const PRODUCT_GROUP = /(^|\s)https?:\/\/schema\.org\/ProductGroup\/?(\s|$)/i;
const VARIANT_LINK = /(^|\s)(hasVariant|isVariantOf)(\s|$)/;

/** The value of a microdata property element (https://html.spec.whatwg.org/multipage/microdata.html#values). */
function propertyValue(el: Element): string | null {
  const content = el.getAttribute('content');
  if (content !== null) return content;
  switch (el.localName) {
    case 'a': case 'area': case 'link': return el.getAttribute('href');
    case 'img': case 'audio': case 'video': case 'source': case 'embed': case 'iframe': case 'track': return el.getAttribute('src');
    case 'object': return el.getAttribute('data');
    case 'data': case 'meter': return el.getAttribute('value');
    case 'time': return el.getAttribute('datetime') ?? el.textContent;
    default: return el.textContent;
  }
}

/** Reads one microdata item into a JSON-LD-like object (`@type`, `@id`, properties; nested items as objects). */
function readItem(scope: Element, depth: number): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const type = scope.getAttribute('itemtype');
  if (type) item['@type'] = type.trim().split(/\s+/);
  const itemId = scope.getAttribute('itemid');
  if (itemId) item['@id'] = itemId;
  let count = 0;
  const walk = (parent: Element): void => {
    for (let el = parent.firstElementChild; el && count < MAX_PROPERTIES; el = el.nextElementSibling) {
      const names = el.getAttribute('itemprop');
      const nested = el.hasAttribute('itemscope');
      if (names) {
        count++;
        const value = nested ? (depth < 4 ? readItem(el, depth + 1) : undefined) : propertyValue(el);
        if (value !== undefined && value !== null) {
          for (const name of names.trim().split(/\s+/)) {
            const prev = item[name];
            item[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
          }
        }
      }
      // A nested item's own properties belong to it, not to this one.
      if (!nested) walk(el);
    }
  };
  walk(scope);
  return item;
}

/**
 * Reads the schema.org data of a page: every `<script type="application/ld+json">` block (at most 50, each under
 * 1 MB; unparsable ones are skipped) and every microdata item typed `…schema.org/Product` or `…/ProductGroup` (at
 * most 200; a group's `hasVariant` Products and a variant's `isVariantOf` group are read inside the item holding
 * them), plus the product ids the page's markup uses. Never throws; touches only the given document.
 * @param doc the page's document
 */
export function readPageProducts(doc: Document): PageProducts {
  const roots: unknown[] = [];
  const knownIds = new Set<string>();
  try {
    for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json" i]')).slice(0, MAX_BLOCKS)) {
      const text = script.textContent ?? '';
      if (text.length > MAX_BLOCK_CHARS) continue;
      try {
        roots.push(JSON.parse(text));
      } catch {
        // A broken block on the host page is the host's business; the other blocks still count.
      }
    }
    const typed = (el: Element | null | undefined, type: RegExp): boolean => !!el && type.test(el.getAttribute('itemtype') ?? '');
    const items = Array.from(doc.querySelectorAll('[itemscope][itemtype]'))
      .filter((el) => typed(el, PRODUCT) || typed(el, PRODUCT_GROUP))
      // A group's variants (and a variant's group) are read inside the item that holds them, not a second time alone.
      .filter((el) => {
        const holder = el.parentElement?.closest('[itemscope]');
        return !(VARIANT_LINK.test(el.getAttribute('itemprop') ?? '') && (typed(holder, PRODUCT) || typed(holder, PRODUCT_GROUP)));
      })
      .slice(0, MAX_ITEMS);
    for (const el of items) roots.push(readItem(el, 0));
    const pageProduct = doc.body?.dataset.localrankPageProduct ?? doc.documentElement.dataset.localrankPageProduct;
    if (pageProduct) knownIds.add(pageProduct);
    for (const el of Array.from(doc.querySelectorAll('[data-product-id]')).slice(0, MAX_KNOWN_IDS)) {
      const id = el.getAttribute('data-product-id')?.trim();
      if (id) knownIds.add(id);
    }
  } catch {
    // Whatever was read so far is used.
  }
  return { roots, knownIds };
}
