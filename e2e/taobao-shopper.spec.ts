import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { buildProfile } from '../src/core/build-profile';
import { createHeuristicRanker } from '../src/core/create-heuristic-ranker';
import { createRandom } from '../src/core/create-random';
import { fnv1a } from '../src/core/feature-schema';
import type { Interaction } from '../src/core/interaction';
import { parseCatalog } from '../src/core/parse-catalog';
import { waitForReady } from './helpers';

// A real shopper's log (Taobao UserBehavior, read by path from ../shared/datasets, never copied) replayed onto the
// demo catalog: each Taobao category maps to a demo category and each item to a demo product of it, by hash.
const DATA = process.env.LOCALRANK_DATASETS ?? new URL('../../shared/datasets/', import.meta.url).pathname;
const FILE = `${DATA.replace(/\/?$/, '/')}taobao-userbehavior-head/UserBehavior.csv`;
const HELD_OUT = 20;
const CANDIDATES = 100;
const SEED = 7;

const catalog = parseCatalog(JSON.parse(readFileSync(new URL('../public/catalog.json', import.meta.url), 'utf8'))).products.filter((p) => p.inStock);
const categories = [...new Set(catalog.map((p) => p.category))].sort();
const byCategory = new Map(categories.map((c) => [c, catalog.filter((p) => p.category === c)]));

interface Replay {
  user: string;
  train: Interaction[];
  heldOut: string[];
}

function loadReplay(): Replay {
  const rows = readFileSync(FILE, 'utf8').trim().split('\n').map((l) => l.split(','));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r[0]!, (counts.get(r[0]!) ?? 0) + 1);
  const user = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const mine = rows
    .filter((r) => r[0] === user && Number(r[4]) > 1511000000) // drop the known out-of-window timestamp
    .sort((a, b) => Number(a[4]) - Number(b[4]));
  const shift = Date.now() - 3_600_000 - Number(mine.at(-1)![4]) * 1000;
  const product = (item: string, cat: string): string => {
    const list = byCategory.get(categories[fnv1a(`c${cat}`) % categories.length]!)!;
    return list[fnv1a(`i${item}`) % list.length]!.id;
  };
  const events: Interaction[] = [];
  for (const [, item, cat, behaviour, ts] of mine) {
    const productId = product(item!, cat!);
    const time = Number(ts) * 1000 + shift;
    const type = behaviour === 'buy' ? 'purchase' : behaviour === 'cart' ? 'add-to-cart' : 'click';
    if (type === 'click') events.push({ type: 'impression', productId, time: time - 2000, context: { page: 'category' } });
    events.push({ type, productId, time, context: { page: 'category' } });
  }
  // Hold out the last HELD_OUT products the shopper engaged with for the first time; train on what came before.
  const firstSeen = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.type !== 'impression' && !firstSeen.has(e.productId!)) firstSeen.set(e.productId!, i);
  });
  const firsts = [...firstSeen.entries()].sort((a, b) => a[1] - b[1]).slice(-HELD_OUT);
  const cut = firsts[0]![1] - 1; // also drop the impression that precedes it
  return { user, train: events.slice(0, cut), heldOut: firsts.map(([id]) => id) };
}

/** Candidate lists: each held-out product among 99 others the shopper never engaged with (seeded). */
function candidateLists(replay: Replay): string[][] {
  const random = createRandom(SEED);
  const touched = new Set(replay.train.map((e) => e.productId));
  const pool = catalog.filter((p) => !touched.has(p.id) && !replay.heldOut.includes(p.id));
  return replay.heldOut.map((target) => {
    const list = new Set<string>([target]);
    while (list.size < CANDIDATES) list.add(pool[Math.floor(random() * pool.length)]!.id);
    const ids = [...list];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return ids;
  });
}

async function trainInBrowser(browser: Browser, replay: Replay, lists: string[][]): Promise<{ ranks: number[]; status: Record<string, unknown> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('**/e2e-taobao.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script type="module" src="/localrank.js" data-catalog="/catalog.json" data-seed="${SEED}"></script></head><body data-localrank-page="home"></body></html>`,
    }),
  );
  await page.goto('/e2e-taobao.html');
  await waitForReady(page);
  await page.evaluate((events) => {
    for (const e of events) window.LocalRank!.track(e);
  }, replay.train);
  await page.evaluate(() => window.LocalRank!.flush());
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().model.runs), { timeout: 200_000 }).toBeGreaterThan(0);
  const status = await page.evaluate(() => window.LocalRank!.status());
  const ranks: number[] = [];
  for (const [i, ids] of lists.entries()) {
    const ranked = await page.evaluate((list) => window.LocalRank!.rerank(list), ids);
    ranks.push(ranked.indexOf(replay.heldOut[i]!) + 1);
  }
  await context.close();
  return { ranks, status: status as unknown as Record<string, unknown> };
}

test('a real Taobao shopper replayed on the demo shop: the on-device model ranks their next items above random, deterministically', async ({ browser }) => {
  // The datasets live outside the repo (../shared/datasets); without them there is nothing to replay.
  test.skip(!existsSync(FILE), `dataset not found at ${FILE} (set LOCALRANK_DATASETS)`);
  test.setTimeout(300_000);
  const replay = loadReplay();
  const lists = candidateLists(replay);

  // The heuristic on the same history and the same candidate lists (same pure code the browser runs).
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const now = replay.train.at(-1)!.time + 60_000;
  const profile = buildProfile(replay.train, [], byId, now, 14 * 86_400_000);
  const heuristic = createHeuristicRanker();
  const heuristicRanks = lists.map((ids, i) => {
    const out = heuristic.rank({ mode: 'rerank', candidates: ids.map((id) => byId.get(id)!), profile, now });
    return out.findIndex((r) => r.product.id === replay.heldOut[i]) + 1;
  });

  const first = await trainInBrowser(browser, replay, lists);
  const second = await trainInBrowser(browser, replay, lists);
  const model = first.status.model as { source?: string; validation?: unknown };
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = (ranks: number[]) => ({ ranks, meanRank: mean(ranks), hitAt10: mean(ranks.map((r) => (r <= 10 ? 1 : 0))), mrr: mean(ranks.map((r) => 1 / r)) });
  const report = {
    user: replay.user,
    trainEvents: replay.train.length,
    heldOut: replay.heldOut.length,
    candidates: CANDIDATES,
    randomMeanRank: (CANDIDATES + 1) / 2,
    model: { ...summary(first.ranks), source: model.source, validation: model.validation, backend: first.status.backend },
    heuristic: summary(heuristicRanks),
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/taobao-shopper.json', JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report));

  expect(model.source).toBe('trained'); // the model was accepted on the shopper's own validation events
  expect(first.status.ranker).toBe('model');
  expect(second.ranks).toEqual(first.ranks); // same seed, same model, same ranking
  expect(mean(first.ranks)).toBeLessThan((CANDIDATES + 1) / 2);
});
