import type { Counter } from './counter';
import type { Interaction, InteractionType } from './interaction';
import { INTERACTION_TYPES } from './interaction';

/** What LocalRank holds about the shopper on this device, for the "Manage my data" panel. */
export interface DataSummary {
  /** Events by type: the log plus events already compacted into product counters. */
  readonly counts: Readonly<Record<InteractionType, number>>;
  /** Total of `counts`. */
  readonly total: number;
  /** Most recently engaged products (click, add-to-cart, purchase, dwell), newest first, distinct. */
  readonly recent: readonly { readonly id: string; readonly title: string; readonly time: number }[];
  /** Epoch ms of the oldest event still in the log, if any. */
  readonly since: number | undefined;
}

const ENGAGED: ReadonlySet<InteractionType> = new Set(['click', 'add-to-cart', 'purchase', 'dwell']);

/**
 * Summarises the stored history (pure). Product counters (`p:`) carry the counts of compacted events; category
 * counters (`c:`) count the same events again and are left out. Recent items are named from `titleOf`, falling back
 * to the product id for products no longer in the catalog.
 * @param limit how many recent products to list (default 5)
 */
export function summariseData(
  events: readonly Interaction[],
  counters: readonly Counter[],
  titleOf: (id: string) => string | undefined,
  limit = 5,
): DataSummary {
  const counts = {} as Record<InteractionType, number>;
  for (const type of INTERACTION_TYPES) counts[type] = 0;
  for (const c of counters) {
    if (c.kind !== 'product') continue;
    for (const type of INTERACTION_TYPES) counts[type] += c.counts[type] ?? 0;
  }
  let since: number | undefined;
  for (const e of events) {
    if (e.type in counts) counts[e.type] += 1;
    if (since === undefined || e.time < since) since = e.time;
  }
  const recent: { id: string; title: string; time: number }[] = [];
  const seen = new Set<string>();
  const ordered = events.filter((e) => e.productId !== undefined && ENGAGED.has(e.type)).sort((a, b) => b.time - a.time);
  for (const e of ordered) {
    const id = e.productId!;
    if (seen.has(id)) continue;
    seen.add(id);
    recent.push({ id, title: titleOf(id) ?? id, time: e.time });
    if (recent.length >= limit) break;
  }
  const total = INTERACTION_TYPES.reduce((n, t) => n + counts[t], 0);
  return { counts, total, recent, since };
}
