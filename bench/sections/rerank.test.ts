import { describe, expect, it } from 'vitest';
import { mergeRuns } from './rerank';

describe('mergeRuns', () => {
  it('joins the samples of each size and measure, in block order, keeping sizes only one block has', () => {
    const a = { main: { 200: [1, 2], 1000: [10] }, wall: { 200: [0.5] }, naive: { 200: [0.1] } };
    const b = { main: { 200: [3], 50: [7] }, wall: { 200: [0.6, 0.7] }, naive: {} };
    expect(mergeRuns([a, b])).toEqual({
      main: { 50: [7], 200: [1, 2, 3], 1000: [10] },
      wall: { 200: [0.5, 0.6, 0.7] },
      naive: { 200: [0.1] },
    });
    expect(a.main[200]).toEqual([1, 2]); // the blocks' own arrays are left as they were
  });
});
