import type { DataPanelProps } from './data-panel-props';

/** One card of a carousel, already formatted for display (the UI does no lookups). */
export interface CarouselItem {
  /** Product id; rendered as `data-product-id` on the card. */
  readonly id: string;
  readonly title: string;
  /** Price already formatted with `Intl.NumberFormat`, or `undefined` to show none. */
  readonly price: string | undefined;
  /** Safe image URL (http(s) or relative) or `undefined` for a placeholder. */
  readonly image: string | undefined;
  /** Safe link URL (http(s) or relative) or `undefined` for a card without link. */
  readonly href: string | undefined;
  /** Short explanation shown behind the card's "Why this?" affordance, e.g. "Because you viewed Rose Serum". */
  readonly reason: string | undefined;
}

/** Strings the carousel shows; every one is configurable by the shop (i18n). */
export interface CarouselLabels {
  /** Accessible name of the previous button, e.g. "Previous products". */
  readonly previous: string;
  /** Accessible name of the next button, e.g. "Next products". */
  readonly next: string;
  /** Slide label, e.g. `(3, 12) => "3 of 12"`. */
  readonly slide: (index: number, count: number) => string;
  /** Text of the "Why this?" affordance. */
  readonly why: string;
  /** Text shown while loading (visually hidden; the skeleton is visual). */
  readonly loading: string;
}

/** Props of the `Carousel` component. */
export interface CarouselProps {
  /** Widget type, e.g. "for-you"; used in `data-testid` and class names. */
  readonly widgetType: string;
  /** Visible heading and accessible name of the carousel region. */
  readonly heading: string;
  readonly items: readonly CarouselItem[];
  /**
   * How many cards the carousel holds once complete, for the slide labels ("3 of 12") and keyboard moves; default
   * `items.length`. A rendering built a few cards at a time passes its final count, so the cards already built
   * stay as they are and are not rendered again at each step.
   */
  readonly count?: number;
  /** `loading` shows skeleton cards of the final size; `empty` shows `emptyText`. */
  readonly state: 'loading' | 'ready' | 'empty';
  readonly emptyText: string;
  readonly labels: CarouselLabels;
  /** When true, scrolling is instant instead of smooth (prefers-reduced-motion). */
  readonly reducedMotion: boolean;
  /** Called when the shopper activates a card's link (click or Enter). */
  readonly onItemSelect?: (id: string, index: number) => void;
  /**
   * Called once per mounted card element so the caller can observe its visibility (impressions).
   * Returns a cleanup function called when the card unmounts.
   */
  readonly observeItem?: (element: Element, id: string, index: number) => () => void;
  /** When given, the header has a "Your data" button opening the shopper's data panel. */
  readonly dataPanel?: DataPanelProps;
}
