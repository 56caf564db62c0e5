import type { InteractionType } from './interaction';
import type { Explanation } from './ranker';

/** The widget types that have a heading and an empty text (see `WIDGET_TYPES` in the widget layer). */
type WidgetKey = 'for-you' | 'recently-viewed' | 'similar' | 'trending';

/**
 * Every string LocalRank shows to shoppers, in groups. A shop overrides any subset through
 * `LocalRankConfig.strings` (see {@link LocalRankStringsOverride}); the rest stays English. `{name}` placeholders
 * are replaced at display time: `{index}`/`{count}` in `carousel.slide`, `{subject}` (a product, brand or category
 * name) in `explanations`, `{count}`/`{date}` in `dataPanel.modelTrained`.
 */
export interface LocalRankStrings {
  /** Carousel headings per widget type (a mount point's `data-title` wins over them). */
  readonly headings: Readonly<Record<WidgetKey, string>>;
  /** Text of an empty carousel per widget type. */
  readonly empty: Readonly<Record<WidgetKey, string>>;
  readonly carousel: {
    /** Accessible name of the previous button. */
    readonly previous: string;
    /** Accessible name of the next button. */
    readonly next: string;
    /** Accessible label of a slide: `{index} of {count}`. */
    readonly slide: string;
    /** The "Why this?" affordance. */
    readonly why: string;
    /** Announced while loading (the skeleton is visual). */
    readonly loading: string;
  };
  /** The "Your data" panel. */
  readonly dataPanel: {
    readonly open: string;
    readonly title: string;
    readonly intro: string;
    readonly storedHeading: string;
    readonly nothingStored: string;
    readonly recentHeading: string;
    readonly personalise: string;
    readonly clear: string;
    readonly cleared: string;
    readonly close: string;
    readonly noticePending: string;
    readonly noticeDenied: string;
    readonly noticeGpc: string;
    readonly noticePaused: string;
    /** `{count}` engaged products, `{date}` the training date (formatted for the page locale). */
    readonly modelTrained: string;
    readonly modelBase: string;
    readonly modelNone: string;
  };
  /** Names of the stored event counts in the "Your data" panel, in its order. */
  readonly events: Readonly<Record<InteractionType, string>>;
  /** "Why this?" texts per explanation kind; `{subject}` is the product, brand or category. */
  readonly explanations: Readonly<Record<Explanation['kind'], string>>;
}

/** A partial override of {@link LocalRankStrings}: any group, any key of it (`LocalRankConfig.strings`). */
export type LocalRankStringsOverride = { readonly [G in keyof LocalRankStrings]?: Partial<LocalRankStrings[G]> };

/** The English strings (the defaults). */
export const DEFAULT_STRINGS: LocalRankStrings = {
  headings: {
    'for-you': 'Recommended for you',
    'recently-viewed': 'Recently viewed',
    similar: 'You may also like',
    trending: 'Trending now',
  },
  empty: {
    'for-you': 'Recommendations will appear here.',
    'recently-viewed': 'Products you view will appear here.',
    similar: 'No similar products right now.',
    trending: 'Nothing trending right now.',
  },
  carousel: {
    previous: 'Previous products',
    next: 'Next products',
    slide: '{index} of {count}',
    why: 'Why this?',
    loading: 'Loading recommendations',
  },
  dataPanel: {
    open: 'Your data',
    title: 'Your data in this shop',
    intro:
      'To order products for you, this shop keeps what you browse here on this device only. Nothing of it is sent to the shop or anyone else.',
    storedHeading: 'Stored on this device',
    nothingStored: 'Nothing is stored.',
    recentHeading: 'Recently',
    personalise: 'Personalise products for me',
    clear: 'Clear my data',
    cleared: 'Your browsing history and the model trained on it were deleted from this device.',
    close: 'Close',
    noticePending: "Personalisation is off until you accept it in this shop's privacy settings. Nothing is recorded.",
    noticeDenied: "Personalisation is off: you declined it in this shop's privacy settings. Nothing is recorded.",
    noticeGpc: 'Personalisation is off because your browser sends Global Privacy Control. Nothing is recorded.',
    noticePaused: 'Paused: nothing new is recorded and products are not ordered for you.',
    modelTrained: 'A ranking model was trained on this device from {count} products you engaged with ({date}).',
    modelBase: "The shop's starting model ranks for you; it has not learned from you yet.",
    modelNone: 'No model has been trained on this device yet; products are ordered by simple rules.',
  },
  events: {
    click: 'Products opened',
    dwell: 'Product pages read',
    'add-to-cart': 'Added to cart',
    purchase: 'Purchases',
    search: 'Searches',
    impression: 'Products seen in lists',
  },
  explanations: {
    viewed: 'Because you viewed {subject}',
    brand: 'Because you like {subject}',
    search: 'Matches what you searched for',
    'popular-in': 'Popular in {subject}',
    similar: 'Similar to {subject}',
    recent: 'You viewed this recently',
    trending: 'Popular in {subject} right now',
    popular: 'Popular in this shop',
  },
};

/** Replaces `{name}` placeholders in `template` with `values[name]` (unknown placeholders are left as they are). */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
