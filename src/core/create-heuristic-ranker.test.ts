import { describe, expect, it, vi } from 'vitest';
import { buildProfile, EMPTY_PROFILE } from './build-profile';
import { createHeuristicRanker } from './create-heuristic-ranker';
import { interaction, product } from './test-fixtures';
import { tokenize } from './tokenize';

// Counts tokenizing (it still tokenizes): a shopper without searches should cost none (see the last test).
vi.mock('./tokenize', async (original) => {
  const real = await original<typeof import('./tokenize')>();
  return { tokenize: vi.fn(real.tokenize) };
});

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const HALF_LIFE = 14 * DAY;

const catalog = [
  product('a1', 'audio', { popularity: 900, brand: 'Sono' }),
  product('a2', 'audio', { popularity: 10, brand: 'Sono' }),
  product('a3', 'audio', { popularity: 5 }),
  product('a4', 'audio', { popularity: 4 }),
  product('k1', 'kitchen', { popularity: 1000 }),
  product('k2', 'kitchen', { popularity: 800 }),
  product('k3', 'kitchen', { popularity: 700, inStock: false }),
  product('b1', 'books', { popularity: 600 }),
  product('b2', 'books', { popularity: 500 }),
];
const byId = new Map(catalog.map((p) => [p.id, p]));
const ranker = createHeuristicRanker();
const ids = (items: { product: { id: string } }[]): string[] => items.map((i) => i.product.id);

