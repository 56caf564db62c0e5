import { categoryLeaf } from './merchant-row';

/** Products taken from one page at most; nodes visited at most (a hostile page may ship huge JSON-LD). */
const MAX_PRODUCTS = 200;
const MAX_NODES = 5000;
const MAX_DEPTH = 8;

const OUT_OF_STOCK = new Set(['outofstock', 'soldout', 'discontinued']);

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `"Product"`, `"schema:Product"`, `"https://schema.org/Product"` → `product`. */
function types(node: Node): string[] {
  return list(node['@type']).filter((t): t is string => typeof t === 'string').map((t) => t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf(':')) + 1).toLowerCase());
}

/** A string (or number) value, or the first one of a list. */
function str(value: unknown): string | undefined {
  for (const v of list(value)) {
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** Brand, category or organisation: a string or a node with a `name`. */
function named(value: unknown): string | undefined {
  for (const v of list(value)) {
    const s = isNode(v) ? str(v.name) : str(v);
    if (s) return s;
  }
  return undefined;
}

/** Image: a URL, a list of URLs, or an ImageObject (`url` / `contentUrl`). */
function imageUrl(value: unknown): string | undefined {
  for (const v of list(value)) {
    const s = isNode(v) ? (str(v.url) ?? str(v.contentUrl)) : str(v);
    if (s) return s;
  }
  return undefined;
}

interface OfferInfo {
  price?: unknown;
  currency?: string;
  inStock?: boolean;
}

/** Offer, list of offers, AggregateOffer (`lowPrice`, nested `offers`), priceSpecification. First price wins. */
function offerInfo(value: unknown, depth = 0): OfferInfo {
  const out: OfferInfo = {};
  for (const offer of list(value).slice(0, 50)) {
    if (!isNode(offer)) continue;
    const spec = list(offer.priceSpecification).find(isNode);
    const price = offer.lowPrice ?? offer.price ?? spec?.price;
    if (out.price === undefined && price !== undefined && price !== null) {
      out.price = typeof price === 'string' ? price.trim() : price;
      out.currency = str(offer.priceCurrency) ?? str(spec?.priceCurrency);
    }
    const availability = str(offer.availability);
    if (availability) {
      const inStock = !OUT_OF_STOCK.has(availability.slice(availability.lastIndexOf('/') + 1).toLowerCase());
      out.inStock = out.inStock === true || inStock;
    }
    if (depth < 2 && offer.offers !== undefined) {
      const inner = offerInfo(offer.offers, depth + 1);
      if (out.price === undefined) Object.assign(out, { price: inner.price, currency: inner.currency ?? out.currency });
      if (inner.inStock !== undefined) out.inStock = out.inStock === true || inner.inStock;
    }
  }
  return out;
}

/** Id candidates of a node, in order: `sku`, `productID`, `@id` (a ProductGroup's `productGroupID` first). */
function idCandidates(node: Node | undefined): string[] {
  if (!node) return [];
  return [str(node.productGroupID), str(node.sku), str(node.productID), str(node['@id'])].filter((c): c is string => !!c);
}

/**
 * The product id: the first candidate that is an id the page itself uses (a `data-product-id` or
 * `data-localrank-page-product`), so the catalog matches the host's markup; else the product's own first one, else
 * its group's.
 * @param own the product's own candidates ({@link idCandidates})
 * @param group its group's candidates, then its `inProductGroupWithID` (none for a `hasVariant` variant)
 */
function productId(own: readonly string[], group: readonly (string | undefined)[], knownIds: ReadonlySet<string>): string | undefined {
  const inherited = group.filter((c): c is string => !!c);
  return [...own, ...inherited].find((c) => knownIds.has(c)) ?? own[0] ?? inherited[0];
}

/** What a variant takes from its ProductGroup (`hasVariant`, `isVariantOf`) when it does not say it itself. */
const FROM_GROUP = ['name', 'brand', 'category', 'image', 'url', 'aggregateRating', 'offers', 'color', 'material'];
/** What a ProductGroup read as one product takes from its first variant (not that variant's colour or offer). */
const FROM_VARIANT = ['name', 'brand', 'category', 'image', 'url'];

/** A Product found on the page, with the node its missing fields come from. */
interface Found {
  readonly node: Node;
  /** A variant's ProductGroup, or the first variant of a group read as one product. */
  readonly parent?: Node;
  /** The fields read from `parent` when `node` lacks them. */
  readonly inherit?: readonly string[];
  /** Offers read instead of the node's own (a group read as one product: all its variants' offers). */
  readonly offers?: unknown;
  /** The group's ids may be this product's (`isVariantOf`; not for `hasVariant`, where the group was considered). */
  readonly groupId?: boolean;
}

/**
 * Converts schema.org `Product` data found on a page — JSON-LD values (`Product`, `ProductGroup`, `ItemList` of
 * `ListItem`s or Products, `@graph`, arrays) or microdata read into the same shape — into native catalog rows for
 * parseCatalog: id (see below), `name` → title, `category` (deepest level of a `A > B` path; else the page's
 * `BreadcrumbList` last level that is not the product; else `"other"`), `brand` (string or Brand/Organization),
 * `image` (URL, list or ImageObject), `url`, offers (`Offer`, a list, `AggregateOffer`'s `lowPrice`;
 * `priceCurrency`; `availability`: OutOfStock, SoldOut, Discontinued → not in stock),
 * `aggregateRating.reviewCount`/`ratingCount` → popularity.
 *
 * Variants: a `ProductGroup` gives one row per `hasVariant` Product, each taking the name, brand, category, image,
 * url, rating and offers it lacks from the group (a Product's `isVariantOf` group likewise) — unless the page uses the
 * group's id (`productGroupID`, …) and none of the variants' ids: then the group is one row, priced by the first
 * offer and in stock when any variant is. A group without variants is one row.
 *
 * Id: `sku`, else `productID`, else `@id` (for an `isVariantOf` variant, its group's `productGroupID`, `sku`,
 * `productID`, `@id` and its own `inProductGroupWithID` after those) — unless one of them is in `knownIds` (ids the
 * page's markup uses), which then wins. Values are not validated here: parseCatalog does it (text caps, unsafe URLs,
 * prices). Pure; never throws on any JSON value; visits at most 5,000 nodes, 8 levels deep, and returns at most 200 rows.
 * @param roots parsed JSON-LD blocks and microdata items of one page
 * @param knownIds product ids the page's markup uses
 */
export function schemaOrgProducts(roots: readonly unknown[], knownIds: ReadonlySet<string> = new Set()): Record<string, unknown>[] {
  const products: Found[] = [];
  let breadcrumb: string[] = [];
  let visited = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || visited >= MAX_NODES || products.length >= MAX_PRODUCTS) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    if (!isNode(value)) return;
    visited++;
    const t = types(value);
    if (t.includes('product')) {
      products.push(isNode(value.isVariantOf) ? { node: value, parent: value.isVariantOf, inherit: FROM_GROUP, groupId: true } : { node: value, groupId: true });
      return;
    }
    if (t.includes('productgroup')) {
      const variants = list(value.hasVariant).slice(0, MAX_NODES).filter((v): v is Node => isNode(v) && types(v).includes('product')).slice(0, MAX_PRODUCTS);
      visited += variants.length;
      const pageUsesGroup = idCandidates(value).some((id) => knownIds.has(id)) && !variants.some((v) => idCandidates(v).some((id) => knownIds.has(id)));
      // The host shows one tile per group (or lists no variants): one product, in stock when any variant is.
      if (variants.length === 0 || pageUsesGroup) {
        products.push({ node: value, parent: variants[0], inherit: FROM_VARIANT, offers: value.offers ?? variants.flatMap((v) => list(v.offers)) });
      } else {
        for (const v of variants) if (products.length < MAX_PRODUCTS) products.push({ node: v, parent: value, inherit: FROM_GROUP });
      }
      return;
    }
    if (t.includes('breadcrumblist')) {
      breadcrumb = list(value.itemListElement)
        .filter(isNode)
        .sort((a, b) => Number(a.position) - Number(b.position))
        .map((e) => named(e.item) ?? str(e.name))
        .filter((n): n is string => !!n);
      return;
    }
    if (value['@graph'] !== undefined) visit(value['@graph'], depth + 1);
    if (t.includes('itemlist') || t.includes('offercatalog')) visit(value.itemListElement, depth + 1);
    if (t.includes('listitem')) visit(value.item, depth + 1);
    // A page (WebPage, CollectionPage) may hold its products under mainEntity.
    if (value.mainEntity !== undefined) visit(value.mainEntity, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return products.map(({ node: own, parent, inherit = [], offers: groupOffers, groupId }) => {
    // A variant lacks what its group says once for all of them (name, brand, category, image …).
    const node: Node = { ...own };
    for (const key of inherit) if (node[key] === undefined || node[key] === null) node[key] = parent?.[key];
    const name = str(node.name);
    const crumbs = breadcrumb.filter((c) => c !== name);
    const offers = offerInfo(groupOffers ?? node.offers);
    const rating = isNode(node.aggregateRating) ? node.aggregateRating : undefined;
    const popularity = rating ? (str(rating.reviewCount) ?? str(rating.ratingCount)) : undefined;
    const attributes = [str(node.color) && `color:${str(node.color)}`, str(node.material) && `material:${str(node.material)}`].filter((a): a is string => !!a);
    return {
      id: productId(idCandidates(own), groupId ? [...idCandidates(parent), str(own.inProductGroupWithID)] : [], knownIds),
      title: name,
      category: categoryLeaf(named(node.category)) ?? crumbs[crumbs.length - 1] ?? 'other',
      ...(named(node.brand) ? { brand: named(node.brand) } : {}),
      ...(offers.price !== undefined ? { price: offers.price } : {}),
      ...(offers.currency ? { currency: offers.currency } : {}),
      ...(offers.inStock !== undefined ? { inStock: offers.inStock } : {}),
      ...(imageUrl(node.image) ? { image: imageUrl(node.image) } : {}),
      ...(str(node.url) ? { url: str(node.url) } : {}),
      ...(popularity ? { popularity } : {}),
      ...(attributes.length ? { attributes } : {}),
    };
  });
}
