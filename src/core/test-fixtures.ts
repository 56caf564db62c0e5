import type { Interaction, InteractionType } from './interaction';
import type { Product } from './product';

/** Builds a product for unit tests. */
export function product(id: string, category: string, extra: Partial<Product> = {}): Product {
  return {
    id,
    title: `Product ${id}`,
    category,
    brand: '',
    price: 10,
    currency: 'EUR',
    image: undefined,
    url: undefined,
    inStock: true,
    popularity: 0,
    ...extra,
  };
}

/** Builds an interaction for unit tests. */
export function interaction(type: InteractionType, productId: string | undefined, time: number, extra: Partial<Interaction> = {}): Interaction {
  return { type, ...(productId ? { productId } : {}), time, context: { page: 'test' }, ...extra };
}
