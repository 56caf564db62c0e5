/** Widget types a host element can ask for with `data-localrank-widget`. */
export const WIDGET_TYPES = ['for-you', 'recently-viewed', 'similar', 'trending'] as const;

/** One of {@link WIDGET_TYPES}. */
export type WidgetType = (typeof WIDGET_TYPES)[number];

/** Type guard for {@link WidgetType}. */
export function isWidgetType(value: unknown): value is WidgetType {
  return typeof value === 'string' && (WIDGET_TYPES as readonly string[]).includes(value);
}
