/**
 * A Map-backed `Storage` (what `localStorage` offers) for unit tests; `refuse` makes every write throw a
 * QuotaExceededError, like a full or disabled storage.
 */
export function memoryStorage(refuse = false): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => m.get(k) ?? null,
    setItem(k, v) {
      if (refuse) throw new DOMException('quota', 'QuotaExceededError');
      m.set(k, String(v));
    },
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
  };
}
