import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { carouselIds, catalog, categoryOf, storedEvents, waitForReady, watchErrors } from './helpers';
import { reportCounts } from './reliability-counts';

// tfjs faults in real Chromium: the training worker's WebGL context lost mid-run, tensor counts on WebGL, and the
// worker script failing to load. WebGL here is SwiftShader (software, slow): small data, generous timeouts, and
// no timing assertions.
test.setTimeout(180_000);

const host = (attrs: string): string => `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home">
<!-- Below the fold: no impressions are logged, so the shopper's profile stays exactly as the test seeds it. -->
<div style="height: 3000px"></div><div data-localrank-widget="for-you"></div></body></html>`;

/** Opens a host page with the given script attributes; records unhandled rejections in `window.__unhandled`. */
async function open(page: Page, attrs: string): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __unhandled: string[] };
    w.__unhandled = [];
    addEventListener('unhandledrejection', (e) => w.__unhandled.push(String(e.reason)));
  });
  await page.route('**/e2e-tfjs.html', (r) => r.fulfill({ contentType: 'text/html', body: host(attrs) }));
  await page.goto('/e2e-tfjs.html');
  await waitForReady(page);
}

const unhandled = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __unhandled: string[] }).__unhandled);

const LIKED = catalog.filter((p) => p.category === 'books' && p.inStock).map((p) => p.id);
const OTHERS = catalog.filter((p) => p.category !== 'books').map((p) => p.id);
/** A host list of 60 in-stock products from several categories (10 of them books). */
const TEST_LIST = catalog.filter((p) => p.inStock).slice(0, 60).map((p) => p.id);

/** A shopper who clicks books `from`..`to` (each after three unclicked impressions of other categories). */
async function engage(page: Page, from: number, to: number): Promise<number> {
  const tracked = await page.evaluate(
    ({ liked, others, from }) => {
      let t = Date.now() - 3 * 3600_000 + from * 60_000;
      let n = 0;
      liked.forEach((id, i) => {
        for (const o of others.slice(i * 3, i * 3 + 3)) n += Number(window.LocalRank!.track({ type: 'impression', productId: o, time: (t += 10_000) }));
        n += Number(window.LocalRank!.track({ type: 'impression', productId: id, time: (t += 10_000) }));
        n += Number(window.LocalRank!.track({ type: 'click', productId: id, time: (t += 5_000) }));
      });
      return n;
    },
    { liked: LIKED.slice(from, to), others: OTHERS.slice(from * 3, to * 3), from },
  );
  await page.evaluate(() => window.LocalRank!.flush());
  return tracked;
}

let collectors = 0;
/** Collects `train` events (phase, message) as they are emitted. */
async function collectTrain(page: Page): Promise<Array<{ phase: string; message?: string }>> {
  const events: Array<{ phase: string; message?: string }> = [];
  const name = `__train${++collectors}`;
  await page.exposeFunction(name, (p: { phase: string; message?: string }) => events.push(p));
  await page.evaluate((fn) => window.LocalRank!.on('train', (p) => (window as never as Record<string, (p: unknown) => void>)[fn]!(p)), name);
  return events;
}

interface StoredModel {
  meta: { trainedAt: number; backend: string; origin: string; validation?: { model: number; heuristic: number; before?: number } };
  weights: number[];
}

/** In the page: reads the `models` store's `current` record straight from IndexedDB (not through LocalRank). */
function readModelRecord(): Promise<StoredModel | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('localrank');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('models').objectStore('models').get('current');
      req.onsuccess = () => {
        const r = req.result;
        open.result.close();
        resolve(r ? { meta: r.meta, weights: Array.from(new Float32Array(r.weightData)) } : undefined);
      };
      req.onerror = () => reject(req.error);
    };
  });
}

let recordsRead = 0;
async function storedModel(page: Page): Promise<StoredModel | undefined> {
  const record = await page.evaluate(`(${readModelRecord.toString()})()`) as StoredModel | undefined;
  recordsRead++;
  return record;
}

const status = (page: Page) => page.evaluate(() => window.LocalRank!.status());
const rerank = (page: Page): Promise<string[]> => page.evaluate((ids) => window.LocalRank!.rerank(ids), TEST_LIST);

