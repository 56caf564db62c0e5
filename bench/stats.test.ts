import { describe, expect, it } from 'vitest';
import { summarise } from './stats';

describe('summarise', () => {
  it('gives the median and the nearest-rank p95', () => {
    expect(summarise([3, 1, 2])).toMatchObject({ median: 2, p95: 3 });
    expect(summarise([4, 1, 3, 2])).toMatchObject({ median: 2.5, p95: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarise(hundred)).toMatchObject({ median: 50.5, p95: 95 });
    expect(summarise([]).median).toBeNaN();
  });
});
