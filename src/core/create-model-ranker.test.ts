import { describe, expect, it, vi } from 'vitest';
import { buildProfile } from './build-profile';
import { createHeuristicRanker } from './create-heuristic-ranker';
import { createModelRanker } from './create-model-ranker';
import { weightNames } from './create-scorer';
import { checkSchemaFits, defaultSchema, schemaHash, sparseFields } from './feature-schema';
import { buildNeighbourIndex } from './neighbour-index';
import { UNEXPLAINED } from './ranker';
import { interaction, product } from './test-fixtures';

const schema = defaultSchema(['audio', 'books', 'kitchen']);
const catalog = [
  ...Array.from({ length: 10 }, (_, i) => product(`a${i}`, 'audio', { popularity: i, title: `Sono speaker ${i}` })),
  ...Array.from({ length: 10 }, (_, i) => product(`b${i}`, 'books', { popularity: 50 + i, title: `Novel ${i}` })),
  product('k0', 'kitchen', { popularity: 999, inStock: false }),
];
const byId = new Map(catalog.map((p) => [p.id, p]));

/** Weights of the right shapes whose score is simply dense feature `feature` (a checkable model). */
function heuristicLikeWeights(feature = 0): Record<string, Float32Array> {
  const fields = sparseFields(schema);
  const input = 3 * fields * schema.dim + schema.dense.length;
  const [h1, h2] = schema.hidden as [number, number];
  const w: Record<string, Float32Array> = {};
  const names = weightNames(schema);
  w[names[0]!] = new Float32Array(schema.vocab * schema.dim);
  const k1 = new Float32Array(input * h1);
  k1[(3 * fields * schema.dim + feature) * h1 + 0] = 1; // dense[feature] (default: heuristic) → unit 0
  w[names[1]!] = k1;
  w[names[2]!] = new Float32Array(h1).fill(0);
  w[names[2]!]![0] = 5; // keep unit 0 in ReLU's linear range
  const k2 = new Float32Array(h1 * h2);
  k2[0] = 1;
  w[names[3]!] = k2;
  w[names[4]!] = new Float32Array(h2);
  w[names[5]!] = new Float32Array(h2).fill(0);
  w[names[5]!]![0] = 1;
  w[names[6]!] = new Float32Array(1);
  w[names[7]!] = new Float32Array(schema.dense.length); // wide term off: the score is exactly the chosen feature
  return w;
}