/** A personalised order of the test list: the same items, not the host's order, books first. */
function expectPersonalised(order: string[]): void {
  expect([...order].sort()).toEqual([...TEST_LIST].sort());
  expect(order).not.toEqual(TEST_LIST);
  expect(order.slice(0, 5).map((id) => categoryOf.get(id))).toEqual(Array(5).fill('books'));
}

test('WebGL context lost mid-training: the run fails with LR_MODEL_TRAIN, the stored model is kept, ranking goes on, training resumes without WebGL', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  // A stored model first, trained quickly on wasm.
  await open(page, 'data-backend="wasm"');
  const firstRun = await collectTrain(page);
  let tracked = await engage(page, 0, 8);
  await expect.poll(async () => (await status(page)).model.source, { timeout: 120_000 }).toBe('trained');
  const stored = await storedModel(page);
  expect(stored?.meta.backend).toBe('wasm');

  // The same shopper on a page that trains on WebGL: the stored model ranks; three more books make a fine-tune due.
  await page.route('**/e2e-tfjs-webgl.html', (r) => r.fulfill({ contentType: 'text/html', body: host('data-backend="webgl"') }));
  await page.goto('/e2e-tfjs-webgl.html');
  await waitForReady(page);
  expect((await status(page)).model).toMatchObject({ state: 'ready', source: 'indexeddb', trainedAt: stored!.meta.trainedAt });
  const train = await collectTrain(page);
  // The moment the run fails (before any retry could start), record what is stored and how rerank() orders.
  await page.evaluate(
    ({ read, ids }) => {
      const w = window as unknown as { __atFailure?: Promise<unknown> };
      const off = window.LocalRank!.on('train', (p) => {
        if (p.phase !== 'failed') return;
        off();
        w.__atFailure = Promise.all([(0, eval)(read)(), window.LocalRank!.rerank(ids), window.LocalRank!.status()]);
      });
    },
    { read: `(${readModelRecord.toString()})`, ids: TEST_LIST },
  );
  // Mid-run on WebGL: the context is lost as soon as the page hears of the run's first epoch (injected from the
  // test's side after polling, a short fine-tune sometimes finished first on a busy machine).
  await page.evaluate(() => {
    const w = window as unknown as { __injected?: Promise<unknown> };
    const off = window.LocalRank!.on('train', (p) => {
      if (p.phase !== 'epoch') return;
      off();
      w.__injected = window.LocalRank!.diagnose({ loseContext: true });
    });
  });
  tracked += await engage(page, 8, 12);
  const orderBefore = await rerank(page); // the stored model, on the shopper's profile as it stays from here on
  expectPersonalised(orderBefore);
  await expect.poll(() => train.map((p) => p.phase), { timeout: 120_000 }).toContain('epoch');
  await page.waitForFunction(() => !!(window as unknown as { __injected?: Promise<unknown> }).__injected);
  const injected = await page.evaluate(() => (window as unknown as { __injected: Promise<{ lost: boolean; backend: string } | undefined> }).__injected);
  expect(injected).toEqual({ lost: true, backend: 'webgl' });
  await expect.poll(() => train.map((p) => p.phase), { timeout: 60_000 }).toContain('failed');
  const failedAt = train.findIndex((p) => p.phase === 'failed');
  expect(train[failedAt]!.message).toMatch(/WebGL context .* lost; nothing was saved/);
  expect(train.slice(0, failedAt).map((p) => p.phase)).not.toContain('done');
  const codes = (await status(page)).errors.filter((e) => e.code === 'LR_MODEL_TRAIN');
  expect(codes.map((e) => e.message)).toEqual([expect.stringMatching(/WebGL context of the training worker was lost.*previous model is kept/)]);

  const [afterLoss, orderAtFailure, statusAtFailure] = (await page.evaluate(() => (window as unknown as { __atFailure: Promise<unknown> }).__atFailure)) as [
    StoredModel | undefined,
    string[],
    { ranker: string; model: { state: string; source?: string; trainedAt?: number } },
  ];
  recordsRead++;
  // Nothing trained on the lost context was stored: the record is the one from before, bit for bit.
  expect(afterLoss?.meta.trainedAt).toBe(stored!.meta.trainedAt);
  expect(afterLoss?.weights).toEqual(stored!.weights);
  // Ranking keeps working with the stored model: the same personalised order, and the carousel shows its cards.
  expect(statusAtFailure).toMatchObject({ ranker: 'model', model: { state: 'ready', source: 'indexeddb', trainedAt: stored!.meta.trainedAt } });
  expect(orderAtFailure).toEqual(orderBefore);
  expect(await carouselIds(page, 'for-you')).toHaveLength(12);

  // Training resumes by itself at the next idle time, in a new worker without WebGL, and that run completes.
  await expect.poll(() => train.slice(failedAt + 1).map((p) => p.phase), { timeout: 120_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^(done|rejected)$/)]));
  const recovered = await status(page);
  expect(recovered.backend).toBe('wasm');
  expect(recovered.backendReason).toBe('the WebGL context was lost during training; wasm instead');
  expect(train.slice(failedAt + 1).map((p) => p.phase)[0]).toBe('start');
  const latest = await storedModel(page);
  if (train.some((p) => p.phase === 'done')) {
    // Replaced: by the wasm run, with finite weights that validated at least as well as the model they replace.
    expect(latest!.meta.backend).toBe('wasm');
    expect(latest!.meta.trainedAt).toBeGreaterThan(stored!.meta.trainedAt);
    expect(latest!.weights.length).toBe(stored!.weights.length);
    expect(latest!.weights.every(Number.isFinite)).toBe(true);
    expect(latest!.meta.validation!.model).toBeGreaterThanOrEqual(latest!.meta.validation!.before!);
    expect(recovered.model).toMatchObject({ state: 'ready', source: 'trained', trainedAt: latest!.meta.trainedAt });
  } else {
    expect(latest).toEqual(stored);
  }
  expectPersonalised(await rerank(page));

  // And the recovered worker does not leak tensors.
  const memory = await page.evaluate(() => window.LocalRank!.diagnose(100));
  expect(memory).toMatchObject({ cycles: 100 });
  expect(memory!.tensorsAfter).toBe(memory!.tensorsBefore);

  const events = await storedEvents(page);
  expect(events).toHaveLength(tracked);
  expect(errors.pageErrors).toEqual([]);
  expect(await unhandled(page)).toEqual([]);
  reportCounts(testInfo, 'tfjs-faults', {
    'faults injected': Number(injected!.lost),
    'training runs checked': [...firstRun, ...train].filter((p) => /^(done|rejected|failed|stopped)$/.test(p.phase)).length,
    'stored model records checked': recordsRead,
    'tensor cycles checked': memory!.cycles,
    'events verified': events.length,
  });
});

