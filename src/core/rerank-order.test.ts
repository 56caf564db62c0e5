import { describe, expect, it } from 'vitest';
import { UNEXPLAINED } from './ranker';
import { rerankOrder } from './rerank-order';
import { product } from './test-fixtures';

describe('rerankOrder', () => {
  it('puts in-stock items first, each group by score, ties in the host order', () => {
    const list = [
      product('gone-low', 'a', { inStock: false }),
      product('tie-1', 'a'),
      product('best', 'a'),
      product('gone-high', 'a', { inStock: false }),
      product('tie-2', 'a'),
    ];
    const out = rerankOrder(list, Float64Array.from([1, 2, 9, 50, 2]));
    expect(out.map((r) => r.product.id)).toEqual(['best', 'tie-1', 'tie-2', 'gone-high', 'gone-low']);
    expect(out.map((r) => r.score)).toEqual([9, 2, 2, 50, 1]);
    expect(out.every((r) => r.reason === UNEXPLAINED)).toBe(true);
  });

  it('keeps each item its own reason', () => {
    const list = [product('x', 'a'), product('y', 'a')];
    const out = rerankOrder(list, Float64Array.from([0, 1]), [{ kind: 'brand', subject: 'X' }, { kind: 'search' }]);
    expect(out.map((r) => [r.product.id, r.reason.kind])).toEqual([['y', 'search'], ['x', 'brand']]);
  });
});
