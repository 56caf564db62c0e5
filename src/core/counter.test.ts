import { describe, expect, it } from 'vitest';
import { buildProfile } from './build-profile';
import { foldEvents } from './counter';
import { interaction, product } from './test-fixtures';

const NOW = 1_800_000_000_000;
const H = 14 * 86_400_000;
const catalog = new Map([product('a', 'audio'), product('b', 'books')].map((p) => [p.id, p]));

describe('foldEvents (log compaction)', () => {
  it('keeps what the shopper did when events are compacted: the profile barely changes', () => {
    const events = [
      interaction('click', 'a', NOW - 5000),
      interaction('purchase', 'a', NOW - 4000),
      interaction('impression', 'b', NOW - 3000),
      interaction('dwell', 'b', NOW - 2000, { dwellMs: 30_000 }),
    ];
    const full = buildProfile(events, [], catalog, NOW, H);
    const counters = foldEvents(new Map(), events, (id) => catalog.get(id)?.category, H, NOW);
    const compacted = buildProfile([], [...counters.values()], catalog, NOW, H);
    expect(compacted.purchased.has('a')).toBe(true);
    expect(compacted.categoryAffinity.get('audio')).toBeCloseTo(full.categoryAffinity.get('audio')!, 6);
    expect(compacted.categoryAffinity.get('books')).toBeCloseTo(full.categoryAffinity.get('books')!, 6);
    expect(compacted.productAffinity.get('a')).toBeCloseTo(full.productAffinity.get('a')!, 6);
    expect(compacted.recentlyViewed).toEqual(['b', 'a']);
    expect(counters.get('p:a')!.counts).toMatchObject({ click: 1, purchase: 1 });
    expect(counters.get('c:books')!.counts).toMatchObject({ impression: 1, dwell: 1 });
  });

  it('merges into existing counters with decay', () => {
    const first = foldEvents(new Map(), [interaction('click', 'a', NOW - H)], () => 'audio', H, NOW - H);
    const second = foldEvents(first, [interaction('click', 'a', NOW)], () => 'audio', H, NOW);
    expect(second.get('p:a')!.counts.click).toBe(2);
    // the older click decayed by one half-life: 3 * 0.5 + 3
    expect(second.get('p:a')!.score).toBeCloseTo(4.5, 6);
  });
});
