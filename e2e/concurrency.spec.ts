import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { acceptedEvents, compareLedger, errorEvents, serveLedgerPage, watchUnhandled } from './event-ledger';
import type { LoggedEvent } from './event-ledger';
import { catalog, storedEvents, waitForReady } from './helpers';
import { reportCounts } from './reliability-counts';

// Several tabs of one browser share one IndexedDB log and one training lock. These tests drive real tabs at once
// and then read IndexedDB straight from a tab: every event a tab accepted must be there exactly once.

const TAB = '/e2e-tab.html';
const OTHER = '/e2e-tab-other.html';
/** A cap far above what the tests log: compaction (tested in storage.spec.ts) must not remove what is counted here. */
const NO_CAP = 'data-max-events="1000000"';
const SHOWN = catalog.filter((p) => p.inStock).slice(0, 200).map((p) => p.id);
/** Clicks go to only these products: fewer than 5 engaged products, so no tab starts training in the logging tests. */
const CLICKED = SHOWN.slice(0, 3);

/**
 * Tracks `n` events tagged `list: tag`, positions `from…from+n-1`, in one task: mostly impressions (batched), with
 * clicks, add-to-carts, searches and dwells (each written at once). Returns how many were accepted.
 */
function trackBurst(page: Page, tag: string, from: number, n: number): Promise<number> {
  return page.evaluate(
    ({ tag, from, n, shown, clicked }) => {
      let ok = 0;
      for (let i = from; i < from + n; i++) {
        const kind = i % 10;
        const context = { list: tag, position: i };
        const event =
          kind === 3
            ? { type: 'click' as const, productId: clicked[i % clicked.length], context }
            : kind === 6
              ? { type: 'search' as const, context: { ...context, query: `query ${i}` } }
              : kind === 8
                ? { type: 'dwell' as const, productId: shown[i % shown.length], dwellMs: 1000 + i, context }
                : kind === 9 && i % 20 === 9
                  ? { type: 'add-to-cart' as const, productId: clicked[i % clicked.length], context }
                  : { type: 'impression' as const, productId: shown[i % shown.length], context };
        if (window.LocalRank!.track(event)) ok++;
      }
      return ok;
    },
    { tag, from, n, shown: SHOWN, clicked: CLICKED },
  );
}

/** Stored events tagged `tag`, by position: how often each is there. */
function countByPosition(stored: readonly LoggedEvent[], tag: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of stored) if (e.context?.list === tag) out.set(e.context.position, (out.get(e.context.position) ?? 0) + 1);
  return out;
}

