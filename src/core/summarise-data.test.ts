import { describe, expect, it } from 'vitest';
import type { Counter } from './counter';
import type { Interaction } from './interaction';
import { summariseData } from './summarise-data';

const ev = (type: Interaction['type'], productId: string | undefined, time: number): Interaction => ({
  type,
  ...(productId ? { productId } : {}),
  time,
  context: { page: 'home' },
});

describe('summariseData', () => {
  const titles = new Map([
    ['a', 'Alpha'],
    ['b', 'Beta'],
  ]);
  const titleOf = (id: string) => titles.get(id);

  it('counts events by type, adds compacted product counters once, and lists recent engaged products newest first', () => {
    const events = [ev('impression', 'a', 1), ev('click', 'a', 2), ev('search', undefined, 3), ev('add-to-cart', 'b', 4), ev('click', 'a', 5), ev('click', 'gone', 6)];
    const zero = { impression: 0, click: 0, 'add-to-cart': 0, purchase: 0, dwell: 0, search: 0 };
    const counters: Counter[] = [
      { key: 'p:a', kind: 'product', name: 'a', counts: { ...zero, purchase: 2 }, score: 1, refTime: 0, lastTime: 0 },
      { key: 'c:x', kind: 'category', name: 'x', counts: { ...zero, purchase: 2 }, score: 1, refTime: 0, lastTime: 0 },
    ];
    const s = summariseData(events, counters, titleOf);
    expect(s.counts).toEqual({ impression: 1, click: 3, 'add-to-cart': 1, purchase: 2, dwell: 0, search: 1 });
    expect(s.total).toBe(8);
    expect(s.recent.map((r) => r.title)).toEqual(['gone', 'Alpha', 'Beta']);
    expect(s.since).toBe(1);
  });

  it('is empty for an empty history and respects the limit', () => {
    expect(summariseData([], [], titleOf)).toEqual({
      counts: { impression: 0, click: 0, 'add-to-cart': 0, purchase: 0, dwell: 0, search: 0 },
      total: 0,
      recent: [],
      since: undefined,
    });
    const many = Array.from({ length: 9 }, (_, i) => ev('click', `p${i}`, i));
    expect(summariseData(many, [], titleOf, 3).recent.map((r) => r.id)).toEqual(['p8', 'p7', 'p6']);
  });
});
