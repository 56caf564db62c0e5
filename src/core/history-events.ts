import type { Interaction, InteractionType } from './interaction';

/** Event types of shop histories (the events CSV), mapped onto LocalRank's interaction types. */
export const HISTORY_TYPES: Readonly<Record<string, InteractionType>> = {
  // A product-page view is the shopper opening the product: what LocalRank logs as a click.
  view: 'click',
  click: 'click',
  cart: 'add-to-cart',
  purchase: 'purchase',
};

/**
 * Turns one shopper's item history (oldest first) into LocalRank interactions, one hour apart from `start`, so
 * that a shop's history (or an evaluation dataset) goes through exactly the code a shopper's own log goes through.
 * Items without a type (e.g. review sequences) are purchases. Unknown types count as clicks.
 */
export function historyEvents(items: readonly string[], types?: readonly string[], start = 1_700_000_000_000): Interaction[] {
  return items.map((productId, i) => ({
    type: types ? (HISTORY_TYPES[types[i] ?? 'view'] ?? 'click') : 'purchase',
    productId,
    time: start + i * 3_600_000,
    context: { page: 'history' },
  }));
}
