import { describe, expect, it } from 'vitest';
import { sumLayoutShifts } from './sum-layout-shifts';

describe('sumLayoutShifts', () => {
  it('is zero without shifts', () => {
    expect(sumLayoutShifts([])).toEqual({ total: 0, widget: 0 });
  });
  it('sums shifts without recent input and the part with a source in a widget', () => {
    const r = sumLayoutShifts([
      { value: 0.1, hadRecentInput: false, sourcesInWidget: [false] },
      { value: 0.02, hadRecentInput: false, sourcesInWidget: [false, true] },
      { value: 0.5, hadRecentInput: true, sourcesInWidget: [true] },
      { value: 0.03, hadRecentInput: false, sourcesInWidget: [] },
    ]);
    expect(r.total).toBeCloseTo(0.15, 10);
    expect(r.widget).toBeCloseTo(0.02, 10);
  });
});
