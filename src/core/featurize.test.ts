import { describe, expect, it } from 'vitest';
import { buildProfile } from './build-profile';
import { DEFAULT_HEURISTIC_WEIGHTS, heuristicScore, signalsFor } from './create-heuristic-ranker';
import type { FeatureSchema } from './feature-schema';
import { defaultSchema } from './feature-schema';
import type { ShopperContext } from './featurize';
import { createFeatureBuffers, featurize, itemIds, shopperContext, titleTokens, warmItemFeatures } from './featurize';
import { buildNeighbourIndex, NEIGHBOUR_FEATURES } from './neighbour-index';
import type { Product } from './product';
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

/**
 * The dense features written the plain way, one map lookup per string, as `featurize` computed them before it
 * compared tokens by number and reused its arrays: the oracle the fast path must match exactly.
 */
function referenceDense(candidates: readonly Product[], ctx: ShopperContext, schema: FeatureSchema, normaliseOver: readonly Product[]): Float32Array {
  const d = schema.dense.length;
  const dense = new Float32Array(candidates.length * d);
  const signals = signalsFor(ctx.profile, normaliseOver);
  const tokenMax = Math.max(0, ...ctx.tokenWeights.values());
  const attrMax = Math.max(0, ...ctx.attributeWeights.values());
  const logScaled = new Set(['stage1', 'knn_recent', 'knn_all', 'trans_recent']);
  candidates.forEach((p, i) => {
    const s = signals(p);
    let overlap = 0;
    if (tokenMax > 0) for (const t of titleTokens(p.title, schema.tokens)) overlap += (ctx.tokenWeights.get(t) ?? 0) / tokenMax;
    if (attrMax > 0) for (const a of p.attributes ?? []) overlap += (ctx.attributeWeights.get(a) ?? 0) / attrMax;
    const nb = ctx.neighbours.get(p.id) ?? new Float32Array(NEIGHBOUR_FEATURES.length);
    const count = ctx.index.counts.get(p.id) ?? 0;
    const row = [
      heuristicScore(s, DEFAULT_HEURISTIC_WEIGHTS),
      s.category,
      s.brand,
      s.product,
      s.query,
      s.popularity,
      Math.min(1, Math.log1p(ctx.profile.seenNotClicked.get(p.id) ?? 0) / 3),
      ctx.profile.clicked.has(p.id) ? 1 : 0,
      ctx.profile.carted.has(p.id) ? 1 : 0,
      ctx.lastCategory === p.category ? 1 : 0,
      ctx.recentCategories.has(p.category) ? 1 : 0,
      ctx.refPrice !== undefined && p.price !== undefined && p.price > 0 && ctx.refPrice > 0
        ? Math.max(0, 1 - Math.abs(Math.log(p.price / ctx.refPrice)) / Math.log(4))
        : 0,
      Math.min(1, overlap / 2),
      ...NEIGHBOUR_FEATURES.map((name, k) => (logScaled.has(name) ? Math.log1p(nb[k]!) : nb[k]!)),
      ctx.stage1Max > 0 ? nb[0]! / ctx.stage1Max : 0,
      ctx.index.maxCount > 0 ? Math.log1p(count) / Math.log1p(ctx.index.maxCount) : 0,
    ];
    dense.set(row, i * d);
  });
  return dense;
}

