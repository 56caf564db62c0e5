import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { shopperHistory } from '../shopper-history';
import { summarise } from '../stats';
import type { BenchContext, Figure, Section } from '../types';

/** Shopper cycles (rerank 200 candidates + an impression and a click) between the two heap readings. */
const CYCLES = 100;
/** Candidates per rerank. */
const CANDIDATES = 200;
/** Events in the seeded history: enough for a first model, small enough to train in a few seconds (wasm). */
const EVENTS = 200;
/** Fresh pages (heap samples) per profile, at most (each trains a first model: slow). */
const MAX_PAGES = 3;
/** Training runs between the two `tf.memory()` readings, in the first page only (each waits 1.5 s of idle time). */
const TRAIN_RUNS = 5;
const TERMINAL = ['done', 'rejected', 'stopped', 'failed'];

const host = (withLocalRank: boolean): string => `<!doctype html><html lang="en"><head>
${withLocalRank ? '<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script>' : ''}</head>
<body data-localrank-page="home"><h1>Shop</h1><div data-localrank-widget="for-you"></div></body></html>`;

const MB = 1024 * 1024;
/** tsx (esbuild, keepNames) may wrap functions passed to the page in `__name(...)`: give the page that helper. */
const KEEP_NAMES = 'globalThis.__name ??= (f) => f;';

interface Sample {
  readonly heapStart: number;
  readonly heapAfter: number;
  /** After {@link CYCLES} more cycles of rerank alone (no tracking): the log's growth left out. */
  readonly heapAfterRerank: number;
}

interface TrainingSample {
  readonly tensorsStart: number;
  readonly tensorsAfter: number;
  readonly bytesStart: number;
  readonly bytesAfter: number;
  readonly heapAfterTraining: number;
  readonly runs: number;
  readonly backend: string;
  readonly outcomes: string[];
}

/** Main-thread JS heap after two full garbage collections (the harness exposes `gc` with --js-flags=--expose-gc). */
function heap(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const g = (globalThis as unknown as { gc?: () => void }).gc;
    g?.();
    await new Promise((r) => setTimeout(r, 0));
    g?.();
    return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
  });
}

/** The shopper's repeated actions: rerank the candidates, log an impression and a click (on already engaged products). */
function cycles(page: Page, ids: readonly string[], engaged: readonly string[], mode: 'shopper' | 'rerank' | 'no-localrank'): Promise<void> {
  return page.evaluate(
    async ({ ids, engaged, n, mode }) => {
      for (let i = 0; i < n; i++) {
        if (mode === 'no-localrank') {
          // The page without LocalRank shows the list in the shop's own order.
          ids.slice();
          continue;
        }
        await window.LocalRank!.rerank(ids);
        if (mode === 'rerank') continue;
        window.LocalRank!.track({ type: 'impression', productId: ids[i % ids.length]! });
        window.LocalRank!.track({ type: 'click', productId: engaged[i % engaged.length]! });
      }
      if (mode === 'shopper') await window.LocalRank!.flush();
    },
    { ids, engaged, n: CYCLES, mode },
  );
}

const terminalCount = (page: Page): Promise<number> =>
  page.evaluate((terminal) => (window as unknown as { __train: string[] }).__train.filter((p) => terminal.includes(p)).length, TERMINAL);

async function waitForTerminal(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    ({ n, terminal }) => (window as unknown as { __train: string[] }).__train.filter((p) => terminal.includes(p)).length >= n,
    { n, terminal: TERMINAL },
    { timeout: 180_000, polling: 250 },
  );
}

