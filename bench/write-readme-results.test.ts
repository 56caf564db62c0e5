import { describe, expect, it } from 'vitest';
import { fmt, resultsTable } from './write-readme-results';

describe('write-readme-results', () => {
  it('formats three significant digits, whole numbers from 100, and a dash for nothing', () => {
    expect(fmt(0.012345)).toBe('0.0123');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1234.5)).toBe('1,235');
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmt(undefined)).toBe('—');
  });
  it('puts both profiles side by side with their baselines and target verdicts, and skips figures not measured', () => {
    const figure = (median: number, met?: boolean) => ({
      key: 'rerank.model.200.main',
      label: 'x',
      unit: 'ms' as const,
      value: { median, p95: median * 2, runs: [median] },
      baseline: { label: 'sort', value: { median: 0.1, p95: 0.2, runs: [0.1] } },
      ...(met === undefined ? {} : { target: { stat: 'p95' as const, max: 5, met } }),
    });
    const table = resultsTable({
      at: '2026-11-28T00:00:00Z',
      machine: { cpus: 2, chromium: 'x' },
      repeats: 1,
      seconds: 1,
      sections: { rerank: { unthrottled: { figures: [figure(2, true)], notes: [] }, 'cpu-4x': { figures: [figure(9, false)], notes: [] } } },
    });
    const rows = table.split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('| rerank 200, model (baseline: popularity sort), target p95 ≤ 5 | ms | 2 / 4 (met) | 0.1 / 0.2 | 9 / 18 (**missed**) | 0.1 / 0.2 |');
  });
});
