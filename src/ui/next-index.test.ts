import { describe, expect, it } from 'vitest';
import { nextIndex } from './next-index';

describe('nextIndex', () => {
  it('moves one card with the arrow keys and clamps at both ends', () => {
    expect(nextIndex('ArrowRight', 0, 5)).toBe(1);
    expect(nextIndex('ArrowLeft', 3, 5)).toBe(2);
    expect(nextIndex('ArrowRight', 4, 5)).toBe(4);
    expect(nextIndex('ArrowLeft', 0, 5)).toBe(0);
  });

  it('jumps to the first and last card with Home and End', () => {
    expect(nextIndex('Home', 3, 5)).toBe(0);
    expect(nextIndex('End', 1, 5)).toBe(4);
  });

  it('swaps the arrow keys in right-to-left layouts', () => {
    expect(nextIndex('ArrowLeft', 1, 5, true)).toBe(2);
    expect(nextIndex('ArrowRight', 1, 5, true)).toBe(0);
    expect(nextIndex('End', 1, 5, true)).toBe(4);
  });

  it('ignores other keys and empty carousels', () => {
    expect(nextIndex('ArrowDown', 1, 5)).toBeUndefined();
    expect(nextIndex('Enter', 1, 5)).toBeUndefined();
    expect(nextIndex('a', 1, 5)).toBeUndefined();
    expect(nextIndex('Home', 0, 0)).toBeUndefined();
  });

  it('clamps an index that is out of range after the items changed', () => {
    expect(nextIndex('ArrowRight', 9, 3)).toBe(2);
  });
});
