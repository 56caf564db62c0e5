import { describe, expect, it } from 'vitest';
import { longTaskStats } from './long-task-stats';

describe('longTaskStats', () => {
  const entries = [
    { start: 0, duration: 60 }, // ends at 60
    { start: 100, duration: 120 },
    { start: 500, duration: 51 },
    { start: 900, duration: 50 }, // not longer than 50 ms: not a long task
  ];

  it('counts the tasks that overlap a window, partially or wholly', () => {
    expect(longTaskStats(entries, [[50, 150]])).toEqual({ count: 2, totalMs: 180, longestMs: 120 });
  });

  it('counts a task once when it overlaps two windows', () => {
    expect(longTaskStats(entries, [[110, 120], [200, 210]])).toEqual({ count: 1, totalMs: 120, longestMs: 120 });
  });

  it('ignores tasks outside every window and tasks at the threshold', () => {
    expect(longTaskStats(entries, [[700, 1000]])).toEqual({ count: 0, totalMs: 0, longestMs: 0 });
    expect(longTaskStats([], [[0, 1]])).toEqual({ count: 0, totalMs: 0, longestMs: 0 });
  });
});
