import { describe, expect, it } from 'vitest';
import { describeGrowth, growthExponent } from './scaling';

describe('growthExponent', () => {
  it('fits the exponent of y = a·x^k', () => {
    expect(growthExponent([[1000, 2], [10_000, 20], [100_000, 200]])).toBeCloseTo(1, 6);
    expect(growthExponent([[1000, 5], [10_000, 5], [100_000, 5]])).toBeCloseTo(0, 6);
    expect(growthExponent([[1000, 1], [100_000, 10]])).toBeCloseTo(0.5, 6);
  });

  it('ignores points it cannot take the log of, and needs two', () => {
    expect(growthExponent([[1000, 0], [10_000, 10], [100_000, 100]])).toBeCloseTo(1, 6);
    expect(growthExponent([[1000, 3]])).toBeNaN();
  });
});

describe('describeGrowth', () => {
  it('names the growth', () => {
    expect(describeGrowth(1.02)).toMatch(/^about linear/);
    expect(describeGrowth(0.5)).toMatch(/^sub-linear/);
    expect(describeGrowth(0.05)).toMatch(/^flat/);
    expect(describeGrowth(1.6)).toMatch(/^super-linear/);
    expect(describeGrowth(Number.NaN)).toBe('unknown');
  });
});
