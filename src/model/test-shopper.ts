import { createRandom } from '../core/create-random';
import type { Interaction } from '../core/interaction';
import type { Product } from '../core/product';

/** A small synthetic catalog for model tests: `perCategory` products in each of 5 categories. */
export function testCatalog(perCategory = 20): Product[] {
  const cats = ['audio', 'books', 'kitchen', 'garden', 'toys'];
  const brands = ['Acme', 'Bolt', 'Crest', 'Dune'];
  const words = ['red', 'blue', 'mini', 'pro', 'classic', 'eco', 'smart', 'travel'];
  const out: Product[] = [];
  cats.forEach((category, c) => {
    for (let i = 0; i < perCategory; i++) {
      const id = `${category}-${i}`;
      out.push({
        id,
        title: `${brands[(i + c) % 4]} ${words[i % 8]} ${words[(i * 3 + c) % 8]} ${category} item`,
        category,
        brand: brands[(i + c) % 4]!,
        price: 5 + ((i * 7 + c * 13) % 90),
        currency: 'EUR',
        image: undefined,
        url: undefined,
        inStock: true,
        popularity: (i * 37 + c * 11) % 100,
        attributes: [`line-${(i + c) % 3}`, `material-${i % 5}`],
      });
    }
  });
  return out;
}

/**
 * A synthetic shopper who likes one category: sees random products, clicks mostly `liked` ones, sometimes carts.
 * Deterministic for a seed.
 */
export function testShopper(catalog: readonly Product[], liked: string, n: number, seed: number, start = 1_700_000_000_000): Interaction[] {
  const random = createRandom(seed);
  const events: Interaction[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    t += 20_000 + Math.floor(random() * 60_000);
    const p = catalog[Math.floor(random() * catalog.length)]!;
    events.push({ type: 'impression', productId: p.id, time: t, context: { page: 'category' } });
    const wants = p.category === liked ? 0.7 : 0.05;
    if (random() < wants) {
      events.push({ type: 'click', productId: p.id, time: t + 1000, context: { page: 'category' } });
      if (random() < 0.3) events.push({ type: 'add-to-cart', productId: p.id, time: t + 5000, context: { page: 'product' } });
    }
  }
  return events;
}
