import { afterEach, describe, expect, it, vi } from 'vitest';
import { createImpressionObserver } from './create-impression-observer';

/** A stand-in IntersectionObserver that counts constructions and lets the test report intersections. */
class FakeIntersectionObserver {
  static made: FakeIntersectionObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(readonly callback: (entries: Array<{ target: Element; isIntersecting: boolean; intersectionRatio: number }>) => void) {
    FakeIntersectionObserver.made.push(this);
  }
  observe(el: Element): void {
    this.observed.add(el);
  }
  unobserve(el: Element): void {
    this.observed.delete(el);
  }
  disconnect(): void {
    this.observed.clear();
  }
}

const element = (): Element => ({}) as Element;

describe('createImpressionObserver', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    FakeIntersectionObserver.made = [];
  });

  it('makes its IntersectionObserver at the first observe, not when created, and only one', () => {
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
    const impressions = createImpressionObserver(0.5, 1000);
    expect(FakeIntersectionObserver.made).toHaveLength(0);
    impressions.observe(element(), () => {});
    impressions.observe(element(), () => {});
    expect(FakeIntersectionObserver.made).toHaveLength(1);
    expect(FakeIntersectionObserver.made[0]!.observed.size).toBe(2);
  });

  it('reports an element seen for the dwell time once, and not one that left before it', () => {
    vi.useFakeTimers();
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
    const impressions = createImpressionObserver(0.5, 1000);
    const [a, b] = [element(), element()];
    const seen: string[] = [];
    impressions.observe(a, () => seen.push('a'));
    impressions.observe(b, () => seen.push('b'));
    const io = FakeIntersectionObserver.made[0]!;
    io.callback([
      { target: a, isIntersecting: true, intersectionRatio: 1 },
      { target: b, isIntersecting: true, intersectionRatio: 0.6 },
    ]);
    vi.advanceTimersByTime(500);
    io.callback([{ target: b, isIntersecting: false, intersectionRatio: 0 }]);
    vi.advanceTimersByTime(1000);
    io.callback([{ target: a, isIntersecting: true, intersectionRatio: 1 }]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['a']);
    expect(io.observed.has(a)).toBe(false);
  });

  it('observes nothing, and does not throw, without IntersectionObserver', () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    const impressions = createImpressionObserver(0.5, 1000);
    const cleanup = impressions.observe(element(), () => {});
    expect(() => cleanup()).not.toThrow();
    expect(() => impressions.disconnect()).not.toThrow();
  });
});