async function localRankPage(
  ctx: BenchContext,
  catalog: ReadonlyArray<{ id: string; category: string; inStock?: boolean }>,
  seed: number,
  withTraining: boolean,
): Promise<{ sample: Sample; training?: TrainingSample }> {
  const { context, page } = await ctx.newPage();
  try {
    await page.addInitScript(KEEP_NAMES);
    await page.route('**/bench-memory.html', (r) => r.fulfill({ contentType: 'text/html', body: host(true) }));
    await page.goto('/bench-memory.html');
    await page.waitForFunction(() => !!window.LocalRank);
    await page.evaluate(() => window.LocalRank!.ready);
    await page.evaluate(() => {
      const w = window as unknown as { __train: string[] };
      w.__train = [];
      window.LocalRank!.on('train', (p) => w.__train.push(p.phase));
    });
    // A returning shopper: a history, and the model trained on it (the worker stays up, as on a real page).
    const history = shopperHistory(catalog, EVENTS, Date.now() - 60_000, seed);
    await page.evaluate((events) => {
      for (const e of events) window.LocalRank!.track(e);
      return window.LocalRank!.flush();
    }, history.events);
    await waitForTerminal(page, 1);
    const engaged = [...new Set(history.events.filter((e) => e.type === 'click').map((e) => e.productId))];
    const ids = catalog.slice(0, CANDIDATES).map((p) => p.id);
    const heapStart = await heap(page);
    await cycles(page, ids, engaged, 'shopper');
    const heapAfter = await heap(page);
    await cycles(page, ids, engaged, 'rerank');
    const sample = { heapStart, heapAfter, heapAfterRerank: await heap(page) };
    if (!withTraining) return { sample };

    const before = await page.evaluate(() => window.LocalRank!.diagnose({ memory: true }));
    const fresh = [...history.unengaged];
    for (let run = 0; run < TRAIN_RUNS; run++) {
      const done = await terminalCount(page);
      // Three newly engaged products: the next incremental run.
      await page.evaluate((ids) => {
        for (const id of ids) window.LocalRank!.track({ type: 'click', productId: id });
        return window.LocalRank!.flush();
      }, fresh.splice(0, 3));
      await waitForTerminal(page, done + 1);
    }
    const after = await page.evaluate(() => window.LocalRank!.diagnose({ memory: true }));
    const outcomes = await page.evaluate((terminal) => (window as unknown as { __train: string[] }).__train.filter((p) => terminal.includes(p)), TERMINAL);
    return {
      sample,
      training: {
        tensorsStart: before?.numTensors ?? Number.NaN,
        tensorsAfter: after?.numTensors ?? Number.NaN,
        bytesStart: before?.numBytes ?? Number.NaN,
        bytesAfter: after?.numBytes ?? Number.NaN,
        heapAfterTraining: await heap(page),
        runs: TRAIN_RUNS,
        backend: after?.backend ?? 'none',
        outcomes: outcomes.slice(1),
      },
    };
  } finally {
    await context.close();
  }
}

async function baselinePage(ctx: BenchContext, ids: readonly string[]): Promise<Sample> {
  const { context, page } = await ctx.newPage();
  try {
    await page.route('**/bench-memory-baseline.html', (r) => r.fulfill({ contentType: 'text/html', body: host(false) }));
    await page.goto('/bench-memory-baseline.html');
    const heapStart = await heap(page);
    await cycles(page, ids, [], 'no-localrank');
    const heapAfter = await heap(page);
    await cycles(page, ids, [], 'no-localrank');
    return { heapStart, heapAfter, heapAfterRerank: await heap(page) };
  } finally {
    await context.close();
  }
}

/**
 * Memory: the main thread's JS heap (after `gc()`) before and after {@link CYCLES} shopper cycles (rerank
 * {@link CANDIDATES} candidates, an impression and a click) on a page with a trained model, against the same page
 * without LocalRank; and the training worker's `tf.memory()` (tensors, bytes) before and after {@link TRAIN_RUNS}
 * incremental training runs.
 *
 * Keys: `memory.heap.start`, `memory.heap.after-100` (MB), `memory.heap.growth-per-cycle`,
 * `memory.heap.growth-per-rerank` (KB; each with the page without LocalRank as baseline), `memory.heap.after-training`
 * (MB), `memory.tf.tensors.start` / `.after-training` / `.growth-per-run` (count), `memory.tf.bytes.start` /
 * `.after-training` / `.growth-per-run` (KB).
 */
