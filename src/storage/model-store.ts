import type { IDBPDatabase } from 'idb';
import { checkModelRecord } from './check-model-record';
import type { ModelRecord } from './model-record';
import { CURRENT_MODEL } from './model-record';
import type { LocalRankSchema } from './schema';

/** Writes the model record (weights and metadata together) in one transaction. */
export async function saveModelRecord(db: IDBPDatabase<LocalRankSchema>, record: ModelRecord): Promise<void> {
  const tx = db.transaction('models', 'readwrite');
  void tx.store.put(record);
  await tx.done;
}

/**
 * Reads the current model record, or `undefined` when there is none.
 * @throws when the stored record is damaged (see {@link checkModelRecord}): callers report `LR_MODEL_LOAD` and
 * train a new model, which replaces it
 */
export async function loadModelRecord(db: IDBPDatabase<LocalRankSchema>, key: string = CURRENT_MODEL): Promise<ModelRecord | undefined> {
  const record: unknown = await db.get('models', key);
  if (record === undefined) return undefined;
  const problem = checkModelRecord(record);
  if (problem) throw new Error(`the stored model record is damaged: ${problem}`);
  return record as ModelRecord;
}