describe('model ranker', () => {
  const NOW = 1_800_000_000_000;
  const profile = buildProfile([interaction('click', 'a3', NOW), interaction('purchase', 'a4', NOW)], [], byId, NOW, 14 * 86_400_000);
  const ranker = createModelRanker({ weights: heuristicLikeWeights(), schema, catalog: byId, fallback: createHeuristicRanker() });

  it('keeps the business rules: no out-of-stock or purchased items, diversity', () => {
    const out = ranker.rank({ mode: 'for-you', candidates: catalog, profile, now: NOW, limit: 8, maxSameCategory: 2 });
    const ids = out.map((r) => r.product.id);
    expect(ids).not.toContain('k0');
    expect(ids).not.toContain('a4');
    expect(out[0]!.product.category).toBe('audio');
    for (let i = 2; i < out.length; i++) {
      const run = out.slice(i - 2, i + 1).map((r) => r.product.category);
      expect(new Set(run).size).toBeGreaterThan(1);
    }
    expect(out.every((r) => typeof r.reason.kind === 'string')).toBe(true);
  });

  it('rerank returns every item once, out-of-stock last, and is deterministic', () => {
    const list = [byId.get('k0')!, ...catalog.slice(0, 20)];
    const a = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW }).map((r) => r.product.id);
    const b = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW }).map((r) => r.product.id);
    expect([...a].sort()).toEqual(list.map((p) => p.id).sort());
    expect(a.at(-1)).toBe('k0');
    expect(a).toEqual(b);
  });

  it('rerank without explanations ranks the same, with the one placeholder reason', () => {
    const list = [byId.get('k0')!, ...catalog.slice(0, 20)];
    const explained = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW });
    const plain = ranker.rank({ mode: 'rerank', candidates: list, profile, now: NOW, explain: false });
    expect(plain.map((r) => [r.product.id, r.score])).toEqual(explained.map((r) => [r.product.id, r.score]));
    expect(plain.every((r) => r.reason === UNEXPLAINED)).toBe(true);
    expect(explained.some((r) => r.reason !== UNEXPLAINED)).toBe(true);
  });

  it('for you prepared ahead ranks the same, without asking stage 1 again; a new profile or limit does not use the old pool', () => {
    const heuristic = createHeuristicRanker();
    let stage1Calls = 0;
    const counting = { name: 'heuristic', rank: (r: Parameters<typeof heuristic.rank>[0]) => (stage1Calls++, heuristic.rank(r)) };
    const split = createModelRanker({ weights: heuristicLikeWeights(), schema, catalog: byId, fallback: counting, prepareRows: 5 });
    const request = { mode: 'for-you' as const, candidates: catalog, profile, now: NOW, limit: 8, maxSameCategory: 2 };
    const whole = ranker.rank(request);
    // A part per call: the pool, then slices of its scores, until there is nothing left.
    let parts = 0;
    while (split.prepare!({ request }) === true) parts++;
    expect(parts).toBeGreaterThanOrEqual(3);
    expect(split.prepare!({ request })).toBe(false);
    expect(stage1Calls).toBe(1);
    expect(split.rank({ ...request, now: NOW + 16 })).toEqual(whole);
    expect(stage1Calls).toBe(1);
    // Half-way (the pool and one slice scored): the ranking scores the rest, the same.
    split.prepare!({ request });
    expect(split.prepare!({ request })).toBe(true);
    expect(split.rank(request)).toEqual(whole);
    expect(stage1Calls).toBe(2);
    // Used once: the next ranking builds its own pool.
    expect(split.rank(request)).toEqual(whole);
    expect(stage1Calls).toBe(3);
    const later = buildProfile([interaction('click', 'b2', NOW), interaction('click', 'b5', NOW)], [], byId, NOW, 14 * 86_400_000);
    split.prepare!({ request });
    expect(split.rank({ ...request, profile: later })).toEqual(ranker.rank({ ...request, profile: later }));
    split.prepare!({ request });
    expect(split.rank({ ...request, limit: 4 })).toEqual(ranker.rank({ ...request, limit: 4 }));
    expect(stage1Calls).toBe(7);
  });

  it('for you prepared ahead runs the heuristic ranker\'s own parts first, and ranks the same', () => {
    const heuristic = createHeuristicRanker();
    const heuristicParts = vi.spyOn(heuristic, 'prepare');
    const split = createModelRanker({ weights: heuristicLikeWeights(), schema, catalog: byId, fallback: heuristic, prepareRows: 5 });
    const request = { mode: 'for-you' as const, candidates: catalog, profile, now: NOW, limit: 8, maxSameCategory: 2 };
    const whole = ranker.rank(request);
    let parts = 0;
    while (parts < 100 && split.prepare!({ request }) === true) parts++;
    // The heuristic's candidates, scores, order and explanations, then the model's pool and its scores five rows at a time.
    expect(heuristicParts).toHaveBeenCalledTimes(4);
    expect(heuristicParts.mock.calls.every(([work]) => work.request?.limit === 200 && work.request.maxSameCategory === 0)).toBe(true);
    expect(parts).toBeGreaterThanOrEqual(5);
    expect(parts).toBeLessThan(100);
    expect(split.rank(request)).toEqual(whole);
    // Used once: preparing again starts over with the heuristic's parts.
    for (let i = 0; i < 100 && split.prepare!({ request }) === true; i++);
    expect(heuristicParts).toHaveBeenCalledTimes(8);
    expect(split.rank(request)).toEqual(whole);
    // Ranked when the heuristic's parts were done but not the pool: the next preparation starts over too.
    for (let i = 0; i < 4; i++) split.prepare!({ request });
    expect(heuristicParts).toHaveBeenCalledTimes(12);
    expect(split.rank(request)).toEqual(whole);
    split.prepare!({ request });
    expect(heuristicParts).toHaveBeenCalledTimes(13);
  });

  it('leaves similar/trending/recently-viewed to the heuristic', () => {
    const anchor = byId.get('b1')!;
    const fallback = createHeuristicRanker();
    for (const mode of ['similar', 'trending', 'recently-viewed'] as const) {
      const req = { mode, candidates: catalog, profile, now: NOW, anchor, limit: 5 };
      expect(ranker.rank(req).map((r) => r.product.id)).toEqual(fallback.rank(req).map((r) => r.product.id));
    }
    // …and their preparation in parts: the heuristic's parts, the same ranking.
    const split = createModelRanker({ weights: heuristicLikeWeights(), schema, catalog: byId, fallback: createHeuristicRanker() });
    const req = { mode: 'trending' as const, candidates: catalog, profile, now: NOW, limit: 5 };
    let parts = 0;
    while (parts < 100 && split.prepare!({ request: req }) === true) parts++;
    expect(parts).toBeGreaterThan(0);
    expect(parts).toBeLessThan(100);
    expect(split.rank(req)).toEqual(fallback.rank(req));
    expect(split.prepare!({ request: { ...req, mode: 'recently-viewed' } })).toBe(false);
  });
});

