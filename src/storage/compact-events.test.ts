import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { foldEvents } from '../core/counter';
import type { LocalRankErrorInfo } from '../core/errors';
import { interaction } from '../core/test-fixtures';
import { compactEvents } from './compact-events';
import { createEventLog } from './event-log';

let errors: LocalRankErrorInfo[];
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  errors = [];
});

const NOW = 1_800_000_000_000;

describe('compactEvents', () => {
  it('compacts the oldest events into counters when over the cap, in one transaction', async () => {
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError: (e) => errors.push(e) });
    for (let i = 0; i < 120; i++) log.append(interaction(i % 2 ? 'click' : 'impression', `p${i % 10}`, NOW + i));
    await log.flush();
    const database = (await log.database())!;
    const fold = (existing: Parameters<typeof foldEvents>[0], old: Parameters<typeof foldEvents>[1]) =>
      foldEvents(existing, old, () => 'cat', 1e9, NOW + 1000);
    expect(await compactEvents(database, 200, fold, (e) => errors.push(e))).toBe(0);
    const removed = await compactEvents(database, 100, fold, (e) => errors.push(e));
    expect(removed).toBe(30); // down to 90 % of the cap
    const { events, counters } = await log.read();
    expect(events).toHaveLength(90);
    expect(events[0]!.time).toBe(NOW + 30); // the oldest went
    const clicks = counters.filter((c) => c.kind === 'product').reduce((n, c) => n + c.counts.click, 0);
    const impressions = counters.filter((c) => c.kind === 'product').reduce((n, c) => n + c.counts.impression, 0);
    expect(clicks + impressions).toBe(30);
    expect(counters.find((c) => c.key === 'c:cat')!.counts.click).toBe(15);
    expect(errors).toEqual([]);
  });

  it('reports a failure and leaves the log as it was', async () => {
    const log = createEventLog({ dbName: 'test', flushMs: 10_000, onError: (e) => errors.push(e) });
    for (let i = 0; i < 20; i++) log.append(interaction('click', `p${i}`, NOW + i));
    await log.flush();
    const database = (await log.database())!;
    const n = await compactEvents(database, 10, () => {
      throw new Error('fold broke');
    }, (e) => errors.push(e));
    expect(n).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['LR_STORAGE_WRITE']);
    expect((await log.read()).events).toHaveLength(20);
  });
});