test('three tabs log at once for 30 s, with reloads and navigations mid-way: every event is stored exactly once', async ({ context }) => {
  test.setTimeout(120_000);
  await serveLedgerPage(context, TAB, NO_CAP);
  await serveLedgerPage(context, OTHER, NO_CAP, '<p>another page of the shop</p><div data-localrank-widget="for-you"></div>');
  const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
  const watches = await Promise.all(tabs.map(watchUnhandled));
  await Promise.all(tabs.map((t) => t.goto(TAB)));
  await Promise.all(tabs.map(waitForReady));

  const ledger: LoggedEvent[] = []; // every event accepted by every page of every tab
  const tracked = [0, 0, 0];
  const pageChanges = [0, 0, 0];
  const errors: string[][] = [[], [], []]; // LocalRank error events of each tab's pages
  const changedAt: number[][] = [[], [], []]; // positions at which each tab reloaded / navigated (for failure reports)
  const end = Date.now() + 30_000;
  await Promise.all(
    tabs.map(async (page, k) => {
      const tag = `tab-${k}`;
      let round = 0;
      let lastChange = Date.now();
      while (Date.now() < end) {
        const n = 4 + ((round * 7 + k) % 9);
        expect(await trackBurst(page, tag, tracked[k]!, n)).toBe(n);
        tracked[k]! += n;
        round++;
        // Tab 1 reloads every ~7 s, tab 2 moves between two pages every ~9 s, right after a burst: whatever is
        // still queued must go with the page's pagehide. Tab 0 stays.
        const every = k === 1 ? 7000 : k === 2 ? 9000 : Infinity;
        if (Date.now() - lastChange > every && Date.now() < end - 2000) {
          ledger.push(...(await acceptedEvents(page)));
          changedAt[k]!.push(tracked[k]!);
          errors[k]!.push(...(await errorEvents(page)));
          if (k === 1) await page.reload();
          else await page.goto(page.url().endsWith(TAB) ? OTHER : TAB);
          await waitForReady(page);
          pageChanges[k]!++;
          lastChange = Date.now();
        }
        await page.waitForTimeout(10 + ((round * 13 + k * 5) % 40));
      }
      ledger.push(...(await acceptedEvents(page)));
      errors[k]!.push(...(await errorEvents(page)));
    }),
  );
  await Promise.all(tabs.map((t) => t.evaluate(() => window.LocalRank!.flush())));

  const stored = await storedEvents(tabs[0]!);
  for (const [k, page] of tabs.entries()) {
    const byPosition = countByPosition(stored, `tab-${k}`);
    const missing = tracked[k]! - [...byPosition.keys()].filter((p) => p < tracked[k]!).length;
    const duplicated = [...byPosition.values()].filter((n) => n > 1).length;
    const lost = Array.from({ length: tracked[k]! }, (_, p) => p).filter((p) => !byPosition.has(p));
    expect(
      { tab: k, missing, duplicated, stored: byPosition.size },
      `tab ${k}: lost positions ${JSON.stringify(lost.slice(0, 80))}; page changes at positions ${JSON.stringify(changedAt[k])}; errors ${JSON.stringify(errors[k])}`,
    ).toEqual({ tab: k, missing: 0, duplicated: 0, stored: tracked[k] });
    // Nothing stuck in the queue. (The tab keeps auto-capturing impressions of its carousels while we check, so a
    // fresh one may be queued at any instant: flush and look again rather than read one racy snapshot.)
    await expect.poll(() => page.evaluate(async () => (await window.LocalRank!.flush(), window.LocalRank!.status().pendingWrites))).toBe(0);
  }
  // The tabs' own impressions of their carousels (auto-captured) are in the ledger too.
  expect(compareLedger(ledger, stored)).toEqual({ missing: 0, duplicated: 0, matched: ledger.length });
  expect(pageChanges[1]).toBeGreaterThan(0);
  expect(pageChanges[2]).toBeGreaterThan(0);
  for (const w of watches) {
    expect(w.pageErrors).toEqual([]);
    expect(w.rejections).toEqual([]);
  }
  reportCounts(test.info(), 'concurrency', { 'tabs run together': tabs.length, 'reloads and navigations': pageChanges[1]! + pageChanges[2]!, 'events verified': ledger.length });
});

const leaving: Array<{ name: string; leave: (page: Page) => Promise<unknown> }> = [
  { name: 'closed (beforeunload handlers run)', leave: (page) => page.close({ runBeforeUnload: true }) },
  { name: 'closed', leave: (page) => page.close() },
  { name: 'navigated to a page without LocalRank', leave: (page) => page.goto('/e2e-plain.html') },
];

for (const { name, leave } of leaving) {
  test(`a tab ${name} right after 50 quick events, without flush(): all 50 are stored, once (read from another tab)`, async ({ context }) => {
    await serveLedgerPage(context, TAB, NO_CAP);
    await context.route('**/e2e-plain.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>plain</title><p>no LocalRank here</p>' }));
    const reader = await context.newPage();
    await reader.goto(TAB);
    await waitForReady(reader);
    const page = await context.newPage();
    const watch = await watchUnhandled(page);
    await page.goto(TAB);
    await waitForReady(page);
    // 50 events in one task, then the tab goes at once: the last impressions are still in the batch window.
    const queued = await page.evaluate(
      ({ shown, clicked }) => {
        let ok = 0;
        for (let i = 0; i < 50; i++) {
          const type = i % 8 === 3 && i < 40 ? 'click' : 'impression';
          if (window.LocalRank!.track({ type, productId: type === 'click' ? clicked[i % clicked.length] : shown[i], context: { list: 'leaving', position: i } })) ok++;
        }
        const ledger = (window as unknown as { __accepted: unknown[] }).__accepted.slice();
        return { ok, pending: window.LocalRank!.status().pendingWrites, ledger };
      },
      { shown: SHOWN, clicked: CLICKED },
    );
    await leave(page);
    const accepted = queued.ledger as LoggedEvent[];
    expect(queued.ok).toBe(50);
    expect(queued.pending).toBeGreaterThan(0); // some events had not been handed to IndexedDB yet

    // The reader tab sees all 50, each once (the last commit may still be landing: poll, then check exactly).
    await expect.poll(async () => countByPosition(await storedEvents(reader), 'leaving').size).toBe(50);
    const stored = await storedEvents(reader);
    const byPosition = countByPosition(stored, 'leaving');
    expect([...byPosition.values()].every((n) => n === 1)).toBe(true);
    expect(compareLedger(accepted, stored)).toEqual({ missing: 0, duplicated: 0, matched: accepted.length });
    expect(watch.pageErrors).toEqual([]);
    expect(watch.rejections).toEqual([]);
    reportCounts(test.info(), 'concurrency', { 'tabs closed or left mid-write': 1, 'events still queued when it left': queued.pending, 'events verified': accepted.length });
  });
}

