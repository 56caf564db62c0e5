import type { ModelPlatform } from '../widget/connect-model';

const INPUT_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

/**
 * The browser hooks the model needs, kept in the embed layer (the only code touching globals): the training
 * Worker (a module worker bundled by Vite), idle detection (`requestIdleCallback` after a quiet period without
 * input), input notifications, and the Web Locks API so that at most one tab trains at a time.
 */
export function createModelPlatform(): ModelPlatform {
  let lastInput = 0;
  const listeners = new Set<() => void>();
  for (const type of INPUT_EVENTS) {
    addEventListener(
      type,
      () => {
        lastInput = performance.now();
        for (const l of listeners) l();
      },
      { capture: true, passive: true },
    );
  }
  const idleCallback = (cb: () => void): void => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(cb, { timeout: 5000 });
    else setTimeout(cb, 200);
  };
  return {
    createWorker: () => new Worker(new URL('../model/train.worker.ts', import.meta.url), { type: 'module', name: 'localrank-train' }),
    whenIdle: (ms) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          const quiet = performance.now() - lastInput;
          if (quiet >= ms && document.visibilityState === 'visible') idleCallback(resolve);
          else setTimeout(check, Math.max(100, ms - quiet));
        };
        check();
      }),
    onInput: (callback) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    scoreKernel: (module) => import('../core/create-score-kernel').then(({ createScoreKernel }) => createScoreKernel(module), () => undefined),
    withLock: async (name, task) => {
      if (!navigator.locks) {
        await task();
        return true;
      }
      return navigator.locks.request(name, { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await task();
        return true;
      });
    },
  };
}
