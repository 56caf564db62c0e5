/** Kinds of shopper interaction LocalRank logs. */
export type InteractionType = 'impression' | 'click' | 'add-to-cart' | 'purchase' | 'dwell' | 'search';

/** Every interaction type, in a stable order (used for validation and counters). */
export const INTERACTION_TYPES: readonly InteractionType[] = [
  'impression',
  'click',
  'add-to-cart',
  'purchase',
  'dwell',
  'search',
];

/** Where an interaction happened. All fields optional except `page`. */
export interface InteractionContext {
  /** Page type from `data-localrank-page` on `<body>`/`<html>` or the `pageType` config (e.g. `home`, `product`). */
  readonly page: string;
  /** Name of the list the product was in (`data-localrank-list`), or the widget type for LocalRank's own carousels. */
  readonly list?: string;
  /** 0-based position of the product in that list. */
  readonly position?: number;
  /** Search query in force (search events, and clicks on a search results page). */
  readonly query?: string;
  /** LocalRank widget type when the interaction happened inside a LocalRank carousel. */
  readonly widget?: string;
}

/** One logged interaction, as stored in IndexedDB (the `id` is assigned by the store). */
export interface Interaction {
  /** Auto-increment key; absent before the event is stored. */
  readonly id?: number;
  readonly type: InteractionType;
  /** Product id; absent only for `search`. */
  readonly productId?: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly context: InteractionContext;
  /** Visible milliseconds, for `dwell` events. */
  readonly dwellMs?: number;
  /**
   * Unique id given by the event log when the event is queued (`<page id>.<n>`). A unique index on it makes every
   * write idempotent, so an event saved twice (once by its page, once from the exit journal) is stored once.
   */
  readonly uid?: string;
}

/** What a caller passes to `LocalRank.track()`; missing `time`/`context` are filled in. */
export interface TrackInput {
  readonly type: InteractionType;
  readonly productId?: string;
  readonly time?: number;
  readonly context?: Partial<InteractionContext>;
  readonly dwellMs?: number;
}

/** Result of validating a `TrackInput`. */
export type TrackValidation = { ok: true; event: Interaction } | { ok: false; reason: string };

const MAX_ID = 200;
const MAX_QUERY = 200;

/**
 * Checks and normalises a tracked interaction (pure; never throws).
 * @param input what the host passed to `track()` or what capture built
 * @param now epoch ms used when `input.time` is absent
 * @param page page type used when `input.context.page` is absent
 */
export function validateInteraction(input: unknown, now: number, page: string): TrackValidation {
  if (typeof input !== 'object' || input === null) return { ok: false, reason: 'event must be an object' };
  const raw = input as Record<string, unknown>;
  const type = raw.type;
  if (typeof type !== 'string' || !(INTERACTION_TYPES as readonly string[]).includes(type)) {
    return { ok: false, reason: `type must be one of ${INTERACTION_TYPES.join(', ')}` };
  }
  let productId: string | undefined;
  if (raw.productId !== undefined && raw.productId !== null) {
    if (typeof raw.productId !== 'string' && typeof raw.productId !== 'number') {
      return { ok: false, reason: 'productId must be a string' };
    }
    productId = String(raw.productId).slice(0, MAX_ID);
  }
  if (type !== 'search' && !productId) return { ok: false, reason: `a ${type} event needs a productId` };
  const time = typeof raw.time === 'number' && Number.isFinite(raw.time) ? raw.time : now;
  const ctxIn = (typeof raw.context === 'object' && raw.context !== null ? raw.context : {}) as Record<string, unknown>;
  const context: { -readonly [K in keyof InteractionContext]: InteractionContext[K] } = {
    page: typeof ctxIn.page === 'string' && ctxIn.page ? ctxIn.page.slice(0, 40) : page,
  };
  if (typeof ctxIn.list === 'string' && ctxIn.list) context.list = ctxIn.list.slice(0, 80);
  if (typeof ctxIn.position === 'number' && Number.isInteger(ctxIn.position) && ctxIn.position >= 0) {
    context.position = ctxIn.position;
  }
  if (typeof ctxIn.query === 'string' && ctxIn.query.trim()) context.query = ctxIn.query.trim().slice(0, MAX_QUERY);
  if (typeof ctxIn.widget === 'string' && ctxIn.widget) context.widget = ctxIn.widget.slice(0, 40);
  if (type === 'search' && !context.query) return { ok: false, reason: 'a search event needs context.query' };
  const event: { -readonly [K in keyof Interaction]: Interaction[K] } = { type: type as InteractionType, time, context };
  if (productId) event.productId = productId;
  if (type === 'dwell') {
    const ms = raw.dwellMs;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return { ok: false, reason: 'a dwell event needs dwellMs ≥ 0' };
    event.dwellMs = Math.round(ms);
  }
  return { ok: true, event };
}