test('a tab that leaves while another tab holds the event store loses nothing: its exit journal is stored once by the next page', async ({ context }) => {
  // Chromium aborts a leaving page's transaction that is still waiting for its turn (shown with plain IndexedDB
  // before this was fixed): with several tabs of a shop open, another tab's write or read is often running.
  await serveLedgerPage(context, TAB, NO_CAP);
  await context.route('**/e2e-plain.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>plain</title><p>no LocalRank here</p>' }));
  const holder = await context.newPage();
  await holder.goto(TAB);
  await waitForReady(holder);
  const page = await context.newPage();
  const watch = await watchUnhandled(page);
  await page.goto(TAB);
  await waitForReady(page);
  // The other tab holds a readwrite transaction on the events store for 4 s (a long compaction, say).
  await holder.evaluate(
    () =>
      new Promise<void>((started) => {
        const open = indexedDB.open('localrank');
        open.onsuccess = () => {
          const tx = open.result.transaction('events', 'readwrite');
          const store = tx.objectStore('events');
          const t0 = Date.now();
          const spin = (): void => {
            if (Date.now() - t0 < 4000) store.count().onsuccess = spin;
          };
          spin();
          (window as unknown as { __held: Promise<unknown> }).__held = new Promise((done) => (tx.oncomplete = done));
          started();
        };
      }),
  );
  // 50 events (clicks are handed to IndexedDB at once, impressions wait for the batch), then the tab leaves.
  const accepted = (await page.evaluate(
    ({ shown, clicked }) => {
      for (let i = 0; i < 50; i++) {
        const type = i % 8 === 3 ? 'click' : 'impression';
        window.LocalRank!.track({ type, productId: type === 'click' ? clicked[i % clicked.length] : shown[i], context: { list: 'contended', position: i } });
      }
      return (window as unknown as { __accepted: unknown[] }).__accepted.slice();
    },
    { shown: SHOWN, clicked: CLICKED },
  )) as LoggedEvent[];
  await page.goto('/e2e-plain.html');
  // What the leaving page could not see committed is in its journal (localStorage, shared by the origin's tabs).
  const journal = await holder.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('localrank:localrank:journal:')).map((k) => (JSON.parse(localStorage.getItem(k)!) as unknown[]).length));
  expect(journal.length).toBe(1);
  expect(journal[0]).toBeGreaterThan(0);
  await holder.evaluate(() => (window as unknown as { __held: Promise<unknown> }).__held);

  // The shopper opens another page of the shop: it stores the journal's events, each once, and removes the entry.
  const next = await context.newPage();
  await next.goto(TAB);
  await waitForReady(next);
  await expect.poll(async () => countByPosition(await storedEvents(next), 'contended').size).toBe(50);
  const stored = await storedEvents(next);
  expect([...countByPosition(stored, 'contended').values()].every((n) => n === 1)).toBe(true);
  expect(compareLedger(accepted, stored)).toEqual({ missing: 0, duplicated: 0, matched: accepted.length }); // its carousel's impressions too
  await expect.poll(() => next.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':journal:')).length)).toBe(0);
  expect(watch.pageErrors).toEqual([]);
  expect(watch.rejections).toEqual([]);
  reportCounts(test.info(), 'concurrency', { 'tabs closed or left mid-write': 1, 'events kept by the exit journal': journal[0]!, 'events verified': accepted.length });
});

/** Records every Web Locks request of the page: when, for which lock, and whether it was granted. */
function recordLockRequests(): void {
  const w = window as unknown as { __locks: Array<{ at: number; name: string; granted: boolean }> };
  w.__locks = [];
  const request = LockManager.prototype.request as (...args: unknown[]) => Promise<unknown>;
  LockManager.prototype.request = function patched(this: LockManager, name: string, ...rest: unknown[]) {
    const callback = rest.pop() as (lock: Lock | null) => unknown;
    return request.call(this, name, ...rest, (lock: Lock | null) => {
      w.__locks.push({ at: Date.now(), name, granted: lock !== null });
      return callback(lock);
    });
  } as LockManager['request'];
}

