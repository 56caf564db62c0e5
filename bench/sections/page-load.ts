import { normalize } from 'node:path';
import type { Page } from '@playwright/test';
import { attributeLongFrames, isLocalRankUrl } from '../attribute-long-frames';
import { benchCatalog } from '../bench-catalog';
import { routeBefore } from '../route-before';
import type { RecordedFrame } from '../attribute-long-frames';
import { summarise } from '../stats';
import { sumLayoutShifts } from '../sum-layout-shifts';
import type { RecordedShift } from '../sum-layout-shifts';
import type { BenchContext, Figure, Section, Summary } from '../types';

/** The LocalRank tag of the demo home page; the baseline serves the same HTML without it. */
const TAG = /<script\b[^>]*\bsrc="\/localrank\.js"[^>]*><\/script>\s*/;
/** Products of the large catalog the home page is also loaded with (the demo's own has 1,200). */
export const LARGE_CATALOG = 50_000;
/** The page is settled this long after `load` at the earliest… */
const SETTLE_AFTER_LOAD_MS = 3000;
/** …and once no long frame or long task has ended for this long (LocalRank: also after `ready`)… */
const QUIET_MS = 1000;
/** …but never later than this after navigation start. */
const SETTLE_CAP_MS = 15_000;

/**
 * Installed before any page script (`addInitScript`), in the LocalRank and the baseline page alike: buffered
 * observers for `layout-shift`, `longtask` and `long-animation-frame`, and a rAF poll that marks the first frame
 * in which a LocalRank carousel has product cards in its shadow root; the "painted" mark is the first task after
 * that frame (a MessageChannel message posted from its rAF callback runs after the frame is produced).
 * Plain JavaScript in a string: a serialised function would carry the TS compiler's helpers into the page.
 */
