/**
 * Runs `fn` in a task after the next rendering opportunity: tasks chained with `setTimeout(0)` alone often run
 * back to back inside one animation frame, which is then one long frame for the shopper however short each task
 * is. `requestAnimationFrame` does not fire in a hidden tab, so a timeout (100 ms) runs it there.
 */
export function afterNextFrame(fn: () => void): void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    fn();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, 100);
}

/** Resolves in a new task after the next frame, so the browser can paint and handle input between pieces of work. */
export const nextTask = (): Promise<void> => new Promise((resolve) => afterNextFrame(resolve));

/**
 * Main-thread time one slice of deferrable work may take before it yields (ms). Far below the 50 ms of a long task,
 * so a device several times slower than the one it was tuned on still stays under it: the slices adapt to the
 * device (a fixed item count per slice does not: 200 products were ~15 ms on a laptop, over 50 ms at 4× throttling).
 */
export const SLICE_BUDGET_MS = 8;

/** `performance.now()` where there is one (milliseconds, for measuring spans only). */
export const clock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Runs `step` repeatedly, yielding to the browser ({@link afterNextFrame}) whenever a slice has used
 * `budgetMs`; resolves once `step` returns `true` (done) or `cancelled()` is true. Each `step` call should be
 * small (a few ms at most on a slow device): the budget is checked between calls. Rejects with what `step` throws.
 * @param step one small piece of work; returns `true` when nothing is left
 * @param cancelled checked before each slice; the work stops (and the promise resolves) when it returns `true`
 * @param budgetMs default {@link SLICE_BUDGET_MS}
 */
export function runInSlices(step: () => boolean, cancelled: () => boolean = () => false, budgetMs = SLICE_BUDGET_MS): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const slice = (): void => {
      try {
        if (cancelled()) return resolve();
        const until = clock() + budgetMs;
        for (;;) {
          if (step()) return resolve();
          if (clock() >= until) break;
        }
        afterNextFrame(slice);
      } catch (error) {
        reject(error);
      }
    };
    slice();
  });
}
