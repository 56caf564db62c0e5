/** Widget types a host element can ask for with `data-localrank-widget`. */
export const WIDGET_TYPES = ['for-you', 'recently-viewed', 'similar', 'trending'] as const;

/** One of {@link WIDGET_TYPES}. */
export type WidgetType = (typeof WIDGET_TYPES)[number];

/** Type guard for {@link WidgetType}. */
export function isWidgetType(value: unknown): value is WidgetType {
  return typeof value === 'string' && (WIDGET_TYPES as readonly string[]).includes(value);
}

/** Default carousel headings (a host element's `data-title` overrides them). */
export const DEFAULT_HEADINGS: Readonly<Record<WidgetType, string>> = {
  'for-you': 'Recommended for you',
  'recently-viewed': 'Recently viewed',
  similar: 'You may also like',
  trending: 'Trending now',
};

/** Default empty-state texts. */
export const DEFAULT_EMPTY: Readonly<Record<WidgetType, string>> = {
  'for-you': 'Recommendations will appear here.',
  'recently-viewed': 'Products you view will appear here.',
  similar: 'No similar products right now.',
  trending: 'Nothing trending right now.',
};
