import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';

/** The suites of the privacy and reliability report (README "Privacy and reliability"). */
export type ReliabilitySuite = 'privacy' | 'csp' | 'hostile-input' | 'storage-faults' | 'concurrency' | 'tfjs-faults' | 'shopper-controls';

/** Where each test's counts go; `e2e/write-reliability-report.ts` sums them after the run. */
export const COUNTS_DIR = join('test-results', 'reliability-counts');

/**
 * Records what a test checked (requests inspected, fixtures tried, faults injected, events verified, …), for the
 * report the suite writes into the README. Call it at the END of a test, after its assertions: a failing test then
 * contributes nothing. Counts must be numbers the test actually observed, never constants.
 */
export function reportCounts(testInfo: TestInfo, suite: ReliabilitySuite, counts: Record<string, number>): void {
  mkdirSync(COUNTS_DIR, { recursive: true });
  const slug = `${testInfo.titlePath.join(' ')} ${testInfo.repeatEachIndex} ${testInfo.retry}`.replace(/[^a-z0-9]+/gi, '-').slice(0, 150);
  writeFileSync(join(COUNTS_DIR, `${suite}--${slug}.json`), JSON.stringify({ suite, test: testInfo.title, counts }));
}