test("WebGL: the worker's tensor count is the same before and after 100 train + score cycles", async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await open(page, 'data-backend="webgl"');
  expect((await status(page)).backend).toBe('none'); // no history yet: tfjs is not loaded until asked
  const memory = await page.evaluate(() => window.LocalRank!.diagnose(100));
  expect(await status(page)).toMatchObject({ backend: 'webgl', webglVersion: 2, backendReason: 'configured: webgl' });
  expect(memory).toMatchObject({ cycles: 100 });
  expect(memory!.tensorsBefore).toBeGreaterThan(0); // the probe model's weights: the count is real
  expect(memory!.tensorsAfter).toBe(memory!.tensorsBefore);
  // The diagnostic's own probe model is freed too: a second run starts from the same count.
  const again = await page.evaluate(() => window.LocalRank!.diagnose(1));
  expect(again).toEqual({ cycles: 1, tensorsBefore: memory!.tensorsBefore, tensorsAfter: memory!.tensorsBefore });
  expect(errors.pageErrors).toEqual([]);
  expect(await unhandled(page)).toEqual([]);
  reportCounts(testInfo, 'tfjs-faults', { 'tensor cycles checked': memory!.cycles + again!.cycles });
});

test('the training worker script fails to load (HTTP 500): LR_MODEL_TRAIN, the heuristic keeps ranking, no event lost, no page error', async ({ page, context }, testInfo) => {
  const workerRequests: string[] = [];
  await context.route('**/chunks/train.worker-*.js', (r) => {
    workerRequests.push(r.request().url());
    return r.fulfill({ status: 500, contentType: 'text/plain', body: 'upstream error' });
  });
  const errors = watchErrors(page);
  await open(page, '');
  const train = await collectTrain(page);
  let tracked = await engage(page, 0, 8); // enough engaged products: training becomes due at the next idle time

  await expect.poll(() => train.map((p) => p.phase), { timeout: 60_000 }).toEqual(['failed']);
  expect(train[0]!.message).toMatch(/training worker failed/);
  const first = await status(page);
  expect(first.errors.filter((e) => e.code === 'LR_MODEL_TRAIN').map((e) => e.message)).toEqual([
    expect.stringMatching(/training worker failed \(its script could not be loaded\); it is restarted when training is next due/),
  ]);
  expect(first).toMatchObject({ ranker: 'heuristic', model: { state: 'failed', runs: 1 } });
  expect(workerRequests).toHaveLength(1);

  // Diagnostics try once more and resolve (no hang) when the worker fails again; then it is not restarted.
  expect(await page.evaluate(() => window.LocalRank!.diagnose(10))).toBeUndefined();
  expect(workerRequests).toHaveLength(2);
  const second = await status(page);
  expect(second.backendReason).toBe('the training worker failed; not restarted on this page');
  expect(second.errors.filter((e) => e.code === 'LR_MODEL_TRAIN').at(-1)!.message).toMatch(/it is not restarted on this page/);

  // The shopper goes on: events are logged and stored, the heuristic personalises, no third worker request.
  tracked += await engage(page, 8, 12);
  expectPersonalised(await rerank(page));
  await expect.poll(async () => categoryOf.get((await carouselIds(page, 'for-you'))[0]!)).toBe('books');
  await page.waitForTimeout(2500); // an idle period in which a new training run would be due
  expect(workerRequests).toHaveLength(2);
  expect(train.map((p) => p.phase)).toEqual(['failed']);
  const events = await storedEvents(page);
  expect(events).toHaveLength(tracked);
  expect((await status(page)).events).toBe(tracked);
  expect(errors.pageErrors).toEqual([]);
  expect(await unhandled(page)).toEqual([]);
  reportCounts(testInfo, 'tfjs-faults', {
    'faults injected': workerRequests.length,
    'training runs checked': train.length,
    'events verified': events.length,
  });
});

