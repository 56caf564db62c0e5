import type { Product } from './product';

/**
 * A product known only from interaction data (no catalog row): an id, optionally a category, attribute ids and a
 * popularity count; no title, brand, price or links, in stock. What the base-model trainer and the evaluator use
 * when a shop's history comes without a LocalRank catalog.
 */
export function historyProduct(id: string, fields: Partial<Pick<Product, 'title' | 'category' | 'popularity' | 'attributes'>> = {}): Product {
  return {
    id,
    title: fields.title ?? '',
    category: fields.category ?? '',
    brand: '',
    price: undefined,
    currency: undefined,
    image: undefined,
    url: undefined,
    inStock: true,
    popularity: fields.popularity ?? 0,
    attributes: fields.attributes,
  };
}
