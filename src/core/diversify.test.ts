import { describe, expect, it } from 'vitest';
import { diversify } from './diversify';

const cat = (s: string): string => s[0]!;

describe('diversify', () => {
  it('caps runs of one category', () => {
    expect(diversify(['a1', 'a2', 'a3', 'a4', 'b1', 'c1'], cat, 2).join()).toBe('a1,a2,b1,a3,a4,c1');
  });
  it('appends the rest when only one category is left', () => {
    expect(diversify(['a1', 'a2', 'a3', 'b1'], cat, 1).join()).toBe('a1,b1,a2,a3');
  });
  it('respects the limit and the disabled mode', () => {
    expect(diversify(['a1', 'a2', 'a3', 'b1'], cat, 1, 2).join()).toBe('a1,b1');
    expect(diversify(['a1', 'a2', 'a3'], cat, 0).join()).toBe('a1,a2,a3');
  });
});
