import { InputError } from './load-sequences';

const HEADER = 'session_id;user_id;item_id;timeframe;eventdate';
const INTEGER = /^\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Session ids are integers; numeric collation keeps session 10 after session 9, as in the source file.
const byId = new Intl.Collator('en', { numeric: true }).compare;

interface View {
  readonly item: string;
  readonly date: string;
  readonly timeframe: number;
  readonly line: number;
}

/**
 * Converts DIGINETICA `train-item-views.csv` text (`;`-separated, header `session_id;user_id;item_id;timeframe;eventdate`)
 * into LocalRank's events CSV (`user_id,item_id,timestamp,event_type,category`), one `view` per row, user_id = session
 * id, timestamp = midnight UTC of `eventdate` + `timeframe` (ms). Rows come out grouped by session (numeric order),
 * each session sorted by (eventdate, timeframe) because the source rows are not in time order.
 *
 * @param text the file's contents (a missing final newline and CRLF line ends are accepted)
 * @param file the file name, used only in error messages
 * @throws {InputError} on a wrong header, a malformed row (naming its 1-based line) or no data rows
 */
export function convertDiginetica(text: string, file: string): string {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== HEADER) throw new InputError(file, 1, `the header "${HEADER}"`);
  const sessions = new Map<string, View[]>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (i === 0 || !line) return;
    const n = i + 1;
    const f = line.split(';');
    if (f.length !== 5) throw new InputError(file, n, `5 ";"-separated fields (${HEADER}), got ${f.length}`);
    const [session, , item, timeframe, date] = f as [string, string, string, string, string];
    if (!INTEGER.test(session)) throw new InputError(file, n, `an integer session_id, got "${session}"`);
    if (!INTEGER.test(item)) throw new InputError(file, n, `an integer item_id, got "${item}"`);
    if (!INTEGER.test(timeframe)) throw new InputError(file, n, `a non-negative integer timeframe (ms), got "${timeframe}"`);
    // Date.parse rolls some impossible dates (e.g. 2016-02-30) into the next month, so require a round trip.
    const day = DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
    if (!Number.isFinite(day) || new Date(day).toISOString().slice(0, 10) !== date) {
      throw new InputError(file, n, `an eventdate YYYY-MM-DD, got "${date}"`);
    }
    const list = sessions.get(session) ?? [];
    list.push({ item, date, timeframe: Number(timeframe), line: n });
    sessions.set(session, list);
  });
  if (sessions.size === 0) throw new InputError(file, 2, 'at least one data row');
  const out = ['user_id,item_id,timestamp,event_type,category'];
  for (const session of [...sessions.keys()].sort(byId)) {
    // Sort on (eventdate, timeframe) as the dataset's own preprocessing does; the emitted timestamps follow the same
    // order while timeframe < 1 day (the sample's maximum is about 20 minutes). Ties keep file order.
    const views = sessions.get(session)!.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.timeframe - b.timeframe || a.line - b.line));
    for (const v of views) out.push(`${session},${v.item},${Date.parse(`${v.date}T00:00:00Z`) + v.timeframe},view,`);
  }
  return out.join('\n') + '\n';
}
