import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter } from '@playwright/test/reporter';
import { COUNTS_DIR } from './reliability-counts';
import type { ReliabilitySuite } from './reliability-counts';

const SUITES: Record<ReliabilitySuite, string> = {
  privacy: 'Privacy capture (`e2e/privacy.spec.ts`)',
  csp: 'Strict CSP (`e2e/csp.spec.ts`)',
  'hostile-input': 'Hostile input corpus (`e2e/hostile-input.spec.ts`, `e2e/fixtures/hostile/`)',
  'storage-faults': 'Storage faults (`e2e/storage-faults.spec.ts`)',
  concurrency: 'Concurrency and durability (`e2e/concurrency.spec.ts`)',
  'tfjs-faults': 'tfjs faults (`e2e/tfjs-faults.spec.ts`)',
  'shopper-controls': 'Shopper controls (`e2e/shopper-controls.spec.ts`)',
};
const START = '<!-- reliability-counts:start -->';
const END = '<!-- reliability-counts:end -->';

/**
 * Sums the counts the privacy and reliability tests recorded (`reportCounts`) into `test-results/reliability.json`
 * and — only after a run in which every test passed and every suite reported — rewrites the block between the
 * markers in README.md, so the README's numbers are the suite's, not typed by hand.
 */
export default class ReliabilityReporter implements Reporter {
  onEnd(result: FullResult): void {
    if (!existsSync(COUNTS_DIR)) return;
    const totals = new Map<string, { tests: number; counts: Map<string, number> }>();
    for (const file of readdirSync(COUNTS_DIR)) {
      if (!file.endsWith('.json')) continue;
      const { suite, counts } = JSON.parse(readFileSync(join(COUNTS_DIR, file), 'utf8')) as { suite: string; counts: Record<string, number> };
      const entry = totals.get(suite) ?? { tests: 0, counts: new Map<string, number>() };
      entry.tests += 1;
      for (const [key, value] of Object.entries(counts)) entry.counts.set(key, (entry.counts.get(key) ?? 0) + value);
      totals.set(suite, entry);
    }
    const json = Object.fromEntries([...totals].map(([suite, t]) => [suite, { tests: t.tests, ...Object.fromEntries(t.counts) }]));
    writeFileSync(join('test-results', 'reliability.json'), JSON.stringify({ status: result.status, at: new Date().toISOString(), suites: json }, null, 2));

    const complete = (Object.keys(SUITES) as ReliabilitySuite[]).every((s) => totals.has(s));
    if (result.status !== 'passed' || !complete || !existsSync('README.md')) return;
    const readme = readFileSync('README.md', 'utf8');
    const from = readme.indexOf(START);
    const to = readme.indexOf(END);
    if (from < 0 || to < from) return;
    const rows = (Object.entries(SUITES) as Array<[ReliabilitySuite, string]>).map(([suite, label]) => {
      const t = totals.get(suite)!;
      const counts = [...t.counts].map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`).join('; ');
      return `| ${label} | ${t.tests} | ${counts} |`;
    });
    const block = [
      START,
      `Written by \`e2e/reliability-reporter.ts\` after the last complete passing \`npm test\` run (${new Date().toISOString().slice(0, 10)}).`,
      '',
      '| suite | tests | what the tests counted |',
      '|---|---|---|',
      ...rows,
      END,
    ].join('\n');
    writeFileSync('README.md', readme.slice(0, from) + block + readme.slice(to + END.length));
  }
}
