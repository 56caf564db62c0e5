import { createRandom } from '../../src/core/create-random';
import { normalize } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { benchCatalog, sample } from '../bench-catalog';
import { routeBefore } from '../route-before';
import { summarise } from '../stats';
import { waitForQuiet } from '../wait-for-quiet';
import type { BenchContext, Figure, Section } from '../types';

/** Candidate-list sizes measured. */
export const RERANK_SIZES = [50, 200, 1000, 10_000] as const;
/** Products in the bench catalog (the demo has 1,200; 10,000 candidates need more). */
const CATALOG_PRODUCTS = 12_000;
const TARGETS: Readonly<Record<number, number>> = { 200: 5, 1000: 16 };
const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
const LISTS = 8;
const WARMUP = 5;
/** tsx (esbuild, keepNames) wraps named functions inside page.evaluate callbacks in `__name(…)`, which pages lack. */
export const KEEP_NAMES_SHIM = 'globalThis.__name = (fn) => fn;';

/** Measurements of one page, by size: main-thread and wall ms of `LocalRank.rerank()`, and of the naive sort. */
export interface PageRuns {
  readonly main: Record<number, number[]>;
  readonly wall: Record<number, number[]>;
  readonly naive: Record<number, number[]>;
}

function benchHtml(attributes: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LocalRank rerank bench</title></head>
<body data-localrank-page="search"><main><h1>Results</h1></main>
<script type="module" src="/localrank.js" data-catalog="/__bench/catalog.json" ${attributes}></script></body></html>`;
}

/** Serves the bench page and catalog; with `before`, serves LocalRank's own files from that older `dist/` instead. */
async function routeBench(context: BrowserContext, html: string, catalog: string, before?: string): Promise<void> {
  await context.route('**/__bench/rerank.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await context.route('**/__bench/catalog.json', (route) => route.fulfill({ contentType: 'application/json', body: catalog }));
  if (before) await routeBefore(context, before);
}

/**
 * A returning shopper's history through the public API (4 engaged products, so a base model is used but no
 * fine-tune starts and competes for the CPU; impressions and a search, so every feature has input).
 */
async function seedHistory(page: Page, ids: readonly string[]): Promise<void> {
  await page.evaluate((list) => {
    const lr = window.LocalRank!;
    list.slice(0, 24).forEach((id, i) => lr.track({ type: 'impression', productId: id, context: { list: 'bench', position: i } }));
    for (const id of list.slice(0, 3)) lr.track({ type: 'click', productId: id });
    lr.track({ type: 'add-to-cart', productId: list[3]! });
    lr.track({ type: 'search', context: { query: 'rose serum' } });
    return lr.flush();
  }, ids);
}

/**
 * Runs `rounds` rounds over every size (sizes interleaved, so noise spreads evenly), after warm-up calls. Main
 * thread: until a task queued at the call runs (rerank does its work in microtasks of the caller's task); wall:
 * until the promise resolves. The naive baseline (sort by a popularity map built beforehand) runs beside each call.
 */
async function measureApi(page: Page, lists: Record<number, string[][]>, rounds: (n: number) => number): Promise<PageRuns> {
  const plan = Object.fromEntries(Object.keys(lists).map((n) => [n, rounds(Number(n))]));
  return page.evaluate(
    async ({ lists, plan, warmup }) => {
      const lr = window.LocalRank!;
      const catalog = (await (await fetch('/__bench/catalog.json')).json()) as { products: Array<{ id: string; popularity: number }> };
      const pop = new Map(catalog.products.map((p) => [p.id, p.popularity]));
      // The channel is made before the clock starts: making one is the harness's cost, not LocalRank's (a quarter
      // of a millisecond per call at 4× throttling in a CPU profile of this page). Posting to it is timed.
      const taskProbe = (): { post: () => void; ran: Promise<number> } => {
        const channel = new MessageChannel();
        const ran = new Promise<number>((resolve) => (channel.port1.onmessage = () => resolve(performance.now())));
        return { post: () => channel.port2.postMessage(0), ran };
      };
      const runs = { main: {} as Record<number, number[]>, wall: {} as Record<number, number[]>, naive: {} as Record<number, number[]> };
      const sizes = Object.keys(lists).map(Number);
      for (const n of sizes) {
        runs.main[n] = [];
        runs.wall[n] = [];
        runs.naive[n] = [];
        for (let i = 0; i < warmup; i++) await lr.rerank(lists[n]![i % lists[n]!.length]!, { list: 'bench' });
      }
      const most = Math.max(...Object.values(plan));
      for (let round = 0; round < most; round++) {
        for (const n of sizes) {
          if (round >= plan[n]!) continue;
          const list = lists[n]![round % lists[n]!.length]!;
          await new Promise((r) => setTimeout(r, 0));
          const probe = taskProbe();
          const t0 = performance.now();
          probe.post();
          const out = await lr.rerank(list, { list: 'bench' });
          const t1 = performance.now();
          const t2 = await probe.ran;
          if (out.length !== list.length) throw new Error(`rerank returned ${out.length} of ${list.length} items`);
          runs.wall[n]!.push(t1 - t0);
          runs.main[n]!.push(t2 - t0);
          const s0 = performance.now();
          const sorted = list.slice().sort((a, b) => pop.get(b)! - pop.get(a)!);
          runs.naive[n]!.push(performance.now() - s0);
          if (sorted.length !== list.length) throw new Error('naive sort lost items');
        }
      }
      return runs;
    },
    { lists, plan, warmup: WARMUP },
  );
}

/**
 * The same model's tfjs graph (`model.predict` in the training worker, on one backend) scoring `n` rows, measured
 * from the main thread as the round trip of `LocalRank.diagnose({ score })`. Rows are random ids and dense values
 * of the model's shape (tfjs arithmetic does not depend on the values); featurising is not included.
 */
async function measureTfjs(page: Page, sizes: readonly number[], rounds: (n: number) => number): Promise<Record<number, number[]>> {
  const plan = Object.fromEntries(sizes.map((n) => [n, rounds(n)]));
  return page.evaluate(
    async ({ sizes, plan }) => {
      const lr = window.LocalRank!;
      const schema = (await (await fetch('/model/feature-schema.json')).json()) as { vocab: number; tokens: number; attributes: number; dense: string[] };
      const fields = 3 + schema.tokens + schema.attributes;
      let seed = 42;
      const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 4_294_967_296);
      const batch = (n: number) => ({
        size: n,
        item: Int32Array.from({ length: n * fields }, () => 1 + Math.floor(rnd() * (schema.vocab - 1))),
        user: Int32Array.from({ length: n * fields }, (_, i) => 1 + ((i % fields) * 37) % (schema.vocab - 1)),
        dense: Float32Array.from({ length: n * schema.dense.length }, () => rnd()),
      });
      const out: Record<number, number[]> = {};
      for (const n of sizes) {
        const b = batch(n);
        // The first calls of a shape compile its WebGL programs / warm the kernels.
        for (let i = 0; i < (n >= 10_000 ? 1 : 2); i++) await lr.diagnose({ score: [b] });
        out[n] = [];
        for (let i = 0; i < plan[n]!; i++) {
          const t0 = performance.now();
          const r = await lr.diagnose({ score: [b] });
          const t = performance.now() - t0;
          if (!r || r.scores[0]?.length !== n) throw new Error(`the worker did not score ${n} rows (${r?.backend ?? 'no worker'})`);
          out[n]!.push(t);
        }
      }
      return out;
    },
    { sizes: [...sizes], plan },
  );
}

/** The calls of several pages of one path, as one set of samples. */
export function mergeRuns(runs: readonly PageRuns[]): PageRuns {
  const merged: PageRuns = { main: {}, wall: {}, naive: {} };
  for (const r of runs) for (const key of ['main', 'wall', 'naive'] as const) for (const [n, values] of Object.entries(r[key])) (merged[key][Number(n)] ??= []).push(...values);
  return merged;
}

async function openBench(ctx: BenchContext, catalog: string, attributes: string, before?: string): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await ctx.newPage();
  await context.addInitScript(KEEP_NAMES_SHIM);
  await routeBench(context, benchHtml(attributes), catalog, before);
  await page.goto('/__bench/rerank.html');
  await page.waitForFunction(() => !!window.LocalRank);
  await page.evaluate(() => window.LocalRank!.ready);
  return { context, page };
}

async function waitForModel(page: Page, backend?: string): Promise<string> {
  await page.waitForFunction(
    (wanted) => {
      const s = window.LocalRank!.status();
      return s.ranker === 'model' && (s.model.neighbours ?? 0) > 0 && (!wanted || s.backend === wanted);
    },
    backend,
    { timeout: 120_000, polling: 250 },
  );
  return page.evaluate(() => window.LocalRank!.status().backend);
}

/**
 * Rerank latency of `LocalRank.rerank()` for 50 / 200 / 1,000 / 10,000 candidates (ids of a 12,000-product
 * catalog made by the project's generator), warm, per ranking path: the heuristic (no model), the model (the
 * demo's base model with its neighbour lists, scored on the main thread by the SIMD kernel or the typed-array forward pass), and the
 * same model's tfjs graph per backend in the worker. Baseline: sorting the same ids by a precomputed popularity map
 * in the same page. With `LOCALRANK_BENCH_BEFORE=<an older dist/>`, the model path is also measured with that build.
 */
export const rerank: Section = {
  name: 'rerank',
  async run(ctx) {
    const catalog = benchCatalog(CATALOG_PRODUCTS);
    const ids = (JSON.parse(catalog) as { products: Array<{ id: string }> }).products.map((p) => p.id);
    const rng = createRandom(6);
    const lists: Record<number, string[][]> = {};
    for (const n of RERANK_SIZES) lists[n] = Array.from({ length: LISTS }, () => sample(ids, n, rng));
    // The base model's neighbour lists know the demo's 1,200 ids: the history uses those, so every feature has input.
    const history = sample(ids.slice(0, 1200), 30, createRandom(7));
    // p95 needs samples: 20 per repeat below 10,000 candidates (a call is a few ms), one per repeat at 10,000.
    const calls = (n: number): number => (n >= 10_000 ? ctx.repeats : ctx.repeats * 20);
    const tfjsCalls = (n: number): number => (n >= 10_000 ? Math.min(3, ctx.repeats) : ctx.repeats);
    // CDP throttling does not slow the worker: tfjs is measured in the unthrottled profile only.
    const withTfjs = ctx.profile === 'unthrottled';
    const figures: Figure[] = [];
    const notes: string[] = [];

    // Measured once the page is quiet: right after a model arrives, LocalRank hashes the catalog's item features in
    // slices (one per frame), and a call measured while a slice is queued counted the slice.
    const settle = async (page: Page, path: string): Promise<void> => {
      const { waitedMs, quiet } = await waitForQuiet(page);
      quietNotes.push(`${path} ${quiet ? `${(waitedMs / 1000).toFixed(1)} s` : `not quiet after ${(waitedMs / 1000).toFixed(0)} s (measured anyway)`}`);
    };
    const quietNotes: string[] = [];

    const pathFigures = (path: string, label: string, runs: PageRuns): void => {
      for (const n of RERANK_SIZES) {
        const baseline = { label: 'sort by popularity (same page)', value: summarise(runs.naive[n]!) };
        const main = summarise(runs.main[n]!);
        const max = TARGETS[n];
        figures.push({
          key: `rerank.${path}.${n}.main`,
          label: `${label}, ${n.toLocaleString('en-US')} candidates, main thread`,
          unit: 'ms',
          value: main,
          baseline,
          ...(max !== undefined && path !== 'model-before' ? { target: { stat: 'p95' as const, max, met: main.p95 <= max } } : {}),
        });
        figures.push({ key: `rerank.${path}.${n}.wall`, label: `${label}, ${n.toLocaleString('en-US')} candidates, until the promise resolves`, unit: 'ms', value: summarise(runs.wall[n]!) });
      }
    };

    ctx.log('rerank: heuristic');
    {
      const { context, page } = await openBench(ctx, catalog, '');
      await seedHistory(page, history);
      await settle(page, 'heuristic');
      pathFigures('heuristic', 'heuristic', await measureApi(page, lists, calls));
      await context.close();
    }

    // The model path, and with LOCALRANK_BENCH_BEFORE the same page with the older build's files: measured in the
    // order current, before, before, current (half the calls each, a fresh page each time), so that the machine's
    // drift over the minutes of the section falls on both builds alike (one block each, minutes apart, once
    // showed the opposite of four other comparisons the same day).
    const before = process.env.LOCALRANK_BENCH_BEFORE;
    const modelRuns: PageRuns[] = [];
    const beforeRuns: PageRuns[] = [];
    const blocks: Array<'model' | 'model-before'> = before ? ['model', 'model-before', 'model-before', 'model'] : ['model'];
    /** How each model-path page scored (`status().model.scorer`; builds before it existed: `plain`). */
    const scorers: string[] = [];
    const share = (n: number): number => Math.ceil(calls(n) / (before ? 2 : 1));
    for (const [b, path] of blocks.entries()) {
      ctx.log(`rerank: ${path === 'model' ? 'model' : `model, before (${before})`}, block ${b + 1} of ${blocks.length}`);
      const { context, page } = await openBench(ctx, catalog, 'data-model="/model/" data-backend="wasm"', path === 'model-before' ? normalize(before!) : undefined);
      try {
        await seedHistory(page, history);
        const backend = await waitForModel(page, 'wasm');
        // The worker runs wasm here, so it sends the page the SIMD score kernel (builds that have one): give it a few
        // seconds, then measure whatever scores.
        await page
          .waitForFunction(() => window.LocalRank!.status().model.scorer === 'simd', undefined, { timeout: path === 'model' ? 10_000 : 1, polling: 100 })
          .catch(() => undefined);
        scorers.push(`${path}: ${await page.evaluate(() => window.LocalRank!.status().model.scorer ?? 'plain')}`);
        await settle(page, path);
        (path === 'model' ? modelRuns : beforeRuns).push(await measureApi(page, lists, share));
        if (b === 0 && withTfjs) {
          ctx.log('rerank: tfjs wasm');
          const tfjs = await measureTfjs(page, RERANK_SIZES, tfjsCalls);
          for (const n of RERANK_SIZES) figures.push({ key: `rerank.tfjs-${backend}.${n}`, label: `tfjs ${backend} model.predict in the worker, ${n.toLocaleString('en-US')} rows, round trip`, unit: 'ms', value: summarise(tfjs[n]!) });
        }
      } finally {
        await context.close();
      }
    }
    pathFigures('model', 'model (main thread)', mergeRuns(modelRuns));
    if (before) {
      pathFigures('model-before', 'model, BEFORE build (main thread)', mergeRuns(beforeRuns));
      notes.push(`rerank.model-before.* ran the same page with LocalRank's files from ${before} (an older build), in this run: the model path was measured in four blocks of half the calls, current, before, before, current, each on a fresh page.`);
    }

    for (const wanted of withTfjs ? BACKENDS.filter((b) => b !== 'wasm') : []) {
      ctx.log(`rerank: tfjs ${wanted}`);
      const { context, page } = await openBench(ctx, catalog, `data-model="/model/" data-backend="${wanted}"`);
      try {
        const backend = await waitForModel(page);
        if (backend !== wanted) notes.push(`The ${wanted} backend did not start here (the worker chose ${backend}); its tfjs figures are missing.`);
        else {
          const tfjs = await measureTfjs(page, RERANK_SIZES, tfjsCalls);
          for (const n of RERANK_SIZES) figures.push({ key: `rerank.tfjs-${wanted}.${n}`, label: `tfjs ${wanted} model.predict in the worker, ${n.toLocaleString('en-US')} rows, round trip`, unit: 'ms', value: summarise(tfjs[n]!) });
        }
      } finally {
        await context.close();
      }
    }

    notes.push(
      `Each page was measured once quiet (no task of its own over about 6 ms for 2 s; see bench/wait-for-quiet.ts): ${quietNotes.join(', ')}.`,
      `Candidates are random ids of a ${CATALOG_PRODUCTS.toLocaleString('en-US')}-product catalog from scripts/generate-catalog.mjs (${LISTS} lists per size, sizes interleaved); ${calls(50)} calls per size (${calls(10_000)} at 10,000) after ${WARMUP} warm-up calls; the shopper has 4 engaged products, 24 impressions and a search.`,
      'rerank() is async but does all its work in microtasks of the caller\'s task, so "main thread" (until a task queued at the call runs) is its blocking time and includes the "until resolved" time.',
      `The model path is the demo base model (public/model, with its neighbour lists) scored on the main thread, which is what rerank() and the carousels use once a model is ready; the heuristic path is what they use before. Scorer per model-path page (status().model.scorer: simd = the SIMD score kernel the wasm worker sent, plain = the typed-array forward pass): ${scorers.join(', ')}.`,
      `tfjs figures are LocalRank.diagnose({ score }) round trips to the training worker (${tfjsCalls(50)} calls per size, ${tfjsCalls(10_000)} at 10,000, after 2 warm-up calls of that shape, 1 at 10,000): model.predict on random rows of the model's shape plus structured cloning, without featurising; nothing ranks with this path, it is there to compare backends.`,
      ...(withTfjs ? [] : ['CDP CPU throttling slows the page\'s main thread, not the dedicated worker: the tfjs figures are measured in the unthrottled profile only.']),
    );
    return { figures, notes };
  },
};
