import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { defaultSchema, sparseFields } from '../../src/core/feature-schema';
import type { LongTaskEntry, LongTaskStats } from '../long-task-stats';
import { longTaskStats } from '../long-task-stats';
import { shopperHistory } from '../shopper-history';
import type { ShopperHistory } from '../shopper-history';
import { summarise } from '../stats';
import type { BenchContext, Figure, Section } from '../types';

/**
 * Per backend: events in the seeded history and at most how many repeats (the harness's `--repeats` caps them).
 * Training is slow here (SwiftShader WebGL above all: ~0.2 s per batch of 32), so WebGL gets a shorter history and
 * one repeat to keep the section within its budget. The training set keeps at most 400 positives, so cost stops
 * growing with the history beyond ~2,000 events. wasm (the auto choice here, and the only backend trained under cpu-4x)
 * gets up to six repeats: at 4× a main-thread long task while it trained showed up in 2 of 9 repeats over one
 * session's runs, too rare for three repeats to tell.
 */
const PLAN = { webgl: { events: 250, repeats: 1 }, wasm: { events: 1000, repeats: 6 }, cpu: { events: 500, repeats: 1 } } as const;
const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];
/**
 * Under `cpu-4x` only wasm (what `auto` picks on this kind of machine) is trained: CDP throttling does not reach the
 * worker (measured by the busy-loop check), so the other backends' worker figures would repeat the unthrottled ones
 * while their main-thread baselines, 4× slower, would overrun the section's budget.
 */
const THROTTLED_BACKENDS: readonly Backend[] = ['wasm'];
/** LocalRank's from-scratch settings (src/model/train-on-device.ts SCRATCH), for the main-thread baseline. */
const SCRATCH = { epochs: 12, learningRate: 0.01, batchSize: 32 };
const TERMINAL = ['done', 'rejected', 'stopped', 'failed'];

const host = (attrs: string): string => `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home">
<!-- Below the fold: no impressions are logged, so the history stays exactly as seeded. -->
<div style="height: 3000px"></div><div data-localrank-widget="for-you"></div></body></html>`;

const baselineHost = `<!doctype html><html lang="en"><head>
<script src="/__bench/tf.min.js"></script><script src="/__bench/tf-backend-wasm.min.js"></script></head>
<body><h1>Main-thread tfjs baseline</h1></body></html>`;

interface TrainEntry {
  readonly phase: string;
  readonly at: number;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly examples?: number;
  readonly origin?: string;
}

interface Frame extends LongTaskEntry {
  readonly scripts: string[];
}

interface Probe {
  long: LongTaskEntry[];
  frames: Frame[];
  train: TrainEntry[];
  worker?: number;
}

/** tsx (esbuild, keepNames) wraps functions passed to the page in `__name(...)`: give the page that helper. */
const KEEP_NAMES = 'globalThis.__name ??= (f) => f;';

/** Runs in the page before any of its scripts: long tasks, the training worker's start, and `train` events. */
function instrument(): void {
  const w = window as unknown as { __bench: Probe };
  w.__bench = { long: [], frames: [], train: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames say which script ran in them (where the browser supports them): the attribution of a long task.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as Array<{ startTime: number; duration: number; scripts?: Array<{ sourceURL?: string; invoker?: string; duration: number }> }>) {
        const scripts = (e.scripts ?? []).map((x) => `${x.invoker ?? '?'} @ ${x.sourceURL ?? '?'} (${Math.round(x.duration)} ms)`);
        w.__bench.frames.push({ start: e.startTime, duration: e.duration, scripts });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // not supported: long tasks only
  }
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (options?.name === 'localrank-train') w.__bench.worker ??= performance.now();
    }
  };
}

/** One LocalRank training sample: a fresh page (empty IndexedDB), a seeded history, the first run and a second one. */
interface Sample {
  readonly backend: string;
  readonly examples: number;
  readonly startupMs: number;
  readonly firstRunMs: number;
  readonly firstEpochMs: number;
  readonly warmEpochMs: number;
  readonly secondRunMs: number;
  readonly firstOutcome: string;
  readonly second: string;
  readonly long: LongTaskStats;
  /**
   * Long tasks between the actions (the seeded history, then the clicks) and the run they lead to: the widgets'
   * refresh, which a run waits for (see `busy` in src/widget/connect-model.ts).
   */
  readonly beforeRuns: LongTaskStats;
  /** What ran in the long animation frames that overlap the long tasks counted (for the notes). */
  readonly culprits: string[];
  readonly params: number;
}