const RECORDER = `(() => {
  const rec = (window.__lrBench = { shifts: [], longtasks: [], frames: [], cardsAt: null, paintedAt: null, loaf: false });
  const inWidget = (node) => {
    let n = node;
    while (n) {
      const el = n.nodeType === 1 ? n : n.parentElement;
      if (el && el.closest('[data-localrank-widget]')) return true;
      const root = n.getRootNode ? n.getRootNode() : null;
      n = root && root.host ? root.host : null;
    }
    return false;
  };
  const observe = (type, onEntry) => {
    try {
      if (!PerformanceObserver.supportedEntryTypes.includes(type)) return false;
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
      return true;
    } catch (e) {
      return false;
    }
  };
  observe('layout-shift', (e) => rec.shifts.push({
    value: e.value,
    hadRecentInput: e.hadRecentInput,
    sourcesInWidget: (e.sources || []).map((s) => !!s.node && inWidget(s.node)),
  }));
  observe('longtask', (e) => rec.longtasks.push({
    startTime: e.startTime,
    duration: e.duration,
    attribution: (e.attribution || []).map((a) => a.name + ':' + (a.containerSrc || a.containerType || '')).join(','),
  }));
  rec.loaf = observe('long-animation-frame', (e) => rec.frames.push({
    startTime: e.startTime,
    duration: e.duration,
    blockingDuration: e.blockingDuration,
    scripts: (e.scripts || []).map((s) => ({ sourceURL: s.sourceURL || '', duration: s.duration, invoker: s.invoker || '' })),
  }));
  const poll = () => {
    if (rec.cardsAt !== null) return;
    for (const m of document.querySelectorAll('[data-localrank-widget]')) {
      if (m.shadowRoot && m.shadowRoot.querySelector('[data-testid="lr-card"]')) {
        rec.cardsAt = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { rec.paintedAt = performance.now(); };
        ch.port2.postMessage(0);
        return;
      }
    }
    if (performance.now() < ${SETTLE_CAP_MS}) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;

interface LoadRecord {
  shifts: RecordedShift[];
  longtasks: { startTime: number; duration: number; attribution: string }[];
  frames: (RecordedFrame & { scripts: { sourceURL: string; duration: number; invoker: string }[] })[];
  cardsAt: number | null;
  paintedAt: number | null;
  loaf: boolean;
  fcp: number | null;
  load: number | null;
  settledAt: number;
  ready: boolean;
}

/**
 * One measured load of the home page, with or without LocalRank, in a fresh context (empty cache and storage);
 * with `before`, LocalRank's files come from that older build's `dist/` (see `routeBefore`); with `catalog`, that
 * JSON is served as the shop's `/catalog.json`.
 */
async function measureLoad(ctx: BenchContext, withLocalRank: boolean, before?: string, catalog?: string): Promise<LoadRecord> {
  const { context, page } = await ctx.newPage();
  try {
    if (before) await routeBefore(context, before);
    if (catalog) await context.route((url) => url.pathname === '/catalog.json', (route) => route.fulfill({ contentType: 'application/json', body: catalog }));
    await context.addInitScript({ content: RECORDER });
    // Both variants go through the same route, so routing costs the same; the baseline drops the tag only.
    await context.route((url) => url.pathname === '/' || url.pathname === '/index.html', async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      if (!TAG.test(html)) throw new Error('the LocalRank <script> tag was not found in the home page');
      await route.fulfill({ response, body: withLocalRank ? html : html.replace(TAG, '') });
    });
    await page.goto('/', { waitUntil: 'load' });
    return await settle(page, withLocalRank);
  } finally {
    await context.close();
  }
}

/** Waits until the page is settled (see the constants above) and returns what the recorder saw. */
async function settle(page: Page, withLocalRank: boolean): Promise<LoadRecord> {
  let ready = false;
  if (withLocalRank) {
    ready = await page
      .evaluate(`Promise.race([window.LocalRank.ready.then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), ${SETTLE_CAP_MS}))])`)
      .then(Boolean, () => false);
  }
  const readyAt = Number(await page.evaluate('performance.now()'));
  for (;;) {
    const s = (await page.evaluate(`(() => {
      const rec = window.__lrBench;
      const nav = performance.getEntriesByType('navigation')[0];
      const load = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null;
      const ends = rec.frames.map((f) => f.startTime + f.duration).concat(rec.longtasks.map((t) => t.startTime + t.duration));
      return { now: performance.now(), load, lastBusy: ends.length ? Math.max(...ends) : 0 };
    })()`)) as { now: number; load: number | null; lastBusy: number };
    const earliest = Math.max((s.load ?? 0) + SETTLE_AFTER_LOAD_MS, s.lastBusy + QUIET_MS, withLocalRank ? readyAt + QUIET_MS : 0);
    if (s.now >= earliest || s.now >= SETTLE_CAP_MS) break;
    await page.waitForTimeout(Math.min(500, Math.max(50, earliest - s.now)));
  }
  const rec = (await page.evaluate(`(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return { ...window.__lrBench, fcp: fcp ? fcp.startTime : null, load: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null, settledAt: performance.now() };
  })()`)) as Omit<LoadRecord, 'ready'>;
  return { ...rec, ready };
}

/**
 * The first `Intl.NumberFormat` of a fresh page loads the browser's locale data: one indivisible task. The data is
 * loaded once per renderer process, so LocalRank has a throwaway worker pay it (`warm-intl.worker.ts`) before its
 * first price; a build without that worker paid it on the main thread, in a task of its own.
 */
async function measureIntl(ctx: BenchContext): Promise<number> {
  const { context, page } = await ctx.newPage();
  try {
    await page.route('**/bench-blank.html', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>blank</title></html>' }));
    await page.goto('/bench-blank.html');
    return Number(await page.evaluate(`(() => { const t = performance.now(); new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(12.5); return performance.now() - t; })()`));
  } finally {
    await context.close();
  }
}

const num = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

/** The longest LocalRank script of a load's long frames (ms; 0 without one). */
const longestOwnScript = (r: LoadRecord): number => Math.max(0, ...r.frames.flatMap((f) => f.scripts.filter((x) => isLocalRankUrl(x.sourceURL)).map((x) => x.duration)));

/**
 * LocalRank's scripts over 50 ms in `loads` (the ones `longScripts` counts), for the notes: which load, the script's
 * invoker and file, its duration; or "none". Says which work a missed target was, without a profiler.
 */
function ownLongScripts(loads: readonly LoadRecord[]): string {
  const found: string[] = [];
  loads.forEach((r, i) => {
    for (const f of r.frames) {
      const scripts: readonly { sourceURL: string; duration: number; invoker: string }[] = f.scripts;
      for (const x of scripts) {
        if (x.duration > 50 && isLocalRankUrl(x.sourceURL)) {
          found.push(`load ${i + 1}: ${x.invoker || '(no invoker)'} (${new URL(x.sourceURL).pathname.split('/').pop()}) ${x.duration.toFixed(0)} ms`);
        }
      }
    }
  });
  return found.length ? found.join('; ') : 'none';
}

/**
 * The figures of loads with the large catalog, for this build (`page-load.catalog-50000.*`) or the older one
 * (`page-load.before.catalog-50000.*`).
 */
function largeCatalogFigures(loads: readonly LoadRecord[], before: boolean): Figure[] {
  const attr = loads.map((r) => attributeLongFrames(r.frames));
  const scripts = summarise(attr.map((x) => x.longScripts));
  const n = LARGE_CATALOG.toLocaleString('en-US');
  const prefix = `page-load.${before ? 'before.' : ''}catalog-${LARGE_CATALOG}`;
  const who = before ? 'BEFORE build, ' : '';
  return [
    {
      key: `${prefix}.long-scripts.localrank`,
      label: `${who}${n}-product catalog: LocalRank scripts over 50 ms on their own`,
      unit: 'count',
      value: scripts,
      ...(before ? {} : { target: { stat: 'p95' as const, max: 0, met: scripts.p95 <= 0 } }),
    },
    { key: `${prefix}.localrank-script-ms`, label: `${who}${n}-product catalog: LocalRank script time inside long frames`, unit: 'ms', value: summarise(attr.map((x) => x.localrankScriptMs)) },
    { key: `${prefix}.longest-script`, label: `${who}${n}-product catalog: the longest LocalRank script`, unit: 'ms', value: summarise(loads.map(longestOwnScript)) },
    { key: `${prefix}.first-carousel-paint`, label: `${who}${n}-product catalog: first carousel painted`, unit: 'ms', value: summarise(loads.map((r) => num(r.paintedAt))) },
  ];
}

/**
 * Page load: the demo shop's home page (three LocalRank carousels: for-you, trending, recently-viewed) loaded in a
 * fresh context, against the same HTML without the LocalRank tag, interleaved A/B/A/B so drift hits both. Per load:
 * time to the first painted carousel with product cards, FCP and the `load` event, layout-shift score (total, and
 * the part with sources inside LocalRank mount points), long tasks (count, ms) and long animation frames attributed
 * by script URL (frames where LocalRank's scripts are the main cause: target 0) until the page is settled.
 */
export const pageLoad: Section = {
  name: 'page-load',
  async run(ctx) {
    const a: LoadRecord[] = [];
    const b: LoadRecord[] = [];
    const c: LoadRecord[] = [];
    const before = process.env.LOCALRANK_BENCH_BEFORE ? normalize(process.env.LOCALRANK_BENCH_BEFORE) : undefined;
    const intl: number[] = [];
    for (let i = 0; i < ctx.repeats; i++) {
      intl.push(await measureIntl(ctx));
      // Alternate who goes first, so neither variant always follows the other's teardown.
      if (i % 2 === 0) {
        a.push(await measureLoad(ctx, true));
        b.push(await measureLoad(ctx, false));
        if (before) c.push(await measureLoad(ctx, true, before));
      } else {
        if (before) c.push(await measureLoad(ctx, true, before));
        b.push(await measureLoad(ctx, false));
        a.push(await measureLoad(ctx, true));
      }
      ctx.log(`page-load ${i + 1}/${ctx.repeats}: carousel ${num(a[i]!.paintedAt).toFixed(0)} ms, long frames ${a[i]!.frames.length} vs ${b[i]!.frames.length}`);
    }
    // The same page with a large catalog: LocalRank's work that grows with the catalog, which 1,200 products hide.
    const largeCatalog = benchCatalog(LARGE_CATALOG);
    const large: LoadRecord[] = [];
    const largeBefore: LoadRecord[] = [];
    for (let i = 0; i < ctx.repeats; i++) {
      const builds = !before ? ['this'] : i % 2 === 0 ? ['this', 'before'] : ['before', 'this'];
      for (const build of builds) {
        if (build === 'this') large.push(await measureLoad(ctx, true, undefined, largeCatalog));
        else largeBefore.push(await measureLoad(ctx, true, before, largeCatalog));
      }
      ctx.log(`page-load ${LARGE_CATALOG} products ${i + 1}/${ctx.repeats}: LocalRank scripts over 50 ms ${attributeLongFrames(large[i]!.frames).longScripts}`);
    }
    const base = (label: string, value: Summary) => ({ label, value });
    const noLr = 'same page without LocalRank';
    const attrA = a.map((r) => attributeLongFrames(r.frames));
    const attrB = b.map((r) => attributeLongFrames(r.frames));
    const clsA = a.map((r) => sumLayoutShifts(r.shifts));
    const clsB = b.map((r) => sumLayoutShifts(r.shifts));
    const lrFrames = summarise(attrA.map((x) => x.localrank));
    const lrScripts = summarise(attrA.map((x) => x.longScripts));
    const figures: Figure[] = [
      {
        key: 'page-load.first-carousel-paint',
        label: 'first LocalRank carousel painted with products (from navigation start)',
        unit: 'ms',
        value: summarise(a.map((r) => num(r.paintedAt))),
        baseline: base(`${noLr}: first contentful paint`, summarise(b.map((r) => num(r.fcp)))),
      },
      { key: 'page-load.fcp', label: 'first contentful paint', unit: 'ms', value: summarise(a.map((r) => num(r.fcp))), baseline: base(noLr, summarise(b.map((r) => num(r.fcp)))) },
      { key: 'page-load.load-event', label: 'load event end', unit: 'ms', value: summarise(a.map((r) => num(r.load))), baseline: base(noLr, summarise(b.map((r) => num(r.load)))) },
      { key: 'page-load.long-tasks.count', label: 'main-thread long tasks until settled', unit: 'count', value: summarise(a.map((r) => r.longtasks.length)), baseline: base(noLr, summarise(b.map((r) => r.longtasks.length))) },
      {
        key: 'page-load.long-tasks.ms',
        label: 'main-thread long tasks until settled (total duration)',
        unit: 'ms',
        value: summarise(a.map((r) => r.longtasks.reduce((s, t) => s + t.duration, 0))),
        baseline: base(noLr, summarise(b.map((r) => r.longtasks.reduce((s, t) => s + t.duration, 0)))),
      },
      { key: 'page-load.long-frames.count', label: 'long animation frames until settled', unit: 'count', value: summarise(attrA.map((x) => x.frames)), baseline: base(noLr, summarise(attrB.map((x) => x.frames))) },
      {
        key: 'page-load.long-frames.localrank',
        label: 'long animation frames caused by LocalRank (its scripts the main cause)',
        unit: 'count',
        value: lrFrames,
        target: { stat: 'p95', max: 0, met: lrFrames.p95 <= 0 },
      },
      {
        key: 'page-load.long-frames.localrank-blocking',
        label: 'of those, frames that held a long task (blocking time above 0)',
        unit: 'count',
        value: summarise(attrA.map((x) => x.localrankBlocking)),
      },
      {
        key: 'page-load.long-scripts.localrank',
        label: 'LocalRank scripts over 50 ms on their own (its long tasks)',
        unit: 'count',
        value: lrScripts,
        target: { stat: 'p95', max: 0, met: lrScripts.p95 <= 0 },
      },
      {
        key: 'page-load.intl-first-use',
        label: "first Intl.NumberFormat in a fresh page (a browser cost, once per process: LocalRank pays it in a throwaway worker)",
        unit: 'ms',
        value: summarise(intl),
      },
      { key: 'page-load.long-frames.involving-localrank', label: 'long animation frames in which a LocalRank script ran', unit: 'count', value: summarise(attrA.map((x) => x.involving)) },
      { key: 'page-load.long-frames.localrank-script-ms', label: 'LocalRank script time inside long frames', unit: 'ms', value: summarise(attrA.map((x) => x.localrankScriptMs)) },
      { key: 'page-load.blocking-ms', label: 'blocking time of long frames (beyond 50 ms each)', unit: 'ms', value: summarise(attrA.map((x) => x.blockingMs)), baseline: base(noLr, summarise(attrB.map((x) => x.blockingMs))) },
      { key: 'page-load.cls', label: 'layout-shift score (sum without recent input)', unit: 'score', value: summarise(clsA.map((x) => x.total)), baseline: base(noLr, summarise(clsB.map((x) => x.total))) },
      {
        key: 'page-load.cls.widget',
        label: 'layout-shift score with sources inside LocalRank mount points',
        unit: 'score',
        value: summarise(clsA.map((x) => x.widget)),
        baseline: base(`${noLr} (empty mount points)`, summarise(clsB.map((x) => x.widget))),
      },
      { key: 'page-load.settled', label: 'settled at (from navigation start)', unit: 'ms', value: summarise(a.map((r) => r.settledAt)), baseline: base(noLr, summarise(b.map((r) => r.settledAt))) },
      ...largeCatalogFigures(large, false),
    ];
    const notes = [
      `Each load is a fresh context (cold HTTP cache, empty IndexedDB), the baseline is the same HTML with the LocalRank tag removed (fulfilled through the same route), interleaved A/B; "settled" is ${SETTLE_AFTER_LOAD_MS / 1000} s after load and ${QUIET_MS / 1000} s without a long frame or task (LocalRank: also after ready), capped at ${SETTLE_CAP_MS / 1000} s.`,
      'Long tasks carry no useful attribution in Chromium (name "self", no container), so LocalRank\'s share comes from long-animation-frame script URLs (localrank.js, chunks/, assets/); rendering time in a frame has no script and is not attributed.',
      `The ${LARGE_CATALOG.toLocaleString('en-US')}-product figures load the same page with /catalog.json replaced by scripts/generate-catalog.mjs's catalog of that size (LocalRank only${before ? ', this build and the BEFORE build interleaved' : ''}), settled the same way; work still running after the cap is not counted.`,
      'The rAF poll that marks the first carousel runs in both variants; the home page ships a base model, so the training worker starts after the first render (its thread is not the page\'s main thread and is not counted).',
    ];
    if (before) {
      // The same loads with the older build's files, interleaved with the others: before/after under one machine load.
      const attrC = c.map((r) => attributeLongFrames(r.frames));
      const was = (key: string, label: string, unit: Figure['unit'], value: Summary): Figure => ({ key: `page-load.before.${key}`, label: `BEFORE build: ${label}`, unit, value });
      figures.push(
        was('first-carousel-paint', 'first LocalRank carousel painted', 'ms', summarise(c.map((r) => num(r.paintedAt)))),
        was('long-scripts.localrank', 'LocalRank scripts over 50 ms on their own', 'count', summarise(attrC.map((x) => x.longScripts))),
        was('long-frames.localrank', 'long animation frames caused by LocalRank', 'count', summarise(attrC.map((x) => x.localrank))),
        was('long-frames.localrank-blocking', 'of those, frames that held a long task', 'count', summarise(attrC.map((x) => x.localrankBlocking))),
        was('long-tasks.count', 'main-thread long tasks until settled', 'count', summarise(c.map((r) => r.longtasks.length))),
        was('long-frames.localrank-script-ms', 'LocalRank script time inside long frames', 'ms', summarise(attrC.map((x) => x.localrankScriptMs))),
        ...largeCatalogFigures(largeBefore, true),
      );
      notes.push(`page-load.before.* loaded the same page with LocalRank's files from ${before} (an older build), interleaved with the other loads of this run.`);
    }
    notes.push(`LocalRank scripts over 50 ms, this build: the demo ${ownLongScripts(a)}; ${LARGE_CATALOG.toLocaleString('en-US')} products ${ownLongScripts(large)}.`);
    if (a.some((r) => !r.loaf)) notes.push('This Chromium does not support long-animation-frame: LocalRank attribution is missing (counts are 0).');
    if (a.some((r) => !r.ready)) notes.push(`LocalRank.ready did not resolve in ${a.filter((r) => !r.ready).length} loads.`);
    return { figures, notes };
  },
};