test('the WebGL backend chunk fails to load: the worker falls back to wasm, says why, and trains', async ({ page, context }, testInfo) => {
  const backendRequests: string[] = [];
  await context.route('**/chunks/tfjs-backend-webgl-*.js', (r) => {
    backendRequests.push(r.request().url());
    return r.fulfill({ status: 500, contentType: 'text/plain', body: 'upstream error' });
  });
  const errors = watchErrors(page);
  await open(page, 'data-backend="webgl"');
  const train = await collectTrain(page);
  await engage(page, 0, 8);
  await expect.poll(async () => (await status(page)).model.source, { timeout: 120_000 }).toBe('trained');
  expect(await status(page)).toMatchObject({ backend: 'wasm', backendReason: 'configured webgl is unavailable; wasm instead', ranker: 'model' });
  expect(backendRequests.length).toBeGreaterThan(0);
  expect(train.map((p) => p.phase).filter((p) => p !== 'epoch')).toEqual(['start', 'done']);
  const recordsBefore = recordsRead;
  const stored = await storedModel(page);
  expect(stored!.meta.backend).toBe('wasm');
  expect(stored!.weights.every(Number.isFinite)).toBe(true);
  expectPersonalised(await rerank(page));
  expect(errors.pageErrors).toEqual([]);
  expect(await unhandled(page)).toEqual([]);
  reportCounts(testInfo, 'tfjs-faults', {
    'faults injected': backendRequests.length,
    'training runs checked': train.filter((p) => p.phase === 'done').length,
    'stored model records checked': recordsRead - recordsBefore,
  });
});
