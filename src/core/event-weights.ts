import type { Interaction, InteractionType } from './interaction';

/**
 * How much one interaction says about the shopper's interest, before time decay.
 * Order (the contract): purchase > add-to-cart > click > dwell > impression-without-click (negative).
 * `search` carries no product; its query feeds token affinity instead.
 */
export const EVENT_WEIGHTS: Readonly<Record<InteractionType, number>> = {
  purchase: 8,
  'add-to-cart': 5,
  click: 3,
  dwell: 1,
  impression: -0.15,
  search: 0,
};

/** Dwell is worth between 1× and 2× its base weight, growing with visible time up to one minute. */
export function interactionWeight(event: Pick<Interaction, 'type' | 'dwellMs'>): number {
  const base = EVENT_WEIGHTS[event.type];
  if (event.type !== 'dwell') return base;
  return base * (1 + Math.min(event.dwellMs ?? 0, 60_000) / 60_000);
}

/** Exponential time decay: 1 now, 0.5 after one half-life. Future timestamps count as now. */
export function decay(ageMs: number, halfLifeMs: number): number {
  return ageMs <= 0 ? 1 : Math.pow(2, -ageMs / halfLifeMs);
}
