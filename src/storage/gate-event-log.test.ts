import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createEventLog } from './event-log';
import { gateEventLog } from './gate-event-log';

describe('gateEventLog', () => {
  it('creates no database and keeps nothing while closed, and logs once opened', async () => {
    const dbName = 'gate-test';
    let open = false;
    const log = gateEventLog(createEventLog({ dbName, flushMs: 0, onError: () => {} }), () => open);
    log.append({ type: 'click', productId: 'a', time: 1, context: { page: 'home' } });
    await log.flush();
    expect(await log.read()).toEqual({ events: [], counters: [] });
    expect(await log.database()).toBeUndefined();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(dbName);

    open = true;
    log.append({ type: 'click', productId: 'b', time: 2, context: { page: 'home' } });
    await log.flush();
    const { events } = await log.read();
    expect(events.map((e) => e.productId)).toEqual(['b']);
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(dbName);
  });
});
