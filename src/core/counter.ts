import type { Interaction, InteractionType } from './interaction';
import { INTERACTION_TYPES } from './interaction';
import { decay, interactionWeight } from './event-weights';

/**
 * A compacted summary of old events for one product (`p:<id>`) or one category (`c:<name>`), so that capping
 * the event log never silently forgets what the shopper did.
 */
export interface Counter {
  /** `p:<productId>` or `c:<category>`. */
  readonly key: string;
  readonly kind: 'product' | 'category';
  /** Product id or category name. */
  readonly name: string;
  /** Raw event counts by type. */
  readonly counts: Readonly<Record<InteractionType, number>>;
  /** Σ weight × decay of the folded events, evaluated at `refTime`. */
  readonly score: number;
  /** Epoch ms at which `score` was evaluated. */
  readonly refTime: number;
  /** Time of the newest folded event. */
  readonly lastTime: number;
}

function emptyCounts(): Record<InteractionType, number> {
  const counts = {} as Record<InteractionType, number>;
  for (const type of INTERACTION_TYPES) counts[type] = 0;
  return counts;
}

/**
 * Folds events into counters (pure). Returns the counters that changed, keyed by `Counter.key`.
 * Impressions of a product that also has a positive event in the same batch are not counted against it.
 * @param existing counters already stored, by key
 * @param events events to fold (typically the oldest ones of the log)
 * @param categoryOf category of a product id, or undefined when the product is unknown
 * @param halfLifeMs decay half-life
 * @param now evaluation time for the decayed score
 */
export function foldEvents(
  existing: ReadonlyMap<string, Counter>,
  events: readonly Interaction[],
  categoryOf: (productId: string) => string | undefined,
  halfLifeMs: number,
  now: number,
): Map<string, Counter> {
  const positive = new Set<string>();
  for (const e of events) if (e.productId && e.type !== 'impression') positive.add(e.productId);
  const changed = new Map<string, Counter>();
  const bump = (kind: Counter['kind'], name: string, e: Interaction, weight: number): void => {
    const key = `${kind === 'product' ? 'p' : 'c'}:${name}`;
    const prev = changed.get(key) ?? existing.get(key);
    const counts = prev ? { ...prev.counts } : emptyCounts();
    counts[e.type] += 1;
    const prevScore = prev ? prev.score * decay(now - prev.refTime, halfLifeMs) : 0;
    changed.set(key, {
      key,
      kind,
      name,
      counts,
      score: prevScore + weight * decay(now - e.time, halfLifeMs),
      refTime: now,
      lastTime: Math.max(prev?.lastTime ?? 0, e.time),
    });
  };
  for (const e of events) {
    if (!e.productId) continue;
    const weight = e.type === 'impression' && positive.has(e.productId) ? 0 : interactionWeight(e);
    bump('product', e.productId, e, weight);
    const category = categoryOf(e.productId);
    if (category) bump('category', category, e, weight);
  }
  return changed;
}
