import { readFileSync, writeFileSync } from 'node:fs';
import type { Figure, SectionResult } from './types';

/**
 * Rewrites the README's latest-results table (between `<!-- bench-results:start -->` and `<!-- bench-results:end -->`)
 * from a results file of `npm run bench`, so the README quotes the JSON instead of numbers typed by hand.
 * Usage: `npx tsx bench/write-readme-results.ts [bench/results.json] [--command "npm run bench -- …"]`.
 */

interface Report {
  readonly at: string;
  readonly machine: { readonly cpus: number; readonly chromium: string };
  readonly repeats: number;
  readonly seconds: number;
  readonly sections: Record<string, Record<string, SectionResult>>;
}

/** The figures the README shows, in order (every other figure is in `bench/results.md`). */
const ROWS: ReadonlyArray<readonly [key: string, label: string]> = [
  ['bytes.localrank.js.gzip', 'first script `localrank.js` gzip (baseline: full `tf.min.js`)'],
  ['page-load.first-carousel-paint', 'first carousel painted (baseline: FCP without LocalRank)'],
  ['page-load.long-scripts.localrank', 'LocalRank scripts over 50 ms during load, its long tasks (target 0)'],
  ['page-load.long-frames.localrank', 'long frames mostly LocalRank script during load (may be several short tasks)'],
  ['page-load.long-frames.localrank-blocking', 'of those, frames that held a long task'],
  ['page-load.intl-first-use', 'first `Intl.NumberFormat` of a fresh page (browser cost of the first price)'],
  ['page-load.long-tasks.count', 'long tasks during load, all causes (baseline: page without LocalRank)'],
  ['page-load.cls.widget', 'layout shift inside LocalRank mount points'],
  ['page-load.catalog-50000.long-scripts.localrank', 'the same page with a 50,000-product catalog: LocalRank scripts over 50 ms (target 0)'],
  ['page-load.catalog-50000.longest-script', 'with 50,000 products: the longest LocalRank script'],
  ['tracking.burst.ms-per-event', '`track()` per event, 1,000 in one task (target ≤ 0.1; baseline: a raw `put` transaction per event)'],
  ['tracking.per-task.ms-per-event', '`track()` per event, one per task (target ≤ 0.1)'],
  ['tracking.per-task.all-in-ms-per-event', 'all main-thread task time per event, harness and deferred re-render included'],
  ['tracking.burst.events-per-second', 'events/s durable in IndexedDB (read back)'],
  ['rerank.heuristic.200.main', 'rerank 200, heuristic (baseline: popularity sort), target p95 ≤ 5'],
  ['rerank.heuristic.1000.main', 'rerank 1,000, heuristic (baseline: popularity sort), target p95 ≤ 16'],
  ['rerank.model.200.main', 'rerank 200, model (baseline: popularity sort), target p95 ≤ 5'],
  ['rerank.model.1000.main', 'rerank 1,000, model (baseline: popularity sort), target p95 ≤ 16'],
  ['rerank.model.10000.main', 'rerank 10,000, model (baseline: popularity sort)'],
  ['rerank.tfjs-wasm.200', 'tfjs `predict` in the worker, 200 rows, wasm (round trip)'],
  ['training.wasm.first-run.per-1k-events', 'wasm training in the worker, first run per 1,000 events (baseline: `model.fit` on the main thread)'],
  ['training.wasm.second-run.per-1k-events', 'wasm fine-tune in the warm worker, per 1,000 events'],
  ['training.wasm.long-tasks', 'main-thread long tasks while the worker trains, wasm (target 0; baseline: during main-thread `fit`)'],
  ['training.webgl.long-tasks', 'the same, webgl (SwiftShader)'],
  ['training.cpu.long-tasks', 'the same, cpu'],
  ['training.wasm.long-tasks.before-runs', 'main-thread long tasks from the actions to the runs they lead to (the widgets\' refresh, which a run waits for), wasm'],
  ['training.webgl.first-epoch', 'webgl (SwiftShader) first epoch, shader compilation'],
  ['memory.heap.growth-per-rerank', 'heap growth per `rerank(200)`'],
  ['memory.tf.tensors.growth-per-run', 'worker tensors, growth per training run'],
  ['scaling.events.100000.ready', 'ready with 100,000 stored events (before compaction)'],
  ['scaling.events.100000.compacted.ready', 'ready after the default cap compacted them'],
  ['scaling.catalog.50000.parse', 'catalog 50,000 products: parse + index (baseline: `JSON.parse`)'],
];

/** Three significant digits, thousands separated; `—` for a missing or non-finite value. */
export function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  const r = Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(3));
  return r.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function cell(f: Figure | undefined, withTarget: boolean): string {
  if (!f) return '—';
  const t = withTarget && f.target ? (f.target.met ? ' (met)' : ' (**missed**)') : '';
  return `${fmt(f.value.median)} / ${fmt(f.value.p95)}${t}`;
}

/** The table's rows for a report: unthrottled and cpu-4x (or the profile-independent "any") side by side. */
export function resultsTable(report: Report): string {
  const find = (key: string, profile: string): Figure | undefined => {
    const section = report.sections[key.split('.')[0]!];
    return (section?.[profile] ?? section?.any)?.figures.find((f) => f.key === key);
  };
  const lines = ['| figure | unit | unthrottled median / p95 | its baseline | cpu-4x median / p95 | its baseline |', '|---|---|---|---|---|---|'];
  for (const [key, label] of ROWS) {
    const a = find(key, 'unthrottled');
    const section = report.sections[key.split('.')[0]!];
    const b = section?.any ? undefined : find(key, 'cpu-4x');
    if (!a && !b) continue;
    const unit = (a ?? b)!.unit;
    lines.push(`| ${label} | ${unit} | ${cell(a, true)} | ${a?.baseline ? cell({ ...a, value: a.baseline.value }, false) : '—'} | ${cell(b, true)} | ${b?.baseline ? cell({ ...b, value: b.baseline.value }, false) : '—'} |`);
  }
  return lines.join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const ci = args.indexOf('--command');
  const command = ci >= 0 ? args[ci + 1] : 'npm run bench -- --json bench/results.json';
  const file = args.find((a, i) => !a.startsWith('--') && (ci < 0 || i !== ci + 1)) ?? 'bench/results.json';
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const when = report.at.replace('T', ' ').slice(0, 16);
  const block = `From \`${file}\` of ${when} UTC (\`${command}\`, ${report.repeats} repeats, ${report.seconds} s, Chromium ${report.machine.chromium}, ${report.machine.cpus} cores); every figure and note is in \`bench/results.md\`.\n\n${resultsTable(report)}\n`;
  const readme = readFileSync('README.md', 'utf8');
  const start = '<!-- bench-results:start -->\n';
  const end = '<!-- bench-results:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error('README.md has no bench-results markers');
  writeFileSync('README.md', readme.slice(0, a + start.length) + block + readme.slice(b));
  process.stderr.write(`README.md: results table from ${file}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
