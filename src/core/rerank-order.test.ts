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

  it('orders a shorter list after a longer one by its own scores and stock (its index arrays are reused)', () => {
    const long = Array.from({ length: 9 }, (_, i) => product(`l${i}`, 'a', { inStock: i % 2 === 0 }));
    expect(rerankOrder(long, Float64Array.from(long, (_, i) => i)).map((r) => r.product.id)).toEqual(['l8', 'l6', 'l4', 'l2', 'l0', 'l7', 'l5', 'l3', 'l1']);
    const short = [product('s0', 'a'), product('s1', 'a', { inStock: false }), product('s2', 'a')];
    expect(rerankOrder(short, Float64Array.from([3, 9, 1])).map((r) => r.product.id)).toEqual(['s0', 's2', 's1']);
  });

  it('orders as a sort by (stock, score, host order) would, at every length around its runs, with ties and gaps', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 4_294_967_296);
    for (const n of [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 200, 1000, 1025]) {
      const list = Array.from({ length: n }, (_, i) => product(`p${i}`, 'a', { inStock: rnd() < 0.8 }));
      // Few distinct scores: many ties, which only the host order breaks.
      const scores = Float64Array.from(list, () => Math.floor(rnd() * 7) / 2);
      const want = list
        .map((p, i) => ({ p, i }))
        .sort((a, b) => Number(b.p.inStock) - Number(a.p.inStock) || scores[b.i]! - scores[a.i]! || a.i - b.i)
        .map(({ p }) => p.id);
      const out = rerankOrder(list, scores);
      expect(out.map((r) => r.product.id), `n = ${n}`).toEqual(want);
      expect(out.map((r) => r.index)).toEqual(out.map((r) => list.indexOf(r.product)));
    }
  });

  it('keeps each item its own reason', () => {
    const list = [product('x', 'a'), product('y', 'a')];
    const out = rerankOrder(list, Float64Array.from([0, 1]), [{ kind: 'brand', subject: 'X' }, { kind: 'search' }]);
    expect(out.map((r) => [r.product.id, r.reason.kind])).toEqual([['y', 'search'], ['x', 'brand']]);
  });
});
