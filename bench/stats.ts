import type { Summary } from './types';

/** Median and nearest-rank p95 of a non-empty list of measurements. */
export function summarise(runs: readonly number[]): Summary {
  if (runs.length === 0) return { median: Number.NaN, p95: Number.NaN, runs: [] };
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { median, p95, runs: runs.slice() };
}
