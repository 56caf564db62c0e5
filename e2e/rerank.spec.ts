import { expect, test } from '@playwright/test';
import { catalog, waitForReady } from './helpers';

test('LocalRank.rerank() returns the same host items in a personalised order', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  const categories = [...new Set(catalog.map((p) => p.category))];
  const [liked, other] = [categories[1]!, categories[2]!];
  // A host list: 10 products of `other` first, then 10 of `liked`, plus an id the catalog does not know.
  const list = [
    ...catalog.filter((p) => p.category === other && p.inStock).slice(0, 10),
    ...catalog.filter((p) => p.category === liked && p.inStock).slice(0, 10),
  ].map((p) => p.id);
  list.push('not-in-catalog');

  const cold = await page.evaluate((ids) => window.LocalRank!.rerank(ids, { list: 'test' }), list);
  expect([...cold].sort()).toEqual([...list].sort());
  expect(cold).toEqual(list); // no history: the host's order is kept

  const likedIds = list.filter((id) => catalog.find((p) => p.id === id)?.category === liked);
  await page.evaluate((ids) => {
    for (const id of ids.slice(0, 3)) window.LocalRank!.track({ type: 'click', productId: id });
    window.LocalRank!.track({ type: 'add-to-cart', productId: ids[3]! });
  }, likedIds);
  const warm = await page.evaluate((ids) => window.LocalRank!.rerank(ids, { list: 'test' }), list);
  expect([...warm].sort()).toEqual([...list].sort());
  expect(warm.slice(0, 10).every((id) => likedIds.includes(id))).toBe(true);

  // Product objects in → the same objects (identity kept) out.
  const same = await page.evaluate(async (ids) => {
    const objects = ids.map((id) => ({ id, extra: id.length }));
    const out = await window.LocalRank!.rerank(objects);
    return out.every((o) => objects.includes(o)) && out.length === objects.length;
  }, list);
  expect(same).toBe(true);

  // Items sharing an id — a catalog id, an unknown id, and 7 beside '7' — all come back, each right after the first
  // item with its id (the personalised order moves the first one).
  const repeated = await page.evaluate(async (ids) => {
    const [a, b, c, d, e, f] = [{ id: ids[12]! }, { id: ids[12]! }, { id: 'not-in-catalog' }, { id: 'not-in-catalog' }, { id: 7 }, { id: '7' }];
    const objects = [...ids.slice(0, 12).map((id) => ({ id })), a, c, b, d, e, f, { id: ids[13]! }];
    const out = await window.LocalRank!.rerank(objects);
    const after = (x: (typeof objects)[number], first: (typeof objects)[number]) => out.indexOf(x) === out.indexOf(first) + 1;
    return { all: out.length === objects.length && objects.every((o) => out.includes(o)), b: after(b, a), d: after(d, c), f: after(f, e) };
  }, list);
  expect(repeated).toEqual({ all: true, b: true, d: true, f: true });

  // Bad input never throws into the page.
  const bad = await page.evaluate(async () => {
    const r1 = await window.LocalRank!.rerank('nope' as never);
    const r2 = await window.LocalRank!.rerank([null, 7, { title: 'no id' }] as never);
    return [r1, (r2 as unknown[]).length];
  });
  expect(bad).toEqual(['nope', 3]);
});