function runs(train: readonly TrainEntry[]): TrainEntry[][] {
  const out: TrainEntry[][] = [];
  let current: TrainEntry[] = [];
  for (const t of train) {
    current.push(t);
    if (TERMINAL.includes(t.phase)) {
      out.push(current);
      current = [];
    }
  }
  return out;
}

const median = (xs: readonly number[]): number => summarise(xs).median;

async function waitForRuns(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    ({ n, terminal }) => (window as unknown as { __bench: Probe }).__bench.train.filter((t) => terminal.includes(t.phase)).length >= n,
    { n, terminal: TERMINAL },
    { timeout: 300_000, polling: 250 },
  );
}

async function localRankSample(ctx: BenchContext, backend: Backend, history: ShopperHistory): Promise<Sample> {
  const { context, page } = await ctx.newPage();
  try {
    await page.addInitScript(KEEP_NAMES);
    await page.addInitScript(instrument);
    await page.route('**/bench-training.html', (r) => r.fulfill({ contentType: 'text/html', body: host(`data-backend="${backend}"`) }));
    await page.goto('/bench-training.html');
    await page.waitForFunction(() => !!window.LocalRank);
    await page.evaluate(() => window.LocalRank!.ready);
    await page.evaluate(() => {
      const w = window as unknown as { __bench: Probe };
      window.LocalRank!.on('train', (p) => w.__bench.train.push({ ...p, at: performance.now() }));
    });
    await page.evaluate((events) => {
      for (const e of events) window.LocalRank!.track(e);
      return window.LocalRank!.flush();
    }, history.events);
    const seeded = await page.evaluate(() => performance.now());
    await waitForRuns(page, 1);
    // Three newly engaged products: LocalRank trains again (fine-tunes an accepted model) in the same, warm worker.
    await page.evaluate((ids) => {
      for (const id of ids) window.LocalRank!.track({ type: 'click', productId: id });
      return window.LocalRank!.flush();
    }, history.unengaged.slice(0, 3));
    const clicked = await page.evaluate(() => performance.now());
    await waitForRuns(page, 2);
    const probe = await page.evaluate(() => (window as unknown as { __bench: Probe }).__bench);
    const status = await page.evaluate(() => window.LocalRank!.status());
    const [first, second] = runs(probe.train) as [TrainEntry[], TrainEntry[]];
    const start1 = first.find((t) => t.phase === 'start') ?? first[0]!;
    const end1 = first.at(-1)!;
    const epochs = first.filter((t) => t.phase === 'epoch');
    const gaps = epochs.map((e, i) => e.at - (i === 0 ? start1.at : epochs[i - 1]!.at));
    const start2 = second.find((t) => t.phase === 'start') ?? second[0]!;
    const end2 = second.at(-1)!;
    const windows: Array<[number, number]> = [
      [probe.worker ?? start1.at, end1.at],
      [start2.at, end2.at],
    ];
    const long = longTaskStats(probe.long, windows);
    // From the end of each page.evaluate that tracked (its own task of track() calls is the harness's) to the run.
    const before: Array<[number, number]> = [
      [seeded, probe.worker ?? start1.at],
      [clicked, start2.at],
    ];
    const beforeRuns = longTaskStats(probe.long, before.filter(([a, b]) => b > a));
    const hits = probe.long.filter((t) => t.duration > 50 && [...windows, ...before].some(([a, b]) => t.start <= b && t.start + t.duration >= a));
    const culprits = hits.map((t) => {
      const frame = probe.frames.find((f) => f.start <= t.start + t.duration && f.start + f.duration >= t.start);
      const phase = probe.train.filter((p) => p.at <= t.start).at(-1);
      const when = before.some(([a, b]) => t.start <= b && t.start + t.duration >= a) ? 'before a run, ' : '';
      return `${when}${Math.round(t.duration)} ms at ${Math.round(t.start - (probe.worker ?? start1.at))} ms after the worker started (after '${phase?.phase ?? 'none'}' ${phase?.epoch ?? ''}): ${frame ? frame.scripts.join(', ') || 'no script attributed' : 'no long animation frame'}`;
    });
    return {
      backend: status.backend,
      params: status.model.params ?? 0,
      culprits,
      examples: start1.examples ?? 0,
      startupMs: start1.at - (probe.worker ?? start1.at),
      firstRunMs: end1.at - start1.at,
      firstEpochMs: gaps[0] ?? Number.NaN,
      warmEpochMs: gaps.length > 1 ? median(gaps.slice(1)) : Number.NaN,
      secondRunMs: end2.at - start2.at,
      firstOutcome: end1.phase,
      second: `${start2.origin ?? '?'} run, ${start2.epochs ?? '?'} epochs, ${end2.phase}`,
      long,
      beforeRuns,
    };
  } finally {
    await context.close();
  }
}