test('two tabs that both want to train never train at the same time: one holds the lock, the other retries after it', async ({ context }) => {
  test.setTimeout(150_000);
  await serveLedgerPage(context, TAB, NO_CAP, '<div style="height: 3000px"></div><div data-localrank-widget="for-you"></div>');
  await context.addInitScript(recordLockRequests);

  // A shopper engaged with 24 products in an earlier visit, each after seeing 3 others (logged by that tab, which
  // closed before it trained). Enough examples that a run lasts a while: the two tabs really compete.
  const seeder = await context.newPage();
  await seeder.goto(TAB);
  await waitForReady(seeder);
  const liked = catalog.filter((p) => p.category === catalog[0]!.category && p.inStock).slice(0, 24).map((p) => p.id);
  const others = catalog.filter((p) => p.category !== catalog[0]!.category).slice(0, 72).map((p) => p.id);
  await seeder.evaluate(
    ({ liked, others }) => {
      let t = Date.now() - 6 * 3600_000;
      liked.forEach((id, i) => {
        for (const o of others.slice(i * 3, i * 3 + 3)) window.LocalRank!.track({ type: 'impression', productId: o, time: (t += 10_000), context: { list: 'seed' } });
        window.LocalRank!.track({ type: 'impression', productId: id, time: (t += 10_000), context: { list: 'seed' } });
        window.LocalRank!.track({ type: 'click', productId: id, time: (t += 5_000), context: { list: 'seed' } });
      });
    },
    { liked, others },
  );
  await seeder.evaluate(() => window.LocalRank!.flush());
  await seeder.close();

  // Two tabs open together: both read 8 engaged products, both become idle, both want to train.
  const tabs = [await context.newPage(), await context.newPage()];
  const watches = await Promise.all(tabs.map(watchUnhandled));
  await Promise.all(tabs.map((t) => t.goto(TAB)));
  await Promise.all(tabs.map(waitForReady));
  // Both finish a run (the second one after its retry).
  for (const t of tabs) await expect.poll(() => t.evaluate(() => window.LocalRank!.status().model.runs), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);

  const END = new Set(['done', 'rejected', 'stopped', 'failed']);
  const runs: Array<{ tab: number; start: number; end: number }> = [];
  const locks: Array<Array<{ at: number; name: string; granted: boolean }>> = [];
  for (const [k, t] of tabs.entries()) {
    const train = await t.evaluate(() => (window as unknown as { __train: Array<{ phase: string; at: number }> }).__train);
    let start: number | undefined;
    for (const p of train) {
      if (p.phase === 'start') start = p.at;
      else if (END.has(p.phase) && start !== undefined) {
        runs.push({ tab: k, start, end: p.at });
        start = undefined;
      }
    }
    expect(start).toBeUndefined(); // no run left open
    locks.push((await t.evaluate(() => (window as unknown as { __locks: Array<{ at: number; name: string; granted: boolean }> }).__locks)).filter((l) => l.name === 'localrank-train:localrank'));
  }
  // Both tabs trained …
  expect(new Set(runs.map((r) => r.tab))).toEqual(new Set([0, 1]));
  // … never at the same time: sorted by start, each run begins after the previous one ended.
  runs.sort((a, b) => a.start - b.start);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.start, JSON.stringify(runs)).toBeGreaterThanOrEqual(runs[i - 1]!.end);
  // Both asked for the lock; the tab that trained second was refused while the first held it, and retried.
  const first = runs[0]!;
  const second = runs.find((r) => r.tab !== first.tab)!;
  const story = JSON.stringify({ runs, locks });
  const held = locks[first.tab]!.find((l) => l.granted && l.at <= first.start);
  expect(held, story).toBeDefined();
  const refused = locks[second.tab]!.filter((l) => !l.granted && l.at >= held!.at && l.at <= first.end);
  expect(refused.length, story).toBeGreaterThan(0);
  expect(locks[second.tab]!.some((l) => l.granted && l.at >= first.end && l.at <= second.start), story).toBe(true);
  for (const w of watches) {
    expect(w.pageErrors).toEqual([]);
    expect(w.rejections).toEqual([]);
  }
  reportCounts(test.info(), 'concurrency', {
    'training runs checked for overlap': runs.length,
    'lock requests observed': locks[0]!.length + locks[1]!.length,
    'lock requests refused while another tab trained': refused.length,
  });
});
