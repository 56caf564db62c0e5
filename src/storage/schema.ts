import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Counter } from '../core/counter';
import type { Interaction } from '../core/interaction';
import type { ModelRecord } from './model-record';

/** The one IndexedDB schema of LocalRank. Every store lives in this database so writes can share a transaction. */
export interface LocalRankSchema extends DBSchema {
  /** The interaction log; auto-increment keys are insertion order. */
  events: {
    key: number;
    value: Interaction;
    indexes: { 'by-time': number; 'by-type': string; 'by-product': string; 'by-uid': string };
  };
  /** Compacted counters of events removed from the log (`p:<id>`, `c:<category>`). */
  counters: {
    key: string;
    value: Counter;
    indexes: { 'by-kind': string };
  };
  /** Small key/value records (install time, settings the shopper chose). */
  meta: {
    key: string;
    value: unknown;
  };
  /** The on-device model: weights and their metadata in one record, so they are written in one transaction. */
  models: {
    key: string;
    value: ModelRecord;
  };
}

type UpgradeTx = IDBPTransaction<LocalRankSchema, StoreNames<LocalRankSchema>[], 'versionchange'>;
type Migration = (db: IDBPDatabase<LocalRankSchema>, tx: UpgradeTx) => void;

/**
 * Migrations, one per version: `MIGRATIONS[v - 1]` upgrades a database from version `v - 1` to `v`.
 * Never edit a released migration; append a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  // v1: event log, counters, meta.
  (db) => {
    const events = db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
    events.createIndex('by-time', 'time');
    events.createIndex('by-type', 'type');
    events.createIndex('by-product', 'productId');
    const counters = db.createObjectStore('counters', { keyPath: 'key' });
    counters.createIndex('by-kind', 'kind');
    db.createObjectStore('meta');
  },
  // v2: the on-device model.
  (db) => {
    db.createObjectStore('models', { keyPath: 'key' });
  },
  // v3: a unique id per event, so a write repeated from the exit journal stores the event once.
  (_db, tx) => {
    tx.objectStore('events').createIndex('by-uid', 'uid', { unique: true });
  },
];

/** Current schema version (the number of migrations). */
export const DB_VERSION = MIGRATIONS.length;

/** Runs the migrations from `oldVersion` up to `newVersion` inside the upgrade transaction. */
export function migrate(db: IDBPDatabase<LocalRankSchema>, oldVersion: number, newVersion: number, tx: UpgradeTx): void {
  for (let v = oldVersion; v < newVersion; v++) MIGRATIONS[v]?.(db, tx);
}
