/** A listener-safe event emitter. */
export interface Emitter<Events extends Record<string, unknown>> {
  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void;
  /**
   * Calls every listener of `name`. A listener that throws does not stop the others; its error is passed to
   * `onListenerError` (never rethrown into the caller, which may be the host page).
   */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
}

/**
 * Creates an {@link Emitter}.
 * @param onListenerError called with each error a listener throws (default: ignored)
 */
export function createEmitter<Events extends Record<string, unknown>>(
  onListenerError: (error: unknown, name: keyof Events) => void = () => {},
): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(name, payload) {
      const set = listeners.get(name);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch (error) {
          if (name !== 'error') onListenerError(error, name);
        }
      }
    },
  };
}
