import type { EventLog } from './event-log';

/**
 * Wraps the event log so that nothing touches the device's storage while `allowed()` is false (consent pending or
 * denied): appends are dropped, reads answer empty, and the database is not opened — so not even an empty database
 * is created before consent. `clear()` always goes through, since deleting is what a withdrawal asks for.
 */
export function gateEventLog(log: EventLog, allowed: () => boolean): EventLog {
  return {
    append(event) {
      if (allowed()) log.append(event);
    },
    flush: () => (allowed() ? log.flush() : Promise.resolve()),
    leave: () => (allowed() ? log.leave() : undefined),
    resume: () => (allowed() ? log.resume() : undefined),
    read: () => (allowed() ? log.read() : Promise.resolve({ events: [], counters: [] })),
    clear: () => log.clear(),
    getMeta: (key) => (allowed() ? log.getMeta(key) : Promise.resolve(undefined)),
    setMeta: (key, value) => (allowed() ? log.setMeta(key, value) : Promise.resolve()),
    mode: () => log.mode(),
    pendingCount: () => log.pendingCount(),
    database: () => (allowed() ? log.database() : Promise.resolve(undefined)),
  };
}
