import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterNextFrame, runInSlices, SLICE_BUDGET_MS } from './after-next-frame';

/**
 * A controlled browser: frames come when `frame()` says (requestAnimationFrame callbacks, then the timeouts they set),
 * and `performance.now()` only moves when a piece of work says how long it took.
 */
let now = 0;
let frameCallbacks: Array<() => void> = [];
const frame = (): void => {
  const due = frameCallbacks;
  frameCallbacks = [];
  for (const cb of due) cb();
  vi.advanceTimersByTime(0);
};
/** Work that takes `ms` of main-thread time and logs its name. */
const work = (log: string[], name: string, ms = 1, then?: () => void) => (): void => {
  log.push(name);
  now += ms;
  then?.();
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('performance', { now: () => now });
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frameCallbacks.push(cb));
});

afterEach(() => {
  // Drain what a test left queued, so the next starts with an empty queue.
  for (let i = 0; i < 50; i++) frame();
  vi.advanceTimersByTime(1000);
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('afterNextFrame', () => {
  it('runs nothing before the frame, then the waiting work of all callers in one task while it fits the budget', () => {
    const log: string[] = [];
    afterNextFrame(work(log, 'a'));
    afterNextFrame(work(log, 'b'));
    vi.advanceTimersByTime(0);
    expect(log).toEqual([]);
    frame();
    expect(log).toEqual(['a', 'b']);
  });

  it('leaves the rest for the following frame once a frame\'s work has used the budget', () => {
    const log: string[] = [];
    afterNextFrame(work(log, 'slow', SLICE_BUDGET_MS + 2));
    afterNextFrame(work(log, 'second'));
    afterNextFrame(work(log, 'third'));
    frame();
    expect(log).toEqual(['slow']);
    frame();
    expect(log).toEqual(['slow', 'second', 'third']);
  });

  it('runs work queued by waiting work after the next frame, not in the same task', () => {
    const log: string[] = [];
    afterNextFrame(work(log, 'first', 1, () => afterNextFrame(work(log, 'queued by first'))));
    afterNextFrame(work(log, 'second'));
    frame();
    expect(log).toEqual(['first', 'second']);
    frame();
    expect(log).toEqual(['first', 'second', 'queued by first']);
  });

  it('keeps running the other callers\' work when one throws, and throws nothing itself', () => {
    const log: string[] = [];
    afterNextFrame(() => {
      throw new Error('boom');
    });
    afterNextFrame(work(log, 'after the throw'));
    expect(() => frame()).not.toThrow();
    expect(log).toEqual(['after the throw']);
  });

  it('runs after 100 ms where no frame comes (a hidden tab), once', () => {
    const log: string[] = [];
    afterNextFrame(work(log, 'hidden'));
    vi.advanceTimersByTime(99);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['hidden']);
    frame();
    expect(log).toEqual(['hidden']);
  });
});

describe('runInSlices', () => {
  it('shares the frame with other callers: a slice that used its budget pushes their work to the next frame', async () => {
    const log: string[] = [];
    let left = 3;
    // Each step takes the whole budget: one step per slice, one slice per frame.
    const done = runInSlices(() => {
      log.push(`step ${left}`);
      now += SLICE_BUDGET_MS;
      return --left === 0;
    });
    // Not in the caller's task: the first slice waits for the next frame like any queued work.
    expect(log).toEqual([]);
    frame();
    expect(log).toEqual(['step 3']);
    afterNextFrame(work(log, 'other'));
    frame();
    expect(log).toEqual(['step 3', 'step 2']);
    frame();
    expect(log).toEqual(['step 3', 'step 2', 'other', 'step 1']);
    await expect(done).resolves.toBeUndefined();
  });

  it('rejects with what a step throws and stops when cancelled', async () => {
    const failed = runInSlices(() => {
      throw new Error('bad step');
    });
    frame();
    await expect(failed).rejects.toThrow('bad step');
    let steps = 0;
    let cancelled = false;
    const stopped = runInSlices(() => {
      steps++;
      now += SLICE_BUDGET_MS;
      return false;
    }, () => cancelled);
    frame();
    cancelled = true;
    frame();
    await expect(stopped).resolves.toBeUndefined();
    expect(steps).toBe(1);
  });
});
