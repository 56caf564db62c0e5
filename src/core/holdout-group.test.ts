import { describe, expect, it } from 'vitest';
import { holdoutGroup } from './holdout-group';

describe('holdoutGroup', () => {
  it('puts a browser in the holdout when its draw is below the share', () => {
    expect(holdoutGroup(0.1, 0.05)).toBe('holdout');
    expect(holdoutGroup(0.1, 0.1)).toBe('personalised');
    expect(holdoutGroup(0.1, 0.9)).toBe('personalised');
  });
  it('share 0 is nobody, share 1 everybody, with or without a draw', () => {
    expect(holdoutGroup(0, 0)).toBe('personalised');
    expect(holdoutGroup(1, undefined)).toBe('holdout');
    expect(holdoutGroup(1, 0.99)).toBe('holdout');
  });
  it('without a kept draw a browser is personalised, and a bad draw counts as none', () => {
    expect(holdoutGroup(0.5, undefined)).toBe('personalised');
    expect(holdoutGroup(0.5, Number.NaN)).toBe('personalised');
    expect(holdoutGroup(0.5, -1)).toBe('personalised');
  });
  it('splits uniform draws in the given share', () => {
    let holdout = 0;
    for (let i = 0; i < 1000; i++) if (holdoutGroup(0.1, (i + 0.5) / 1000) === 'holdout') holdout++;
    expect(holdout).toBe(100);
  });
});
