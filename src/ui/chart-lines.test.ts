import { describe, expect, it } from 'vitest';
import { chartLines } from './chart-lines';

describe('chartLines', () => {
  it('scales each series to its own range over the planned slots', () => {
    const [loss, metric] = chartLines([{ values: [1, 0.5, 0] }, { values: [0.2, 0.4, 0.3] }], 5, 108, 58);
    // x: 4 + i * 25 (5 slots over 100 px); y: 4 + (max - v) * 50 / (max - min)
    expect(loss).toEqual({ points: '4,4 29,29 54,54', min: 0, max: 1 });
    expect(metric!.points).toBe('4,54 29,4 54,29');
    expect([metric!.min, metric!.max]).toEqual([0.2, 0.4]);
  });

  it('skips missing and non-finite values, centres a flat series, and leaves an empty series empty', () => {
    const [a, b, c] = chartLines([{ values: [2, undefined, NaN, 2] }, { values: [] }, { values: [undefined] }], 0, 28, 20);
    expect(a!.points).toBe('4,10 24,10');
    expect(b!.points).toBe('');
    expect(c!.points).toBe('');
  });
});