/** The tfjs bundles and wasm binaries the baseline page loads, served from node_modules through routes. */
async function routeTfjs(context: BrowserContext): Promise<void> {
  const require = createRequire(import.meta.url);
  const tfjs = readFileSync(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'));
  await context.route('**/__bench/tf.min.js', (r) => r.fulfill({ contentType: 'text/javascript', body: tfjs }));
  await context.route('**/__bench/tf-backend-wasm.min.js', (r) =>
    r.fulfill({ contentType: 'text/javascript', body: readFileSync(join(wasmDir, 'tf-backend-wasm.min.js')) }),
  );
  await context.route('**/__bench/wasm/*.wasm', (r) =>
    r.fulfill({ contentType: 'application/wasm', body: readFileSync(join(wasmDir, new URL(r.request().url()).pathname.split('/').pop()!)) }),
  );
  await context.route('**/bench-baseline.html', (r) => r.fulfill({ contentType: 'text/html', body: baselineHost }));
}

interface BaselineSample {
  readonly backend: string;
  readonly params: number;
  readonly runMs: number;
  readonly firstEpochMs: number;
  readonly long: LongTaskStats;
}

interface FitSpec {
  backend: Backend;
  rows: number;
  fields: number;
  vocab: number;
  dim: number;
  dense: number;
  hidden: readonly number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/**
 * The naive baseline: the same network (a shared embedding of `vocab × dim`, `[item, user, item ⊙ user, dense]`,
 * the same ReLU layers, a wide term) trained with `model.fit` on the page's main thread, with the full tfjs bundle.
 */
async function baselineSample(ctx: BenchContext, spec: FitSpec): Promise<BaselineSample> {
  const { context, page } = await ctx.newPage();
  try {
    await routeTfjs(context);
    await page.addInitScript(KEEP_NAMES);
    await page.addInitScript(instrument);
    await page.goto('/bench-baseline.html');
    const result = await page.evaluate(async (s) => {
      /* eslint-disable @typescript-eslint/no-explicit-any */
      const tf = (window as any).tf;
      if (s.backend === 'wasm') tf.wasm.setWasmPaths('/__bench/wasm/');
      await tf.setBackend(s.backend);
      await tf.ready();
      const item = tf.input({ shape: [s.fields], dtype: 'int32' });
      const user = tf.input({ shape: [s.fields], dtype: 'int32' });
      const dense = tf.input({ shape: [s.dense] });
      // LocalRank's HashedEmbedding, as written in src/model/hashed-embedding.ts: a gather whose gradient is a
      // scatterND (tfjs's own Embedding layer needs UnsortedSegmentSum, which the wasm backend lacks).
      const lookup = tf.customGrad((ids: any, table: any, save: any) => {
        save([ids]);
        return { value: tf.gather(table, ids), gradFunc: (dy: any, saved: any) => [tf.zerosLike(saved[0]), tf.scatterND(tf.expandDims(saved[0], 1), dy, table.shape)] };
      });
      class Lookup extends tf.layers.Layer {
        table: any;
        constructor(config: object) {
          super(config);
        }
        build(): void {
          this.table = this.addWeight('embeddings', [s.vocab, s.dim], 'float32', tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }));
          this.built = true;
        }
        computeOutputShape(shape: number[]): number[] {
          return [...shape, s.dim];
        }
        call(inputs: any): any {
          return tf.tidy(() => {
            const ids = tf.cast(Array.isArray(inputs) ? inputs[0] : inputs, 'int32');
            return tf.reshape(lookup(tf.reshape(ids, [-1]), this.table.read()), [...ids.shape, s.dim]);
          });
        }
        static get className(): string {
          return 'BenchLookup';
        }
      }
      const embedding = new Lookup({});
      const flatItem = tf.layers.flatten().apply(embedding.apply(item));
      const flatUser = tf.layers.flatten().apply(embedding.apply(user));
      let x = tf.layers.concatenate().apply([flatItem, flatUser, tf.layers.multiply().apply([flatItem, flatUser]), dense]);
      for (const units of s.hidden) x = tf.layers.dense({ units, activation: 'relu' }).apply(x);
      const deep = tf.layers.dense({ units: 1 }).apply(x);
      const wide = tf.layers.dense({ units: 1, useBias: false }).apply(dense);
      const model = tf.model({ inputs: [item, user, dense], outputs: tf.layers.add().apply([deep, wide]) });
      model.compile({ optimizer: tf.train.adam(s.learningRate), loss: (y: unknown, p: unknown) => tf.losses.sigmoidCrossEntropy(y, p) });
      const xs = [
        tf.randomUniform([s.rows, s.fields], 1, s.vocab, 'int32'),
        tf.randomUniform([s.rows, s.fields], 1, s.vocab, 'int32'),
        tf.randomUniform([s.rows, s.dense]),
      ];
      const ys = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([s.rows, 1]), 1 / 6), 'float32'));
      const at: number[] = [];
      const t0 = performance.now();
      await model.fit(xs, ys, { epochs: s.epochs, batchSize: s.batchSize, shuffle: true, verbose: 0, callbacks: { onEpochEnd: () => void at.push(performance.now()) } });
      const t1 = performance.now();
      const params = model.countParams();
      tf.dispose([...xs, ys]);
      model.dispose();
      return { backend: tf.getBackend() as string, params, t0, t1, firstEpochMs: (at[0] ?? t1) - t0 };
    }, spec);
    const probe = await page.evaluate(() => (window as unknown as { __bench: Probe }).__bench);
    return {
      backend: result.backend,
      params: result.params,
      runMs: result.t1 - result.t0,
      firstEpochMs: result.firstEpochMs,
      long: longTaskStats(probe.long, [[result.t0, result.t1]]),
    };
  } finally {
    await context.close();
  }
}

