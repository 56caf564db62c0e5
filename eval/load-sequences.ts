import { readFileSync } from 'node:fs';

/** Interaction sequences by user, oldest first, plus optional item attributes. */
export interface SequenceData {
  /** User id → item ids in time order. */
  readonly sequences: ReadonlyMap<string, readonly string[]>;
  /** Item id → attribute ids (e.g. S3-Rec's brand/category ids), when given. */
  readonly attributes: ReadonlyMap<string, readonly string[]>;
  /** Item id → category (events CSV with a category column), when given. */
  readonly categories: ReadonlyMap<string, string>;
}

/** A malformed input line: which file, which line, what was expected. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly expected: string,
  ) {
    super(`${file}:${line}: expected ${expected}`);
    this.name = 'InputError';
  }
}

/**
 * Reads S3-Rec's format: one user per line, `user item item …` in time order (space-separated), and an optional
 * JSON object `{ "item": [attribute ids] }`. Throws {@link InputError} naming the file and line.
 */
export function loadS3Rec(file: string, attributesFile?: string): SequenceData {
  const sequences = new Map<string, string[]>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const parts = line.split(/\s+/);
      if (parts.length < 2) throw new InputError(file, i + 1, '"user item [item …]" (a user id and at least one item id)');
      if (sequences.has(parts[0]!)) throw new InputError(file, i + 1, `each user once (user ${parts[0]} repeats)`);
      sequences.set(parts[0]!, parts.slice(1));
    });
  if (sequences.size === 0) throw new InputError(file, 1, 'at least one "user item …" line');
  const attributes = attributesFile ? loadAttributes(attributesFile) : new Map<string, string[]>();
  return { sequences, attributes, categories: new Map() };
}

/** Reads `{ "item": [attribute ids] }` JSON (S3-Rec's attribute file). Throws {@link InputError} naming the file. */
export function loadAttributes(attributesFile: string): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(attributesFile, 'utf8'));
  } catch (error) {
    throw new InputError(attributesFile, 1, `a JSON object { "item": [attribute ids] } (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(attributesFile, 1, 'a JSON object { "item": [attribute ids] }');
  for (const [item, attrs] of Object.entries(json)) {
    if (!Array.isArray(attrs)) throw new InputError(attributesFile, 1, `an array of attribute ids for item ${item}`);
    attributes.set(item, attrs.map(String));
  }
  return attributes;
}

/** Event types of the events CSV, mapped onto LocalRank's interaction types by the evaluator. */
export const CSV_EVENT_TYPES = ['view', 'click', 'cart', 'purchase'] as const;

/**
 * Reads the events CSV: header `user_id,item_id,timestamp[,event_type][,category]`, `event_type` in
 * view|click|cart|purchase (default view). Sequences are sorted by timestamp (stable for ties).
 * Throws {@link InputError} naming the file and line.
 */
export function loadEventsCsv(file: string): SequenceData & { readonly types: ReadonlyMap<string, readonly string[]> } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines[0]?.trim().split(',') ?? [];
  const col = (name: string): number => header.indexOf(name);
  if (col('user_id') !== 0 || col('item_id') !== 1 || col('timestamp') !== 2) {
    throw new InputError(file, 1, 'the header "user_id,item_id,timestamp[,event_type][,category]"');
  }
  const typeCol = col('event_type');
  const catCol = col('category');
  const rows = new Map<string, Array<{ item: string; t: number; type: string; order: number }>>();
  const categories = new Map<string, string>();
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const f = line.split(',');
    const n = i + 2;
    if (f.length < 3 || !f[0] || !f[1]) throw new InputError(file, n, 'user_id,item_id,timestamp with non-empty ids');
    const t = Number(f[2]);
    if (!Number.isFinite(t)) throw new InputError(file, n, `a numeric timestamp, got "${f[2]}"`);
    const type = typeCol >= 0 && f[typeCol] ? f[typeCol]! : 'view';
    if (!(CSV_EVENT_TYPES as readonly string[]).includes(type)) throw new InputError(file, n, `event_type in ${CSV_EVENT_TYPES.join('|')}, got "${type}"`);
    if (catCol >= 0 && f[catCol]) categories.set(f[1]!, f[catCol]!);
    const list = rows.get(f[0]!) ?? [];
    list.push({ item: f[1]!, t, type, order: n });
    rows.set(f[0]!, list);
  });
  if (rows.size === 0) throw new InputError(file, 2, 'at least one event row');
  const sequences = new Map<string, string[]>();
  const types = new Map<string, string[]>();
  for (const [user, list] of rows) {
    list.sort((a, b) => a.t - b.t || a.order - b.order);
    sequences.set(user, list.map((r) => r.item));
    types.set(user, list.map((r) => r.type));
  }
  return { sequences, attributes: new Map(), categories, types };
}
