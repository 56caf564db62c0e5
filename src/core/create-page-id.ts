/**
 * A random id for one page view (eight base-36 characters of randomness plus the time in base 36): the prefix of
 * the `uid`s the page gives its events, and the key of its exit-journal entry. Not a tracking id: it never leaves
 * the device and nothing links two page views by it.
 */
export function createPageId(): string {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0') + Date.now().toString(36);
}
