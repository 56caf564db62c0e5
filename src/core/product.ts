/**
 * A catalog product as LocalRank uses it after validation (see `parseCatalog`).
 * Only `id`, `title` and `category` are required in the shop's catalog; the rest get defaults.
 */
export interface Product {
  /** Stable product id, the same string the host page puts in `data-product-id`. */
  readonly id: string;
  /** Display title. Always rendered as text, never as HTML. */
  readonly title: string;
  /** Category path or name, e.g. `"skincare"`; used for affinity and diversity. */
  readonly category: string;
  /** Brand name; empty string when unknown. */
  readonly brand: string;
  /** Price in major units (e.g. 12.5); `undefined` when the catalog gives none. */
  readonly price: number | undefined;
  /** ISO 4217 currency code, e.g. `"EUR"`; `undefined` when unknown. */
  readonly currency: string | undefined;
  /** Image URL, already checked to be http(s) or relative; `undefined` when missing or unsafe. */
  readonly image: string | undefined;
  /** Product page URL, already checked to be http(s) or relative; `undefined` when missing or unsafe. */
  readonly url: string | undefined;
  /** Whether the product can be bought now. Defaults to `true`. */
  readonly inStock: boolean;
  /** Non-negative catalog popularity (sales, views, any scale). Defaults to 0. */
  readonly popularity: number;
  /** Optional attribute ids or names (material, sub-category, colour …); used by the model as content features. */
  readonly attributes?: readonly string[];
}
