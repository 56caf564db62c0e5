import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { convertDiginetica } from './convert-diginetica';
import { convertTaobao } from './convert-taobao';
import { InputError, loadEventsCsv } from './load-sequences';

const dir = mkdtempSync(join(tmpdir(), 'lr-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const roundTrip = (name: string, csv: string): ReturnType<typeof loadEventsCsv> => {
  const p = join(dir, name);
  writeFileSync(p, csv);
  return loadEventsCsv(p);
};
const thrown = (f: () => unknown): InputError => {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};
const day = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);

describe('convertDiginetica', () => {
  // Out of time order inside each session, sessions out of numeric order, and no final newline, as in the real file.
  const source = [
    'session_id;user_id;item_id;timeframe;eventdate',
    '10;NA;7;500;2016-05-09',
    '2;NA;5;900;2016-05-09',
    '2;4;6;100;2016-05-09',
    '10;NA;8;100;2016-05-09',
    '2;NA;7;50;2016-05-10',
  ].join('\n');

  it('sorts sessions numerically and views by (eventdate, timeframe), timestamps in ms', () => {
    expect(convertDiginetica(source, 'd.csv').split('\n')).toEqual([
      'user_id,item_id,timestamp,event_type,category',
      `2,6,${day(2016, 5, 9) + 100},view,`,
      `2,5,${day(2016, 5, 9) + 900},view,`,
      `2,7,${day(2016, 5, 10) + 50},view,`,
      `10,8,${day(2016, 5, 9) + 100},view,`,
      `10,7,${day(2016, 5, 9) + 500},view,`,
      '',
    ]);
  });

  it('round-trips through loadEventsCsv', () => {
    const loaded = roundTrip('d-events.csv', convertDiginetica(source, 'd.csv'));
    expect([...loaded.sequences]).toEqual([
      ['2', ['6', '5', '7']],
      ['10', ['8', '7']],
    ]);
    expect(loaded.types.get('2')).toEqual(['view', 'view', 'view']);
    expect(loaded.categories.size).toBe(0);
  });

  it('names the line and what was expected', () => {
    const header = thrown(() => convertDiginetica('session;item\n1;2', 'd.csv'));
    expect([header.file, header.line]).toEqual(['d.csv', 1]);
    const fields = thrown(() => convertDiginetica(source.replace('2;4;6;100;', '2;4;6;'), 'd.csv'));
    expect(fields.line).toBe(4);
    expect(fields.expected).toMatch(/5 ";"-separated fields/);
    const date = thrown(() => convertDiginetica(source.replace('2016-05-10', '2016-02-30'), 'd.csv'));
    expect([date.line, date.expected]).toEqual([6, 'an eventdate YYYY-MM-DD, got "2016-02-30"']);
    expect(thrown(() => convertDiginetica(source.replace('10;NA;8;100', '10;NA;8;1e3'), 'd.csv')).line).toBe(5);
    expect(thrown(() => convertDiginetica(source.split('\n')[0]!, 'd.csv')).expected).toMatch(/at least one/);
  });
});

describe('convertTaobao', () => {
  const source = [
    '10,100,9,pv,1511600000',
    '10,101,9,buy,1511600300',
    '10,102,7,pv,1505117799', // the dataset's known bad clock (2017-09-11)
    '10,101,9,cart,1511600200',
    '2,200,8,fav,1511700000',
    '2,201,8,pv,1511600000',
    '',
  ].join('\r\n');

  it('maps behaviours, converts seconds to ms, sorts users and time, drops out-of-window rows', () => {
    const skipped: number[] = [];
    const csv = convertTaobao(source, 't.csv', { onSkip: (line) => skipped.push(line) });
    expect(csv.split('\n')).toEqual([
      'user_id,item_id,timestamp,event_type,category',
      '2,201,1511600000000,view,8',
      '2,200,1511700000000,click,8',
      '10,100,1511600000000,view,9',
      '10,101,1511600200000,cart,9',
      '10,101,1511600300000,purchase,9',
      '',
    ]);
    expect(skipped).toEqual([3]);
  });

  it('round-trips through loadEventsCsv with categories', () => {
    const loaded = roundTrip('t-events.csv', convertTaobao(source, 't.csv'));
    expect(loaded.sequences.get('10')).toEqual(['100', '101', '101']);
    expect(loaded.types.get('10')).toEqual(['view', 'cart', 'purchase']);
    expect(loaded.types.get('2')).toEqual(['view', 'click']);
    expect(loaded.categories.get('200')).toBe('8');
  });

  it('names the line and what was expected', () => {
    const behaviour = thrown(() => convertTaobao(source.replace('fav', 'like'), 't.csv'));
    expect([behaviour.file, behaviour.line, behaviour.expected]).toEqual(['t.csv', 5, 'behavior_type in pv|cart|fav|buy, got "like"']);
    expect(thrown(() => convertTaobao(source.replace('2,201,8,pv,', '2,201,pv,'), 't.csv')).line).toBe(6);
    expect(thrown(() => convertTaobao('user_id,item_id,category_id,behavior_type,timestamp\n' + source, 't.csv')).line).toBe(1);
    expect(thrown(() => convertTaobao('1,2,3,pv,1505117799\n', 't.csv')).expected).toMatch(/at least one row/);
  });
});

// The datasets live outside the repository (research terms forbid committing them), so this check runs only where
// they are present: LOCALRANK_DATASETS, or ../shared/datasets next to the repository root.
const datasets = process.env.LOCALRANK_DATASETS ?? fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const diginetica = join(datasets, 'diginetica-sample/sample_train-item-views.csv');
const taobao = join(datasets, 'taobao-userbehavior-head/UserBehavior.csv');
const exists = existsSync(diginetica) && existsSync(taobao);

describe('real datasets (counts from their PROVENANCE.md)', () => {
  // Skipped only when the datasets are not at LOCALRANK_DATASETS or ../shared/datasets (nothing to convert then).
  it.skipIf(!exists)('converts the Diginetica sample and the Taobao head', () => {
    const d = roundTrip('diginetica.csv', convertDiginetica(readFileSync(diginetica, 'utf8'), diginetica));
    expect([...d.sequences.values()].reduce((n, s) => n + s.length, 0)).toBe(12_391);
    expect(d.sequences.size).toBe(2_986);
    expect(new Set([...d.sequences.values()].flat()).size).toBe(7_139);

    const skipped: number[] = [];
    const t = roundTrip('taobao.csv', convertTaobao(readFileSync(taobao, 'utf8'), taobao, { onSkip: (line) => skipped.push(line) }));
    expect(skipped).toHaveLength(1); // the one 2017-09-11 row PROVENANCE.md mentions
    const types = [...t.types.values()].flat();
    expect(types).toHaveLength(4_321 - 1);
    expect(t.sequences.size).toBe(43);
    expect(types.filter((x) => x === 'click')).toHaveLength(128);
    expect(types.filter((x) => x === 'cart')).toHaveLength(190);
    expect(types.filter((x) => x === 'purchase')).toHaveLength(77);
    expect(new Set(t.categories.values()).size).toBe(567 - 1); // the dropped row's category occurs nowhere else
  });
});
