import { describe, expect, it } from 'vitest';
import { shopperHistory } from './shopper-history';

const catalog = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, category: `c${i % 6}` }));

describe('shopperHistory', () => {
  it('has exactly n events, 20 s apart, ending at `end`', () => {
    const h = shopperHistory(catalog, 1000, 1_700_000_000_000);
    expect(h.events).toHaveLength(1000);
    expect(h.events.at(-1)!.time).toBe(1_700_000_000_000);
    expect(h.events[1]!.time - h.events[0]!.time).toBe(20_000);
  });

  it('clicks liked products, and reports products it never engaged with', () => {
    const h = shopperHistory(catalog, 1000, 0);
    const clicked = new Set(h.events.filter((e) => e.type !== 'impression').map((e) => e.productId));
    expect(h.positives).toBe(clicked.size);
    expect(h.positives).toBeGreaterThan(50);
    expect(h.unengaged.some((id) => clicked.has(id))).toBe(false);
    expect(h.unengaged.length + clicked.size).toBe(catalog.length);
  });

  it('is deterministic for a seed', () => {
    expect(shopperHistory(catalog, 200, 0, 7)).toEqual(shopperHistory(catalog, 200, 0, 7));
  });
});