describe('featurize against the plain computation', () => {
  const NOW = 1_800_000_000_000;
  const DAY = 86_400_000;
  const titles = ['Rose serum with vitamin C 30 ml', 'Trail shoes 42 grey', 'Rose and oud eau de parfum', 'Coffee beans dark roast 1 kg', 'Gooseneck kettle 1 l', 'Serum roller rose quartz'];
  const categories = ['skincare', 'running', 'fragrance', 'coffee-tea', 'kitchen', 'skincare'];
  // Products are made per test: item features are cached per product object, and each test starts without them.
  const makeCatalog = (): Product[] =>
    Array.from({ length: 30 }, (_, i) =>
      product(`p${i}`, categories[i % 6]!, {
        title: `${titles[i % 6]} ${['no', 'pro', 'mini'][i % 3]}`,
        brand: i % 4 === 0 ? '' : `brand${i % 5}`,
        price: i % 7 === 0 ? undefined : 4 + i * 3,
        popularity: (i * 37) % 11,
        inStock: i % 9 !== 0,
        ...(i % 2 === 0 ? { attributes: ['vegan', i % 4 === 0 ? 'refill' : 'travel', 'vegan'] } : {}),
      }),
    );
  const history = (catalog: readonly Product[]) => [
    interaction('impression', 'p1', NOW - 5 * DAY),
    interaction('impression', 'p1', NOW - 4 * DAY),
    interaction('impression', 'p7', NOW - 4 * DAY),
    interaction('click', 'p0', NOW - 3 * DAY),
    interaction('click', 'p2', NOW - 2 * DAY),
    interaction('add-to-cart', 'p2', NOW - 2 * DAY),
    interaction('click', 'p8', NOW - DAY),
    interaction('search', undefined, NOW - DAY, { context: { page: 'search', query: 'rose serum' } }),
    interaction('search', undefined, NOW - 1000, { context: { page: 'search', query: 'oud kettle' } }),
    ...catalog.slice(20, 24).map((p, i) => interaction('click', p.id, NOW - 10_000 + i)),
  ];
  const indexA = buildNeighbourIndex([['p0', 'p2', 'p4', 'p6'], ['p2', 'p6', 'p10'], ['p8', 'p12', 'p2'], ['p20', 'p21', 'p3'], ['p4', 'p5']]);
  const indexB = buildNeighbourIndex([['p1', 'p3'], ['p3', 'p5', 'p7', 'p9'], ['p21', 'p22', 'p23', 'p9']]);

  it('writes every dense feature exactly as the plain computation, through cached items, a second index and reused arrays', () => {
    const catalog = makeCatalog();
    const byId = new Map(catalog.map((p) => [p.id, p]));
    const schema = defaultSchema(categories);
    // Half the products get their cached item features before the shopper's tokens exist (codes made in either order).
    warmItemFeatures(catalog.slice(0, 15), schema);
    const profile = buildProfile(history(catalog), [], byId, NOW, 14 * DAY);
    expect(profile.queryTokens.size).toBeGreaterThan(0);
    // A second shopper row: the lent buffers' repeated shopper row must be written again for it.
    const other = buildProfile(history(catalog).slice(3, 7), [], byId, NOW, 14 * DAY);
    expect(shopperContext(other, byId, schema).userIds).not.toEqual(shopperContext(profile, byId, schema).userIds);
    const buffers = createFeatureBuffers();
    for (const [shopper, index] of [[profile, indexA], [profile, indexB], [other, indexA], [profile, indexA]] as const) {
      const ctx = shopperContext(shopper, byId, schema, index);
      expect(ctx.neighbours.size).toBeGreaterThan(0);
      for (const list of [catalog.slice(3, 11), catalog, catalog.slice().reverse()]) {
        const expected = referenceDense(list, ctx, schema, list);
        const fresh = featurize(list, ctx, schema, list);
        const reused = featurize(list, ctx, schema, list, buffers);
        expect(fresh.dense).toEqual(expected);
        expect(reused.dense).toEqual(expected);
        expect(reused.item).toEqual(fresh.item);
        expect(reused.user).toEqual(fresh.user);
        expect(reused.size).toBe(list.length);
        // Features that only some candidates have are really exercised.
        const d = schema.dense.length;
        const column = (k: number) => Array.from({ length: list.length }, (_, i) => expected[i * d + k]!);
        if (list.length === catalog.length && shopper === profile) for (const k of [1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, d - 1]) expect(column(k).some((v) => v !== 0), `feature ${k}`).toBe(true);
      }
    }
  });

  it('stays exact for products on every page of its shared arrays (2,100 products: three pages)', () => {
    // Item features live in pages of arrays shared by 1,024 products each: every product must read its own numbers,
    // on the first page as on the last, whichever order they were featurised in.
    const catalog = Array.from({ length: 2100 }, (_, i) =>
      product(`g${i}`, categories[i % 6]!, {
        title: `${titles[i % 6]} edition${i} shade${i % 37}`,
        brand: i % 4 === 0 ? '' : `brand${i % 9}`,
        price: 5 + (i % 50),
        popularity: i % 13,
        attributes: [`size${i % 5}`, i % 2 === 0 ? 'vegan' : `batch${i}`],
      }),
    );
    const byId = new Map(catalog.map((p) => [p.id, p]));
    const schema = defaultSchema(categories);
    warmItemFeatures(catalog.slice(0, 700), schema);
    const events = [
      interaction('click', 'g3', NOW - DAY),
      interaction('click', 'g1500', NOW - 1000),
      interaction('search', undefined, NOW - 500, { context: { page: 'search', query: 'edition42 rose' } }),
    ];
    const ctx = shopperContext(buildProfile(events, [], byId, NOW, 14 * DAY), byId, schema, indexA);
    const list = catalog.slice().reverse();
    const batch = featurize(list, ctx, schema, list);
    expect(batch.dense).toEqual(referenceDense(list, ctx, schema, list));
    const fields = batch.item.length / list.length;
    list.forEach((p, i) => expect(batch.item.slice(i * fields, (i + 1) * fields), p.id).toEqual(itemIds(p, schema)));
    // Again, every product's features read back from the grown arrays.
    expect(featurize(catalog, ctx, schema, list).dense).toEqual(referenceDense(catalog, ctx, schema, list));
  });

  it('normalises popularity over the products it is given', () => {
    const catalog = makeCatalog();
    const byId = new Map(catalog.map((p) => [p.id, p]));
    const schema = defaultSchema(categories);
    const ctx = shopperContext(buildProfile(history(catalog), [], byId, NOW, 14 * DAY), byId, schema, indexA);
    const few = catalog.slice(0, 4);
    expect(featurize(few, ctx, schema, catalog).dense).toEqual(referenceDense(few, ctx, schema, catalog));
    expect(featurize(few, ctx, schema, catalog).dense).not.toEqual(featurize(few, ctx, schema, few).dense);
  });
});
