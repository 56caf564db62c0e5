import { InputError } from './load-sequences';

const INTEGER = /^\d+$/;
// User ids are integers; numeric collation keeps the source file's user order.
const byId = new Intl.Collator('en', { numeric: true }).compare;

/**
 * The dataset's official window, 2017-11-25 00:00 to 2017-12-04 00:00 China time (UTC+8), in Unix seconds
 * (start inclusive, end exclusive).
 */
export const TAOBAO_WINDOW = { start: 1_511_539_200, end: 1_512_316_800 } as const;

const EVENT_TYPES: Readonly<Record<string, string>> = {
  pv: 'view',
  // A favourite is an explicit positive signal, but weaker than putting the item in the cart, so it maps to the
  // strongest type below cart.
  fav: 'click',
  cart: 'cart',
  buy: 'purchase',
};

/** Options of {@link convertTaobao}. */
export interface ConvertTaobaoOptions {
  /** Called for each well-formed row that is left out (so far: a timestamp outside {@link TAOBAO_WINDOW}). */
  readonly onSkip?: (line: number, reason: string) => void;
}

/**
 * Converts Alibaba/Taobao `UserBehavior.csv` text (no header; `user_id,item_id,category_id,behavior_type,timestamp`,
 * Unix seconds) into LocalRank's events CSV (`user_id,item_id,timestamp,event_type,category`): pv→view, fav→click,
 * cart→cart, buy→purchase, timestamp in ms, category = category_id. Rows come out grouped by user (numeric order), each
 * user sorted by time (ties keep file order), because the source rows are not in time order.
 *
 * Rows outside {@link TAOBAO_WINDOW} are dropped and reported to `options.onSkip`: the source documents such rows
 * (e.g. one at 2017-09-11) as known bad clocks, and kept they would open that user's sequence months early.
 *
 * @param text the file's contents (CRLF line ends are accepted)
 * @param file the file name, used only in error messages
 * @throws {InputError} on a malformed row (naming its 1-based line) or when no row is left
 */
export function convertTaobao(text: string, file: string, options: ConvertTaobaoOptions = {}): string {
  const users = new Map<string, Array<{ item: string; category: string; type: string; t: number; line: number }>>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const n = i + 1;
    const f = line.split(',');
    if (f.length !== 5) throw new InputError(file, n, `5 fields user_id,item_id,category_id,behavior_type,timestamp (no header), got ${f.length}`);
    const [user, item, category, behavior, seconds] = f as [string, string, string, string, string];
    if (!INTEGER.test(user)) throw new InputError(file, n, `an integer user_id, got "${user}"`);
    if (!INTEGER.test(item)) throw new InputError(file, n, `an integer item_id, got "${item}"`);
    if (!INTEGER.test(category)) throw new InputError(file, n, `an integer category_id, got "${category}"`);
    const type = EVENT_TYPES[behavior];
    if (!type) throw new InputError(file, n, `behavior_type in pv|cart|fav|buy, got "${behavior}"`);
    if (!INTEGER.test(seconds)) throw new InputError(file, n, `a timestamp in integer Unix seconds, got "${seconds}"`);
    const t = Number(seconds);
    if (t < TAOBAO_WINDOW.start || t >= TAOBAO_WINDOW.end) {
      options.onSkip?.(n, `timestamp ${seconds} (${new Date(t * 1000).toISOString()}) outside 2017-11-25..2017-12-03 (UTC+8)`);
      return;
    }
    const list = users.get(user) ?? [];
    list.push({ item, category, type, t, line: n });
    users.set(user, list);
  });
  if (users.size === 0) throw new InputError(file, 1, 'at least one row inside 2017-11-25..2017-12-03 (UTC+8)');
  const out = ['user_id,item_id,timestamp,event_type,category'];
  for (const user of [...users.keys()].sort(byId)) {
    for (const r of users.get(user)!.sort((a, b) => a.t - b.t || a.line - b.line)) {
      out.push(`${user},${r.item},${r.t * 1000},${r.type},${r.category}`);
    }
  }
  return out.join('\n') + '\n';
}
