/**
 * Main-thread time one slice of deferrable work may take before it yields (ms). Far below the 50 ms of a long task,
 * so a device several times slower than the one it was tuned on still stays under it: the slices adapt to the
 * device (a fixed item count per slice does not: 200 products were ~15 ms on a laptop, over 50 ms at 4× throttling).
 */
export const SLICE_BUDGET_MS = 8;

/** `performance.now()` where there is one (milliseconds, for measuring spans only). */
export const clock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Work waiting for the next frame, oldest first, shared by every caller of {@link afterNextFrame}. */
const waiting: Array<() => void> = [];
let pumping = false;

/** Schedules one task after the next rendering opportunity that runs what is waiting (see {@link afterNextFrame}). */
const schedulePump = (): void => {
  if (pumping) return;
  pumping = true;
  let done = false;
  const pump = (): void => {
    if (done) return;
    done = true;
    pumping = false;
    // Only what was waiting when the frame came: work queued by this work waits for the next frame.
    let left = waiting.length;
    const until = clock() + SLICE_BUDGET_MS;
    while (left-- > 0) {
      const fn = waiting.shift()!;
      try {
        fn();
      } catch {
        // Each caller handles its own errors (runInSlices rejects, the runtime reports); this only keeps one
        // caller's failure from dropping the others' work or reaching the host page.
      }
      if (clock() >= until) break;
    }
    if (waiting.length > 0) schedulePump();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(pump, 0));
  // `requestAnimationFrame` does not fire in a hidden tab.
  setTimeout(pump, 100);
};

/**
 * Runs `fn` in a task after the next rendering opportunity. Tasks chained with `setTimeout(0)` alone often run back to
 * back inside one animation frame, which is then one long frame for the shopper however short each task is; and
 * LocalRank's independent pieces of deferred work (render steps, catalog slices, model warm-up, neighbour lists) each
 * waiting for "the next frame" ran in one frame together (frames of 60–160 ms at 4× CPU throttling in a trace of the
 * demo's page load). So every caller shares one queue: after each frame, one task runs waiting work, oldest first,
 * until {@link SLICE_BUDGET_MS} is used (at least one piece), and the rest waits for the following frame. In a hidden
 * tab, where `requestAnimationFrame` does not fire, a timeout (100 ms) runs it.
 */
export function afterNextFrame(fn: () => void): void {
  waiting.push(fn);
  schedulePump();
}

/** Resolves in a new task after the next frame, so the browser can paint and handle input between pieces of work. */
export const nextTask = (): Promise<void> => new Promise((resolve) => afterNextFrame(resolve));

/**
 * Runs `step` repeatedly in slices of the shared queue ({@link afterNextFrame}), yielding to the browser whenever a
 * slice has used `budgetMs`; resolves once `step` returns `true` (done) or `cancelled()` is true. Each `step` call
 * should be small (a few ms at most on a slow device): the budget is checked between calls. Rejects with what `step`
 * throws. The first slice waits for the next frame too, never runs in the caller's task: callers resume in promise
 * reactions (an import, a fetch, an IndexedDB read), and a slice there joined whatever else that task ran (the
 * runtime's start and its first catalog slice were one 32–119 ms task at 4× CPU throttling).
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
    afterNextFrame(slice);
  });
}