export const memory: Section = {
  name: 'memory',
  async run(ctx) {
    const catalog = (JSON.parse(readFileSync(join(ctx.dist, 'catalog.json'), 'utf8')) as { products: Array<{ id: string; category: string; inStock?: boolean }> })
      .products;
    const ids = catalog.slice(0, CANDIDATES).map((p) => p.id);
    const pages = Math.min(ctx.repeats, MAX_PAGES);
    const samples: Sample[] = [];
    const baselines: Sample[] = [];
    let training: TrainingSample | undefined;
    for (let r = 0; r < pages; r++) {
      ctx.log(`memory page ${r + 1}/${pages}${r === 0 ? ` (+ ${TRAIN_RUNS} training runs)` : ''}`);
      const out = await localRankPage(ctx, catalog, r + 1, r === 0);
      samples.push(out.sample);
      training ??= out.training;
      baselines.push(await baselinePage(ctx, ids));
    }
    const s = (f: (x: Sample) => number) => summarise(samples.map(f));
    const b = (f: (x: Sample) => number) => summarise(baselines.map(f));
    const baseLabel = 'the same page without LocalRank';
    const growth = (x: Sample): number => (x.heapAfter - x.heapStart) / 1024 / CYCLES;
    const rerankGrowth = (x: Sample): number => (x.heapAfterRerank - x.heapAfter) / 1024 / CYCLES;
    const figures: Figure[] = [
      { key: 'memory.heap.start', label: 'JS heap, trained model, before the cycles', unit: 'MB', value: s((x) => x.heapStart / MB), baseline: { label: baseLabel, value: b((x) => x.heapStart / MB) } },
      { key: 'memory.heap.after-100', label: `JS heap after ${CYCLES} cycles`, unit: 'MB', value: s((x) => x.heapAfter / MB), baseline: { label: baseLabel, value: b((x) => x.heapAfter / MB) } },
      { key: 'memory.heap.growth-per-cycle', label: 'JS heap growth per cycle', unit: 'KB', value: s(growth), baseline: { label: baseLabel, value: b(growth) } },
      {
        key: 'memory.heap.growth-per-rerank',
        label: `JS heap growth per rerank(${CANDIDATES}) alone (${CYCLES} more cycles, no tracking)`,
        unit: 'KB',
        value: s(rerankGrowth),
        baseline: { label: baseLabel, value: b(rerankGrowth) },
      },
    ];
    const notes = [
      `A cycle is LocalRank.rerank(${CANDIDATES} ids) + track(impression) + track(click on an already engaged product); the page has a model trained on ${EVENTS} seeded events; ${pages} fresh page(s) per profile (fewer than the harness's ${ctx.repeats}: each trains a first model).`,
      `Heap is the main thread's performance.memory.usedJSHeapSize after gc(); the worker's heap is not in it (its tfjs memory is the tf.memory() figures). The ${CYCLES * 2} tracked events stay in LocalRank's in-memory log (up to maxEvents), so some growth per cycle is by design.`,
    ];
    if (training) {
      const one = (v: number) => summarise([v]);
      figures.push(
        { key: 'memory.tf.tensors.start', label: "worker tf.memory().numTensors before the training runs", unit: 'count', value: one(training.tensorsStart) },
        { key: 'memory.tf.tensors.after-training', label: `numTensors after ${training.runs} training runs`, unit: 'count', value: one(training.tensorsAfter) },
        { key: 'memory.tf.tensors.growth-per-run', label: 'numTensors growth per training run', unit: 'count', value: one((training.tensorsAfter - training.tensorsStart) / training.runs) },
        { key: 'memory.tf.bytes.start', label: 'worker tf.memory().numBytes before the training runs', unit: 'KB', value: one(training.bytesStart / 1024) },
        { key: 'memory.tf.bytes.after-training', label: `numBytes after ${training.runs} training runs`, unit: 'KB', value: one(training.bytesAfter / 1024) },
        { key: 'memory.tf.bytes.growth-per-run', label: 'numBytes growth per training run', unit: 'KB', value: one((training.bytesAfter - training.bytesStart) / 1024 / training.runs) },
        { key: 'memory.heap.after-training', label: `main-thread JS heap after ${training.runs} training runs`, unit: 'MB', value: one(training.heapAfterTraining / MB) },
      );
      notes.push(
        `tf.memory() is read in the training worker (LocalRank.diagnose({ memory: true }), backend ${training.backend}) before and after ${training.runs} incremental runs (3 newly engaged products each; outcomes: ${training.outcomes.join(', ')}), in the first page only: one run per profile.`,
      );
    }
    return { figures, notes };
  },
};
