import type { IDBPDatabase } from 'idb';
import type { ModelRecord } from './model-record';
import { CURRENT_MODEL } from './model-record';
import type { LocalRankSchema } from './schema';

/** Writes the model record (weights and metadata together) in one transaction. */
export async function saveModelRecord(db: IDBPDatabase<LocalRankSchema>, record: ModelRecord): Promise<void> {
  const tx = db.transaction('models', 'readwrite');
  void tx.store.put(record);
  await tx.done;
}

/** Reads the current model record, or `undefined`. */
export async function loadModelRecord(db: IDBPDatabase<LocalRankSchema>, key: string = CURRENT_MODEL): Promise<ModelRecord | undefined> {
  return db.get('models', key);
}
