import type { Interaction } from '../core/interaction';

/**
 * Adds events in an open readwrite transaction, each at most once: an event whose `uid` is already stored (saved by
 * its page and again from the exit journal) fails its own request with a ConstraintError, which is cancelled so the
 * transaction goes on. Returns the events that were added (as appended, without their keys; filled in as the requests
 * succeed).
 */
export function addOnce(raw: IDBObjectStore, events: readonly Interaction[]): Interaction[] {
  const stored: Interaction[] = [];
  for (const e of events) {
    const request = raw.add(e);
    request.onsuccess = () => void stored.push(e);
    request.onerror = (event) => {
      // Only the uid index can clash (keys are generated): anything else aborts the transaction and is re-queued.
      if (request.error?.name !== 'ConstraintError' || e.uid === undefined || e.id !== undefined) return;
      event.preventDefault(); // keep the transaction
      event.stopPropagation(); // and keep it from reaching the transaction's error listeners (idb's `done`)
    };
  }
  return stored;
}
