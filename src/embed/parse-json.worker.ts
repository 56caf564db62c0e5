/**
 * Parses a JSON catalog off the main thread: `JSON.parse` of a large catalog was one long main-thread task (50,000
 * products: 241–260 ms at 4× CPU throttling in the benchmark's scaling section). Says `{ ready }` once it runs, then
 * receives the response's bytes (transferred) and answers with the rows in parts (`{ rows }` messages of {@link ROWS_PER_MESSAGE}), each read in a task of its own
 * on the main thread, then `{ done, head }`; or `{ error }` with `JSON.parse`'s message.
 */
import { catalogRows } from '../core/catalog-rows';

/** Rows per message: a message's rows are copied into the page in one task (a few ms at 4× throttling). */
const ROWS_PER_MESSAGE = 250;

addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(event.data));
  } catch (error) {
    postMessage({ error: error instanceof Error ? error.message : String(error) });
    return;
  }
  const { rows, head } = catalogRows(value);
  if (!rows) {
    postMessage({ done: true, whole: value });
    return;
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) postMessage({ rows: rows.slice(i, i + ROWS_PER_MESSAGE) });
  postMessage({ done: true, head });
});
postMessage({ ready: true });
