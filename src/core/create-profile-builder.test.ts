import { describe, expect, it } from 'vitest';
import type { UserProfile } from './build-profile';
import { buildProfile } from './build-profile';
import type { Counter } from './counter';
import { createProfileBuilder } from './create-profile-builder';
import { createRandom } from './create-random';
import type { Interaction, InteractionType } from './interaction';
import type { Product } from './product';
import { interaction, product } from './test-fixtures';

const HALF_LIFE = 14 * 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

const catalog = new Map<string, Product>();
for (let i = 0; i < 40; i++) catalog.set(`p${i}`, product(`p${i}`, `c${i % 5}`, { brand: i % 3 === 0 ? '' : `b${i % 4}` }));
const QUERIES = ['rose serum', 'cast iron pan', 'trail shoes', 'green tea', 'notebook a5'];
const TYPES: InteractionType[] = ['impression', 'impression', 'impression', 'click', 'dwell', 'add-to-cart', 'purchase', 'search'];

/** A random shopper's events from `time` on, a few seconds to a day apart; some ids are not in the catalog. */
function randomEvents(seed: number, n: number, time: number): Interaction[] {
  const random = createRandom(seed);
  const out: Interaction[] = [];
  for (let i = 0; i < n; i++) {
    time += Math.floor(random() * (random() < 0.8 ? 60_000 : 86_400_000));
    const type = TYPES[Math.floor(random() * TYPES.length)]!;
    const id = random() < 0.05 ? `gone${Math.floor(random() * 3)}` : `p${Math.floor(random() * 40)}`;
    if (type === 'search') out.push(interaction('search', undefined, time, { context: { page: 'test', query: QUERIES[Math.floor(random() * QUERIES.length)] } }));
    else out.push(interaction(type, id, time, type === 'dwell' ? { dwellMs: Math.floor(random() * 90_000) } : {}));
  }
  return out;
}

const counters: Counter[] = [
  { key: 'p:p3', kind: 'product', name: 'p3', counts: { impression: 4, click: 1, 'add-to-cart': 0, purchase: 0, dwell: 0, search: 0 }, score: 0.7, refTime: T0 - 86_400_000, lastTime: T0 - 90_000_000 },
  { key: 'p:p38', kind: 'product', name: 'p38', counts: { impression: 2, click: 0, 'add-to-cart': 1, purchase: 1, dwell: 0, search: 0 }, score: 2.1, refTime: T0, lastTime: T0 - 1000 },
  { key: 'c:c9', kind: 'category', name: 'c9', counts: { impression: 0, click: 3, 'add-to-cart': 0, purchase: 0, dwell: 0, search: 0 }, score: 1.4, refTime: T0, lastTime: T0 },
];

function expectSameProfile(actual: UserProfile, expected: UserProfile): void {
  for (const key of ['productAffinity', 'categoryAffinity', 'brandAffinity', 'queryTokens'] as const) {
    const a = actual[key];
    const e = expected[key];
    expect([...a.keys()].sort(), key).toEqual([...e.keys()].sort());
    for (const [k, v] of e) expect(Math.abs(a.get(k)! - v), `${key} ${k}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
  }
  expect(actual.seenNotClicked).toEqual(expected.seenNotClicked);
  expect(actual.purchased).toEqual(expected.purchased);
  expect(actual.clicked).toEqual(expected.clicked);
  expect(actual.carted).toEqual(expected.carted);
  expect(actual.recentlyViewed).toEqual(expected.recentlyViewed);
  expect(actual.anchorByCategory).toEqual(expected.anchorByCategory);
  expect(actual.eventCount).toBe(expected.eventCount);
}

describe('createProfileBuilder', () => {
  it('builds what buildProfile builds while the log grows at its end and time goes on', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const build = createProfileBuilder(catalog, HALF_LIFE);
      const all = randomEvents(seed, 600, T0 - 30 * 86_400_000);
      const log: Interaction[] = [];
      let time = -Infinity;
      for (let at = 0; at < all.length; ) {
        const next = Math.min(all.length, at + 1 + Math.floor(createRandom(seed * 1000 + at)() * 40));
        log.push(...all.slice(at, next));
        at = next;
        const now = log.at(-1)!.time + (at % 3) * 3_600_000;
        time = Math.max(time, now); // the profile's time never goes back
        expectSameProfile(build(log, counters, now), buildProfile(log, counters, catalog, time, HALF_LIFE));
      }
    }
  });

  it('takes back a product’s impression credit when the product turns positive later', () => {
    const build = createProfileBuilder(catalog, HALF_LIFE);
    const log = [interaction('impression', 'p1', T0), interaction('impression', 'p1', T0 + 1000), interaction('click', 'p2', T0 + 2000)];
    build(log, [], T0 + 3000);
    log.push(interaction('click', 'p1', T0 + 4000));
    const profile = build(log, [], T0 + 5000);
    expect(profile.seenNotClicked.has('p1')).toBe(false);
    expectSameProfile(profile, buildProfile(log, [], catalog, T0 + 5000, HALF_LIFE));
  });

  it('builds afresh for a new log and for a shorter one', () => {
    const build = createProfileBuilder(catalog, HALF_LIFE);
    const log = randomEvents(7, 100, T0);
    const other = randomEvents(8, 50, T0);
    const now = Math.max(log.at(-1)!.time, other.at(-1)!.time);
    build(log, counters, now);
    expectSameProfile(build(other, [], now), buildProfile(other, [], catalog, now, HALF_LIFE));
    const shorter = other.slice(0, 20);
    expectSameProfile(build(shorter, [], now), buildProfile(shorter, [], catalog, now, HALF_LIFE));
    // The same array, cut short in place and grown again.
    shorter.length = 10;
    shorter.push(...randomEvents(9, 5, shorter.at(-1)!.time));
    expectSameProfile(build(shorter, [], now), buildProfile(shorter, [], catalog, now, HALF_LIFE));
  });

  it('takes the profile at the latest event or build when the clock reads earlier', () => {
    const build = createProfileBuilder(catalog, HALF_LIFE);
    const log = randomEvents(10, 100, T0);
    const last = log.at(-1)!.time;
    // Events later than now (another device's clock): the profile is at the latest of them.
    expectSameProfile(build(log, counters, log[50]!.time), buildProfile(log, counters, catalog, last, HALF_LIFE));
    expectSameProfile(build(log, counters, last + 5_000), buildProfile(log, counters, catalog, last + 5_000, HALF_LIFE));
    // A clock gone back after a build: still at the previous build's time.
    log.push(interaction('click', 'p7', last + 1_000));
    expectSameProfile(build(log, counters, last), buildProfile(log, counters, catalog, last + 5_000, HALF_LIFE));
  });
});