describe('checkSchemaFits', () => {
  it('accepts the same layout with enough shared categories, refuses others with a reason', () => {
    expect(checkSchemaFits(defaultSchema(['audio', 'books']), schema, ['audio', 'books', 'kitchen'])).toEqual({ ok: true });
    const other = { ...schema, dim: 4 };
    const r = checkSchemaFits(other, schema, ['audio']);
    expect(r.ok).toBe(false);
    expect(schemaHash(other)).not.toBe(schemaHash(schema));
    const few = checkSchemaFits(defaultSchema(['cars']), schema, ['audio', 'books', 'kitchen']);
    expect(few).toMatchObject({ ok: false, reason: expect.stringContaining('0 of the catalog') });
    expect(checkSchemaFits('nope', schema, []).ok).toBe(false);
  });
  it('keeps the hash when only the training categories differ (fine-tuned base models keep theirs)', () => {
    expect(schemaHash(defaultSchema(['x']))).toBe(schemaHash(defaultSchema(['y', 'z'])));
  });

  it('with a neighbour index: proposes the recent items’ neighbours as candidates and explains them', () => {
    const NOW = 1_800_000_000_000;
    const profile = buildProfile([interaction('click', 'a3', NOW), interaction('purchase', 'a4', NOW)], [], byId, NOW, 14 * 86_400_000);
    // Shoppers who bought a4 went on to b7 (a book, far down the heuristic's order for an audio shopper).
    const index = buildNeighbourIndex([['a4', 'b7'], ['a4', 'b7'], ['a3', 'b7']]);
    const byStage1 = createModelRanker({ weights: heuristicLikeWeights(schema.dense.indexOf('stage1')), schema, catalog: byId, fallback: createHeuristicRanker(), neighbours: index, candidates: 3 });
    const out = byStage1.rank({ mode: 'for-you', candidates: catalog, profile, now: NOW, limit: 3, maxSameCategory: 0 });
    expect(out[0]!.product.id).toBe('b7');
    expect(out[0]!.reason.kind).toBe('viewed');
    expect([byId.get('a3')!.title, byId.get('a4')!.title]).toContain(out[0]!.reason.subject);
    // Without the index the same model has nothing to go on: b7 is not even a candidate.
    const without = createModelRanker({ weights: heuristicLikeWeights(schema.dense.indexOf('stage1')), schema, catalog: byId, fallback: createHeuristicRanker(), candidates: 3 });
    expect(without.rank({ mode: 'for-you', candidates: catalog, profile, now: NOW, limit: 3, maxSameCategory: 0 }).map((r) => r.product.id)).not.toContain('b7');
  });
});
