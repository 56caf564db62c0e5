import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/core/create-random';
import { fitItemKnn, fitPopular } from './baselines';
import { evaluate } from './evaluate';
import { indexSequences, stageView } from './leave-one-out';
import { InputError, loadEventsCsv, loadS3Rec } from './load-sequences';
import { createMetrics, rankOf } from './ranking-metrics';

const dir = mkdtempSync(join(tmpdir(), 'lr-eval-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('metrics', () => {
  it('computes HR, NDCG and MRR for one relevant item', () => {
    const m = createMetrics([1, 10], [10]);
    m.add(1);
    m.add(3);
    m.add(50);
    const r = m.result();
    expect(r['HR@1']).toBeCloseTo(1 / 3);
    expect(r['HR@10']).toBeCloseTo(2 / 3);
    expect(r['NDCG@10']).toBeCloseTo((1 + 1 / Math.log2(4)) / 3);
    expect(r.MRR).toBeCloseTo((1 + 1 / 3 + 1 / 50) / 3);
  });
  it('breaks ties at random, so a constant scorer is not ranked first', () => {
    const candidates = Int32Array.from({ length: 100 }, (_, i) => i);
    const random = createRandom(1);
    let sum = 0;
    for (let t = 0; t < 2000; t++) sum += rankOf(t % 100, candidates, () => 0, random);
    expect(sum / 2000).toBeGreaterThan(45);
    expect(sum / 2000).toBeLessThan(56);
    expect(rankOf(5, candidates, (i) => (i === 5 ? 1 : 0), random)).toBe(1);
  });
});

describe('leave-one-out split', () => {
  it('holds out the last item for test and the second-to-last for validation, history without them', () => {
    const data = indexSequences(new Map([['u', ['a', 'b', 'c', 'd']]]));
    const test = stageView(data, 'test');
    const valid = stageView(data, 'valid');
    expect(data.items[test.targets[0]!]).toBe('d');
    expect([...test.histories[0]!].map((i) => data.items[i])).toEqual(['a', 'b', 'c']);
    expect(data.items[valid.targets[0]!]).toBe('c');
    expect([...valid.histories[0]!].map((i) => data.items[i])).toEqual(['a', 'b']);
  });
});

describe('loaders', () => {
  it('reads S3-Rec sequences and attributes', () => {
    const d = loadS3Rec(file('s.txt', '1 10 11 12\n2 11 13\n'), file('a.json', '{"10":[1,2],"11":[3]}'));
    expect(d.sequences.get('1')).toEqual(['10', '11', '12']);
    expect(d.attributes.get('10')).toEqual(['1', '2']);
  });
  it('names the file and line of malformed input', () => {
    const f = file('bad.txt', '1 10 11\n2\n');
    expect(() => loadS3Rec(f)).toThrow(InputError);
    expect(() => loadS3Rec(f)).toThrow(`${f}:2: expected`);
    const c = file('bad.csv', 'user_id,item_id,timestamp,event_type\nu,i,5,view\nu,j,x,view\n');
    expect(() => loadEventsCsv(c)).toThrow(`${c}:3: expected a numeric timestamp`);
    const t = file('type.csv', 'user_id,item_id,timestamp,event_type\nu,i,5,like\n');
    expect(() => loadEventsCsv(t)).toThrow(/event_type in view\|click\|cart\|purchase/);
    expect(() => loadEventsCsv(file('h.csv', 'a,b,c\n'))).toThrow(/header/);
  });
  it('sorts CSV events by time per user (sessions as users) and keeps types and categories', () => {
    const d = loadEventsCsv(file('e.csv', 'user_id,item_id,timestamp,event_type,category\ns1,b,20,cart,c2\ns1,a,10,view,c1\ns2,a,5,,c1\n'));
    expect(d.sequences.get('s1')).toEqual(['a', 'b']);
    expect(d.types.get('s1')).toEqual(['view', 'cart']);
    expect(d.types.get('s2')).toEqual(['view']);
    expect(d.categories.get('b')).toBe('c2');
  });
});

describe('baselines', () => {
  // Two kinds of users: x → y → z chains and p → q → r chains.
  const seqs = new Map<string, string[]>();
  for (let u = 0; u < 40; u++) seqs.set(`u${u}`, u % 2 ? ['x', 'y', 'z', 'x', 'y'] : ['p', 'q', 'r', 'p', 'q']);
  const data = indexSequences(seqs);
  const test = stageView(data, 'test');

  it('item-kNN ranks the co-occurring next item first; popularity cannot tell the groups apart', () => {
    const knn = evaluate(fitItemKnn(test.histories, data.items.length, { neighbours: 10, decay: 0.7, transitions: 1, shrink: 0 }), test, data.sequences, data.items.length, 1);
    const pop = evaluate(fitPopular(test.histories, data.items.length), test, data.sequences, data.items.length, 1);
    expect(knn.users_evaluated).toBe(40);
    expect(knn.full['HR@1']).toBe(1);
    expect(pop.full['HR@1']).toBeLessThan(1);
  });
});
