import { describe, expect, it } from 'vitest';
import { buildProfile } from './build-profile';
import { defaultSchema } from './feature-schema';
import { featurize, itemIds, shopperContext } from './featurize';
import { interaction, product } from './test-fixtures';

describe('featurize', () => {
  const catalog = [product('a', 'audio', { title: 'Sono speaker black', brand: 'Sono' }), product('b', 'books', { title: 'Rose garden novel' })];
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const NOW = 1_800_000_000_000;
  const profile = buildProfile([interaction('click', 'a', NOW), interaction('search', undefined, NOW, { context: { page: 'search', query: 'rose' } })], [], byId, NOW, 14 * 86_400_000);

  it('gives the same batch when the same products are featurised again (cached item ids)', () => {
    const schema = defaultSchema(['audio', 'books']);
    const ctx = shopperContext(profile, byId, schema);
    const first = featurize(catalog, ctx, schema);
    const again = featurize(catalog, ctx, schema);
    expect(again).toEqual(first);
    expect(first.item.slice(0, 13)).toEqual(itemIds(catalog[0]!, schema));
  });

  it('keeps item ids per schema: another vocabulary hashes the same product differently', () => {
    const small = { ...defaultSchema(['audio', 'books']), vocab: 64 };
    const big = defaultSchema(['audio', 'books']);
    const a = featurize(catalog, shopperContext(profile, byId, small), small);
    const b = featurize(catalog, shopperContext(profile, byId, big), big);
    expect(Math.max(...a.item)).toBeLessThan(64);
    expect(b.item).toEqual(Int32Array.from([...itemIds(catalog[0]!, big), ...itemIds(catalog[1]!, big)]));
  });
});
