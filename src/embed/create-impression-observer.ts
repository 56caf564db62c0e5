/** Observes elements and reports each once it has been at least `ratio` visible for `dwellMs`. */
export interface ImpressionObserver {
  /** Starts observing; `onSeen` runs at most once per element. Returns a cleanup. */
  observe(element: Element, onSeen: () => void): () => void;
  disconnect(): void;
}

/**
 * Creates an {@link ImpressionObserver} over one IntersectionObserver (threshold `ratio`), made when the first element
 * is observed. Elements inside shadow roots work too. When IntersectionObserver is missing, nothing is reported.
 */
export function createImpressionObserver(ratio: number, dwellMs: number): ImpressionObserver {
  const callbacks = new Map<Element, () => void>();
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const seen = new WeakSet<Element>();
  const cancel = (el: Element): void => {
    const t = timers.get(el);
    if (t !== undefined) clearTimeout(t);
    timers.delete(el);
  };
  // Made at the first `observe`, not with this object: the first script creates it in its module task.
  let io: IntersectionObserver | undefined;
  const make = (): IntersectionObserver | undefined =>
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              const el = entry.target;
              if (entry.isIntersecting && entry.intersectionRatio >= ratio) {
                if (timers.has(el) || seen.has(el)) continue;
                timers.set(
                  el,
                  setTimeout(() => {
                    timers.delete(el);
                    const cb = callbacks.get(el);
                    if (!cb || seen.has(el)) return;
                    seen.add(el);
                    io?.unobserve(el);
                    callbacks.delete(el);
                    cb();
                  }, dwellMs),
                );
              } else {
                cancel(el);
              }
            }
          },
          { threshold: [0, ratio] },
        )
      : undefined;
  return {
    observe(element, onSeen) {
      io ??= make();
      const observer = io;
      if (!observer || seen.has(element) || callbacks.has(element)) return () => {};
      callbacks.set(element, onSeen);
      observer.observe(element);
      return () => {
        cancel(element);
        callbacks.delete(element);
        observer.unobserve(element);
      };
    },
    disconnect() {
      for (const el of timers.keys()) cancel(el);
      callbacks.clear();
      io?.disconnect();
    },
  };
}