/**
 * Whether the profile's CPU throttling reaches dedicated workers: the same busy loop timed on the main thread and in
 * a worker of a fresh page (ms each).
 */
async function throttleCheck(ctx: BenchContext): Promise<{ mainMs: number; workerMs: number }> {
  const { context, page } = await ctx.newPage();
  try {
    await page.addInitScript(KEEP_NAMES);
    await page.route('**/bench-blank.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
    await page.goto('/bench-blank.html');
    return await page.evaluate(async () => {
      const loop = 'let x = 0; for (let i = 0; i < 2e7; i++) x = (x + i * 7) % 1000003; return x;';
      const t0 = performance.now();
      new Function(loop)();
      const mainMs = performance.now() - t0;
      const src = `onmessage = () => { const t0 = performance.now(); (function(){ ${loop} })(); postMessage(performance.now() - t0); };`;
      const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      const workerMs = await new Promise<number>((resolve) => {
        worker.onmessage = (e) => resolve(e.data as number);
        worker.postMessage(0);
      });
      worker.terminate();
      return { mainMs, workerMs };
    });
  } finally {
    await context.close();
  }
}

const per1k = (ms: number, events: number): number => (ms * 1000) / events;

/**
 * Training: LocalRank's on-device training in its Web Worker for each backend (forced with `data-backend`), on a
 * seeded history ({@link PLAN}: 250–1,000 events) — worker start-up (tfjs chunks, backend init, examples), the first epoch
 * (shader compilation / kernel warm-up) apart from the warm ones, the first run and a second run in the warm worker
 * (ms per 1,000 events), and main-thread long tasks meanwhile — against the same network trained with tfjs
 * `model.fit` on the main thread (same rows, epochs, batch size and backend) in the same run.
 *
 * Keys (`<b>` = webgl, wasm, cpu; only wasm under `cpu-4x`): `training.<b>.examples` (count, training rows),
 * `.startup` (ms, worker created → first run starts), `.first-epoch` (ms; baseline: the main-thread fit's first epoch),
 * `.warm-epoch` (ms), `.first-run.per-1k-events` (ms; baseline: the main-thread fit), `.second-run.per-1k-events` (ms),
 * `.long-tasks` (count, target 0; baseline: during the main-thread fit), `.long-tasks.total` and `.long-tasks.longest`
 * (ms), `.long-tasks.before-runs` (count: from the seeded history and from the clicks to the run each leads to, the
 * widgets' refresh that a run waits for); `training.throttle.main-loop` / `training.throttle.worker-loop` (ms, the same busy loop on each thread).
 */
export const training: Section = {
  name: 'training',
  async run(ctx) {
    const catalog = (JSON.parse(readFileSync(join(ctx.dist, 'catalog.json'), 'utf8')) as { products: Array<{ id: string; category: string }> }).products;
    const schema = defaultSchema();
    const figures: Figure[] = [];
    const notes: string[] = [];
    const backends = ctx.profile === 'cpu-4x' ? THROTTLED_BACKENDS : BACKENDS;
    for (const backend of backends) {
      const { events: EVENTS } = PLAN[backend];
      const repeats = Math.min(ctx.repeats, PLAN[backend].repeats);
      const samples: Sample[] = [];
      const baselines: BaselineSample[] = [];
      for (let r = 0; r < repeats; r++) {
        ctx.log(`training ${backend} ${r + 1}/${repeats}`);
        const history = shopperHistory(catalog, EVENTS, Date.now() - 60_000, r + 1);
        const sample = await localRankSample(ctx, backend, history);
        ctx.log(`training ${backend}: ${JSON.stringify(sample)}`);
        samples.push(sample);
        baselines.push(
          await baselineSample(ctx, {
            backend,
            rows: sample.examples,
            fields: sparseFields(schema),
            vocab: schema.vocab,
            dim: schema.dim,
            dense: schema.dense.length,
            hidden: schema.hidden,
            ...SCRATCH,
          }),
        );
      }
      const s = (f: (x: Sample) => number) => summarise(samples.map(f));
      const b = (f: (x: BaselineSample) => number) => summarise(baselines.map(f));
      const baseLabel = `tfjs model.fit on the main thread (${backend})`;
      const k = `training.${backend}`;
      figures.push(
        { key: `${k}.examples`, label: `${backend}: training rows from ${EVENTS} events`, unit: 'count', value: s((x) => x.examples) },
        { key: `${k}.startup`, label: `${backend}: worker start → training starts (tfjs, backend init, examples)`, unit: 'ms', value: s((x) => x.startupMs) },
        {
          key: `${k}.first-epoch`,
          label: `${backend}: first epoch (shader compilation / kernel warm-up)`,
          unit: 'ms',
          value: s((x) => x.firstEpochMs),
          baseline: { label: baseLabel, value: b((x) => x.firstEpochMs) },
        },
        { key: `${k}.warm-epoch`, label: `${backend}: warm epoch (median of epochs 2…)`, unit: 'ms', value: s((x) => x.warmEpochMs) },
        {
          key: `${k}.first-run.per-1k-events`,
          label: `${backend}: first run, ms per 1,000 events`,
          unit: 'ms',
          value: s((x) => per1k(x.firstRunMs, EVENTS)),
          baseline: { label: baseLabel, value: b((x) => per1k(x.runMs, EVENTS)) },
        },
        { key: `${k}.second-run.per-1k-events`, label: `${backend}: second run in the warm worker, ms per 1,000 events`, unit: 'ms', value: s((x) => per1k(x.secondRunMs, EVENTS)) },
        {
          key: `${k}.long-tasks`,
          label: `${backend}: main-thread long tasks while LocalRank trains`,
          unit: 'count',
          value: s((x) => x.long.count),
          baseline: { label: baseLabel, value: b((x) => x.long.count) },
          target: { stat: 'p95', max: 0, met: samples.every((x) => x.long.count === 0) },
        },
        {
          key: `${k}.long-tasks.total`,
          label: `${backend}: main-thread long-task time while training`,
          unit: 'ms',
          value: s((x) => x.long.totalMs),
          baseline: { label: baseLabel, value: b((x) => x.long.totalMs) },
        },
        {
          key: `${k}.long-tasks.longest`,
          label: `${backend}: longest main-thread task while training`,
          unit: 'ms',
          value: s((x) => x.long.longestMs),
          baseline: { label: baseLabel, value: b((x) => x.long.longestMs) },
        },
        {
          key: `${k}.long-tasks.before-runs`,
          label: `${backend}: main-thread long tasks between the actions and the runs (the widgets' refresh)`,
          unit: 'count',
          value: s((x) => x.beforeRuns.count),
        },
      );
      const used = [...new Set(samples.map((x) => `${x.backend}, ${x.params} params`))].join('; ');
      const outcomes = [...new Set(samples.map((x) => x.firstOutcome))].join('/');
      const seconds = [...new Set(samples.map((x) => x.second))].join('; ');
      const baseUsed = [...new Set(baselines.map((x) => `${x.backend}, ${x.params} params`))].join('; ');
      notes.push(
        `${backend}: ${EVENTS} seeded events, ${repeats} repeat(s); LocalRank used ${used}; first run (scratch, ${SCRATCH.epochs} epochs, batch ${SCRATCH.batchSize}) ended ${outcomes}; second run: ${seconds}; baseline: ${baseUsed}, random rows of the same shapes (ids already in the vocabulary: no hashing).`,
      );
      const culprits = samples.flatMap((x) => x.culprits);
      if (culprits.length) notes.push(`${backend}: main-thread long tasks during LocalRank training — ${culprits.join('; ')}.`);
    }
    const check = await throttleCheck(ctx);
    figures.push(
      { key: 'training.throttle.main-loop', label: 'fixed busy loop on the main thread', unit: 'ms', value: summarise([check.mainMs]) },
      { key: 'training.throttle.worker-loop', label: 'the same loop in a dedicated worker', unit: 'ms', value: summarise([check.workerMs]) },
    );
    const ratio = check.workerMs / check.mainMs;
    notes.push(
      ctx.profile === 'cpu-4x'
        ? `CDP CPU throttling and workers: the same busy loop took ${check.mainMs.toFixed(0)} ms on the main thread and ${check.workerMs.toFixed(0)} ms in a worker (ratio ${ratio.toFixed(2)}) — ${ratio < 0.5 ? 'the dedicated worker is NOT throttled, so worker training times here are unthrottled and only main-thread figures (the baseline, long tasks) feel the 4×' : 'the worker is throttled too'}.`
        : `Busy-loop check: main thread ${check.mainMs.toFixed(0)} ms, worker ${check.workerMs.toFixed(0)} ms (compare with the cpu-4x profile to see whether throttling reaches workers).`,
      `Seeded histories are 20 s apart with two liked categories; training repeats are fewer than the harness's ${ctx.repeats} (training is slow: ${backends.map((x) => `${x} ${Math.min(ctx.repeats, PLAN[x].repeats)}`).join(', ')})${ctx.profile === 'cpu-4x' ? '; under cpu-4x only wasm, the auto choice here, is trained' : ''}; each repeat is a fresh page and worker, so "first" includes shader compilation (webgl) or wasm instantiation.`,
      'Long tasks (PerformanceObserver longtask, > 50 ms) are counted from the worker\'s creation to the end of the first run and during the second run; the baseline counts them during model.fit.',
    );
    return { figures, notes };
  },
};