describe('heuristic ranker', () => {
  it('cold start orders by popularity and skips out-of-stock items', () => {
    const out = ranker.rank({ mode: 'for-you', candidates: catalog, profile: EMPTY_PROFILE, now: NOW, limit: 5, maxSameCategory: 0 });
    expect(ids(out)).toEqual(['k1', 'a1', 'k2', 'b1', 'b2']);
    expect(out.every((i) => i.product.inStock)).toBe(true);
    expect(out[0]!.reason.kind).toBe('popular-in');
  });

  it('moves the category the shopper engaged with to the front and explains why', () => {
    const events = [
      interaction('click', 'a3', NOW - 1000),
      interaction('dwell', 'a3', NOW - 900, { dwellMs: 20_000 }),
      interaction('add-to-cart', 'a4', NOW - 500),
    ];
    const profile = buildProfile(events, [], byId, NOW, HALF_LIFE);
    const out = ranker.rank({ mode: 'for-you', candidates: catalog, profile, now: NOW, limit: 4, maxSameCategory: 2 });
    expect(out[0]!.product.category).toBe('audio');
    expect(out[1]!.product.category).toBe('audio');
    // diversity: the third slot breaks the run
    expect(out[2]!.product.category).not.toBe('audio');
    const fresh = out.find((i) => i.product.category === 'audio' && !['a3', 'a4'].includes(i.product.id))!;
    expect(fresh.reason).toEqual({ kind: 'viewed', subject: 'Product a4' }); // the cart add is the strongest signal
    expect(out.map((i) => i.product.id)).not.toContain('a3'); // already viewed: not "for you"
    expect(out.map((i) => i.product.id)).not.toContain('a4');
  });

  it('weights purchase > cart > click > dwell > impression', () => {
    const score = (type: Parameters<typeof interaction>[0]): number => {
      const p = buildProfile([interaction(type, 'a1', NOW, type === 'dwell' ? { dwellMs: 60_000 } : {})], [], byId, NOW, HALF_LIFE);
      return p.categoryAffinity.get('audio') ?? 0;
    };
    expect(score('purchase')).toBeGreaterThan(score('add-to-cart'));
    expect(score('add-to-cart')).toBeGreaterThan(score('click'));
    expect(score('click')).toBeGreaterThan(score('dwell'));
    expect(score('dwell')).toBeGreaterThan(score('impression'));
    expect(score('impression')).toBeLessThan(0);
  });

  it('decays old interest: a recent click outweighs an older one of the same kind', () => {
    const events = [interaction('click', 'k2', NOW - 60 * DAY), interaction('click', 'b2', NOW - DAY)];
    const profile = buildProfile(events, [], byId, NOW, HALF_LIFE);
    expect(profile.categoryAffinity.get('books')!).toBeGreaterThan(profile.categoryAffinity.get('kitchen')! * 4);
  });

  it('excludes purchased items from recommendations', () => {
    const profile = buildProfile([interaction('purchase', 'k1', NOW)], [], byId, NOW, HALF_LIFE);
    const out = ranker.rank({ mode: 'for-you', candidates: catalog, profile, now: NOW, limit: 9 });
    expect(ids(out)).not.toContain('k1');
    expect(ids(out)).not.toContain('k3');
  });

  it('does not count an impression against a product the shopper clicked', () => {
    const withClick = buildProfile([interaction('impression', 'b1', NOW), interaction('click', 'b1', NOW)], [], byId, NOW, HALF_LIFE);
    const clickOnly = buildProfile([interaction('click', 'b1', NOW)], [], byId, NOW, HALF_LIFE);
    expect(withClick.productAffinity.get('b1')).toBeCloseTo(clickOnly.productAffinity.get('b1')!);
  });

  it('rerank returns every item once, keeps host order without history, and puts out-of-stock last', () => {
    const list = [byId.get('k3')!, byId.get('b2')!, byId.get('a4')!, byId.get('k1')!];
    const cold = ranker.rank({ mode: 'rerank', candidates: list, profile: EMPTY_PROFILE, now: NOW });
    expect(ids(cold)).toEqual(['b2', 'a4', 'k1', 'k3']);
    const profile = buildProfile([interaction('add-to-cart', 'k2', NOW)], [], byId, NOW, HALF_LIFE);
    const warm = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW });
    expect(ids(warm)).toEqual(['k1', 'b2', 'a4', 'k3']);
    const plain = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW, explain: false });
    expect(ids(plain)).toEqual(ids(warm));
    expect(plain.map((r) => r.reason.kind)).toEqual(['popular', 'popular', 'popular', 'popular']);
  });

  it('similar favours the anchor category and brand and never returns the anchor', () => {
    const out = ranker.rank({ mode: 'similar', candidates: catalog, profile: EMPTY_PROFILE, now: NOW, anchor: byId.get('a1'), limit: 3 });
    expect(ids(out)).not.toContain('a1');
    expect(out[0]!.product.id).toBe('a2'); // same category and brand
    expect(out.every((i) => i.product.category === 'audio')).toBe(true);
  });

  it('recently-viewed lists viewed products newest first', () => {
    const events = [interaction('click', 'b1', NOW - 3000), interaction('click', 'a2', NOW - 2000), interaction('impression', 'k2', NOW - 1000)];
    const profile = buildProfile(events, [], byId, NOW, HALF_LIFE);
    const out = ranker.rank({ mode: 'recently-viewed', candidates: catalog, profile, now: NOW, limit: 5 });
    expect(ids(out)).toEqual(['a2', 'b1']);
  });

  it('recently-viewed leaves out products out of stock, purchased, or not among the candidates, and stops at the limit', () => {
    const cat = ['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => product(id, 'misc', { inStock: id !== 'v2' }));
    const all = new Map(cat.map((p) => [p.id, p]));
    const events = ['v1', 'v2', 'v3', 'v4', 'v5'].map((id, i) => interaction('click', id, NOW - 5000 + i * 1000));
    const profile = buildProfile([...events, interaction('purchase', 'v4', NOW)], [], all, NOW, HALF_LIFE);
    const candidates = cat.filter((p) => p.id !== 'v5');
    expect(ids(ranker.rank({ mode: 'recently-viewed', candidates, profile, now: NOW, limit: 5 }))).toEqual(['v3', 'v1']);
    expect(ids(ranker.rank({ mode: 'recently-viewed', candidates, profile, now: NOW, limit: 1 }))).toEqual(['v3']);
  });

  it('search queries raise products whose titles match', () => {
    const cat = [product('x1', 'misc', { title: 'Green tea', popularity: 1 }), product('x2', 'misc', { title: 'Black coffee', popularity: 2 })];
    const profile = buildProfile([interaction('search', undefined, NOW, { context: { page: 'search', query: 'tea' } })], [], new Map(cat.map((p) => [p.id, p])), NOW, HALF_LIFE);
    const out = ranker.rank({ mode: 'for-you', candidates: cat, profile, now: NOW, limit: 2, maxSameCategory: 0 });
    expect(ids(out)).toEqual(['x1', 'x2']);
    expect(out[0]!.reason.kind).toBe('search');
  });

  it('tokenizes no title for a shopper who never searched, and tokenizes once one has', () => {
    const cat = [product('x1', 'misc', { title: 'Green tea', popularity: 1 }), product('x2', 'misc', { title: 'Black coffee', popularity: 2 })];
    const count = vi.mocked(tokenize);
    count.mockClear();
    for (const mode of ['for-you', 'trending'] as const) ranker.rank({ mode, candidates: cat, profile: EMPTY_PROFILE, now: NOW, limit: 2 });
    ranker.rank({ mode: 'rerank', candidates: cat, profile: EMPTY_PROFILE, now: NOW });
    expect(count).not.toHaveBeenCalled();
    const profile = buildProfile([interaction('search', undefined, NOW, { context: { page: 'search', query: 'tea' } })], [], new Map(cat.map((p) => [p.id, p])), NOW, HALF_LIFE);
    count.mockClear();
    const out = ranker.rank({ mode: 'for-you', candidates: cat, profile, now: NOW, limit: 2, maxSameCategory: 0 });
    expect(count.mock.calls.map((c) => c[0])).toEqual(['Green tea', 'Black coffee']);
    expect(ids(out)).toEqual(['x1', 'x2']);
  });
  it('for you prepared ahead in parts ranks the same, half-way or whole; another request does not use it', () => {
    const cats = ['audio', 'books', 'kitchen', 'garden'];
    const big = Array.from({ length: 420 }, (_, i) =>
      product(`p${i}`, cats[i % 4]!, { popularity: (i * 37) % 101, brand: i % 3 === 0 ? 'Sono' : undefined, inStock: i % 17 !== 0 }),
    );
    const bigById = new Map(big.map((p) => [p.id, p]));
    const events = [interaction('click', 'p5', NOW - DAY), interaction('add-to-cart', 'p10', NOW), interaction('purchase', 'p14', NOW), interaction('click', 'p22', NOW)];
    const profile = buildProfile(events, [], bigById, NOW, HALF_LIFE);
    const request = { mode: 'for-you' as const, candidates: big, profile, now: NOW, limit: 12, maxSameCategory: 2 };
    const whole = createHeuristicRanker().rank(request);
    expect(whole).toHaveLength(12);
    const split = createHeuristicRanker();
    // The candidates, their scores 150 at a time, their order: a part per call until nothing is left.
    let parts = 0;
    while (parts < 100 && split.prepare!({ request: { ...request, now: NOW + parts } }) === true) parts++;
    expect(parts).toBeGreaterThanOrEqual(4);
    expect(parts).toBeLessThan(100);
    expect(split.prepare!({ request })).toBe(false);
    // Another kind of ranking in between keeps it.
    split.rank({ ...request, mode: 'trending' });
    expect(split.prepare!({ request })).toBe(false);
    expect(split.rank({ ...request, now: NOW + 16 })).toEqual(whole);
    // Used once: the next call starts over.
    expect(split.prepare!({ request })).toBe(true);
    // Half-way (candidates and one slice of scores): the ranking scores the rest, the same.
    expect(split.prepare!({ request })).toBe(true);
    expect(split.rank(request)).toEqual(whole);
    // A longer head (120 items) is explained 50 at a time: stopped at any part, the ranking is the same.
    const longer = { ...request, limit: 30 };
    const wholeLonger = createHeuristicRanker().rank(longer);
    let all = 0;
    while (all < 100 && split.prepare!({ request: longer }) === true) all++;
    expect(split.rank(longer)).toEqual(wholeLonger);
    for (let stop = 1; stop <= all; stop++) {
      for (let i = 0; i < stop; i++) split.prepare!({ request: longer });
      expect(split.rank(longer)).toEqual(wholeLonger);
    }
    // Prepared for one request, ranking another: each as if never prepared.
    for (const other of [
      { ...request, profile: buildProfile([interaction('click', 'p7', NOW)], [], bigById, NOW, HALF_LIFE) },
      { ...request, limit: 5 },
      { ...request, maxSameCategory: 0 },
      { ...request, anchor: whole[0]!.product },
      { ...request, candidates: big.slice(0, 300) },
    ]) {
      for (let i = 0; i < 100 && split.prepare!({ request }) === true; i++);
      expect(split.rank(other)).toEqual(createHeuristicRanker().rank(other));
    }
  });

  it('trending and similar prepared ahead in parts rank the same, stopped at any part; for you is not used for them', () => {
    const cats = ['audio', 'books', 'kitchen', 'garden'];
    const big = Array.from({ length: 420 }, (_, i) =>
      product(`p${i}`, cats[i % 4]!, { popularity: (i * 37) % 101, brand: i % 3 === 0 ? 'Sono' : undefined, inStock: i % 17 !== 0, price: 5 + (i % 40) }),
    );
    const bigById = new Map(big.map((p) => [p.id, p]));
    const events = [interaction('click', 'p5', NOW - DAY), interaction('add-to-cart', 'p10', NOW), interaction('purchase', 'p14', NOW)];
    const profile = buildProfile(events, [], bigById, NOW, HALF_LIFE);
    const requests = [
      { mode: 'trending' as const, candidates: big, profile, now: NOW, limit: 12, maxSameCategory: 2 },
      { mode: 'similar' as const, candidates: big, profile, now: NOW, limit: 12, maxSameCategory: 2, anchor: big[5]! },
      { mode: 'similar' as const, candidates: big, profile, now: NOW, limit: 12, maxSameCategory: 2 },
    ];
    for (const request of requests) {
      const whole = createHeuristicRanker().rank(request);
      expect(whole).toHaveLength(12);
      const split = createHeuristicRanker();
      let parts = 0;
      while (parts < 100 && split.prepare!({ request }) === true) parts++;
      // The candidates, their scores 150 at a time, the head: more than one part, and an end.
      expect(parts).toBeGreaterThanOrEqual(4);
      expect(parts).toBeLessThan(100);
      expect(split.rank(request)).toEqual(whole);
      for (let stop = 0; stop <= parts; stop++) {
        for (let i = 0; i < stop; i++) split.prepare!({ request });
        expect(split.rank(request)).toEqual(whole);
      }
      // Prepared for For you, ranking this one: as if never prepared.
      const forYou = { ...request, mode: 'for-you' as const, anchor: undefined };
      for (let i = 0; i < 100 && split.prepare!({ request: forYou }) === true; i++);
      expect(split.rank(request)).toEqual(whole);
    }
  });

  it('leaves out the excluded ids (Trending beside For you), prepared or not; a preparation for other ids is not used', () => {
    const cats = ['audio', 'books', 'kitchen', 'garden'];
    const big = Array.from({ length: 420 }, (_, i) => product(`p${i}`, cats[i % 4]!, { popularity: (i * 37) % 101, inStock: i % 17 !== 0 }));
    const request = { mode: 'trending' as const, candidates: big, profile: EMPTY_PROFILE, now: NOW, limit: 12, maxSameCategory: 2 };
    const unexcluded = createHeuristicRanker().rank(request);
    const exclude = new Set(ids(unexcluded).slice(0, 6));
    const whole = createHeuristicRanker().rank({ ...request, exclude });
    expect(whole).toHaveLength(12);
    expect(ids(whole).filter((id) => exclude.has(id))).toEqual([]);
    // The order a filtered copy of the candidates gives (what the runtime ranked before `exclude`). The scores differ
    // a little: popularity is now scaled by the whole catalog's most popular product, excluded or not.
    expect(ids(whole)).toEqual(ids(createHeuristicRanker().rank({ ...request, candidates: big.filter((p) => !exclude.has(p.id)) })));
    const split = createHeuristicRanker();
    for (let i = 0; i < 100 && split.prepare!({ request: { ...request, exclude } }) === true; i++);
    expect(split.rank({ ...request, exclude })).toEqual(whole);
    // Prepared with these ids, ranked with none or with others: those rankings, not the prepared one.
    for (let i = 0; i < 100 && split.prepare!({ request: { ...request, exclude } }) === true; i++);
    expect(split.rank(request)).toEqual(unexcluded);
    const others = new Set(ids(unexcluded).slice(6, 9));
    for (let i = 0; i < 100 && split.prepare!({ request: { ...request, exclude } }) === true; i++);
    expect(ids(split.rank({ ...request, exclude: others })).filter((id) => others.has(id))).toEqual([]);
  });
});
