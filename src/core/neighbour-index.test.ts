import { describe, expect, it } from 'vitest';
import { buildNeighbourIndex, createNeighbourUnpacker, decodeNeighbourIndex, encodeNeighbourIndex, NEIGHBOUR_FEATURES, neighbourScores, packNeighbourIndex, topCandidates } from './neighbour-index';

const histories = [
  ['a', 'b', 'c'],
  ['a', 'b'],
  ['b', 'c', 'd'],
  ['a', 'd'],
];

describe('buildNeighbourIndex', () => {
  it('scores co-occurrence as shrunk cosine and transitions as shares of next items', () => {
    const index = buildNeighbourIndex(histories, { shrink: 0 });
    // a and b share 2 histories; a is in 3, b in 3 → 2 / 3.
    const ab = index.similar.get('a')!;
    expect(ab.ids[0]).toBe('b');
    expect(ab.scores[0]).toBeCloseTo(2 / 3);
    // a → b twice, a → d once.
    const next = index.next.get('a')!;
    expect(next.ids).toEqual(['b', 'd']);
    expect(next.scores[0]).toBeCloseTo(2 / 3);
    expect(index.counts.get('b')).toBe(3);
    expect(index.maxCount).toBe(3);
  });

  it('keeps only the top neighbours and shrinks rare pairs', () => {
    const small = buildNeighbourIndex(histories, { neighbours: 1, shrink: 5 });
    expect(small.similar.get('a')!.ids).toHaveLength(1);
    expect(small.similar.get('a')!.scores[0]).toBeCloseTo(2 / (3 + 5));
  });

  it('round-trips through the shipped JSON form and rejects malformed files', () => {
    const index = buildNeighbourIndex(histories);
    const back = decodeNeighbourIndex(JSON.parse(JSON.stringify(encodeNeighbourIndex(index))));
    expect([...back.similar.keys()].sort()).toEqual([...index.similar.keys()].sort());
    expect(back.similar.get('a')!.ids).toEqual(index.similar.get('a')!.ids);
    expect(back.similar.get('a')!.scores[0]).toBeCloseTo(index.similar.get('a')!.scores[0]!, 4);
    expect(back.params).toEqual(index.params);
    expect(() => decodeNeighbourIndex({ format: 'other' })).toThrow(/localrank-neighbours/);
    const bad = { ...encodeNeighbourIndex(index), similar: [[99, 1], [], [], []] };
    expect(() => decodeNeighbourIndex(bad)).toThrow(/bad entry/);
    expect(() => decodeNeighbourIndex({ ...encodeNeighbourIndex(index), counts: [1] })).toThrow(/same length/);
  });
});

describe('neighbourScores', () => {
  it('weights recent items more and exposes the newest item’s similarity and transitions', () => {
    const index = buildNeighbourIndex(histories, { shrink: 0, decay: 0.5, transitions: 1 });
    const scores = neighbourScores(['b', 'a'], index); // newest first: b, then a
    const f = (id: string, name: (typeof NEIGHBOUR_FEATURES)[number]) => scores.get(id)![NEIGHBOUR_FEATURES.indexOf(name)]!;
    const simBC = index.similar.get('b')!.scores[index.similar.get('b')!.ids.indexOf('c')]!;
    expect(f('c', 'knn_last')).toBeCloseTo(simBC);
    expect(f('c', 'trans_last')).toBeCloseTo(index.next.get('b')!.scores[0]!);
    // d is reached from a (one step back, weight 0.5) and as a's transition.
    const simAD = index.similar.get('a')!.scores[index.similar.get('a')!.ids.indexOf('d')]!;
    const transAD = index.next.get('a')!.scores[index.next.get('a')!.ids.indexOf('d')]!;
    const simBD = index.similar.get('b')!.scores[index.similar.get('b')!.ids.indexOf('d')]!;
    expect(f('d', 'stage1')).toBeCloseTo(simBD + 0.5 * (simAD + transAD));
    expect(f('d', 'knn_all')).toBeCloseTo(simBD + simAD);
    expect(topCandidates(scores, 10, new Set(['a', 'b']))).not.toContain('a');
    expect(topCandidates(scores, 1)).toHaveLength(1);
  });

  it('is empty without history or index', () => {
    expect(neighbourScores([], buildNeighbourIndex(histories)).size).toBe(0);
    expect(neighbourScores(['a'], buildNeighbourIndex([])).size).toBe(0);
  });
});

describe('packNeighbourIndex / createNeighbourUnpacker', () => {
  it('round-trips the index through the flat form, in steps', () => {
    const index = buildNeighbourIndex([...histories, ['e', 'a']]);
    const packed = structuredClone(packNeighbourIndex(index));
    const unpacker = createNeighbourUnpacker(packed);
    let steps = 1;
    while (!unpacker.step(2)) steps++;
    expect(steps).toBe(Math.ceil(packed.items.length / 2));
    const back = unpacker.result();
    expect(back.params).toEqual(index.params);
    expect(back.maxCount).toBe(index.maxCount);
    expect([...back.counts]).toEqual([...index.counts]);
    for (const key of ['similar', 'next'] as const) {
      expect([...back[key].keys()].sort()).toEqual([...index[key].keys()].sort());
      for (const [id, list] of index[key]) {
        expect(back[key].get(id)!.ids).toEqual(list.ids);
        expect([...back[key].get(id)!.scores]).toEqual([...list.scores]);
      }
    }
  });
});
