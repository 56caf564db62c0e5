import type { VNode } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CarouselItem, CarouselLabels, CarouselProps } from './carousel-props';
import { DataPanel } from './data-panel';
import { nextIndex } from './next-index';

/** Number of placeholder cards while loading; enough to fill a wide row, the rest is clipped. */
const SKELETONS = [0, 1, 2, 3, 4, 5];

/** `1` left-to-right, `-1` right-to-left (where `scrollLeft` runs negative and the arrow keys swap). */
const direction = (el: Element): 1 | -1 => (getComputedStyle(el).direction === 'rtl' ? -1 : 1);

/**
 * Product carousel following the WAI-ARIA APG carousel pattern: a labelled `<section>` with an `<h2>`, Previous /
 * Next buttons that scroll the track by one visible page (disabled at the start / end), and a scroll-snapping list
 * of slides. Each slide has one link (ArrowLeft / ArrowRight move focus between slides, Home / End jump to the
 * first / last) and, when the item has a `reason`, a "Why this?" toggle.
 *
 * Takes only props: no storage, no fetching. Style it with {@link carouselStyles} inside a shadow root. Its height
 * is fixed by CSS and identical in the `loading`, `ready` and `empty` states, so the host page never shifts.
 *
 * `onItemSelect` fires on the click of a card's link (cards without `href` have a focusable, non-navigating
 * element instead and do not fire it). `observeItem` runs once for each mounted card, and again (after its
 * cleanup) only when that card's index changes; a new `observeItem` function on a re-render does not re-observe
 * cards that are already mounted (the latest function is used for the next ones).
 */
export function Carousel(props: CarouselProps) {
  const { widgetType, heading, items, state, labels } = props;
  const count = props.count ?? items.length;
  const id = 'lr' + useId();
  const trackRef = useRef<HTMLUListElement>(null);
  const setEdges = useRef<((edges: number) => void) | undefined>(undefined);
  const behavior: ScrollBehavior = props.reducedMotion ? 'auto' : 'smooth';
  const ready = state === 'ready';

  const measure = () => {
    const track = trackRef.current;
    if (!track) return;
    // Sub-pixel layouts can stop a pixel short of the end.
    const x = Math.abs(track.scrollLeft);
    setEdges.current?.((x < 2 ? 1 : 0) | (x + track.clientWidth > track.scrollWidth - 2 ? 2 : 0));
  };

  useLayoutEffect(() => {
    // No measure() here: reading scroll sizes right after the render forces a synchronous layout of the whole host
    // page. A ResizeObserver reports every newly observed element once, after layout and before paint.
    const track = trackRef.current;
    if (!track) return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(track);
    return () => observer.disconnect();
  }, [items, state]);

  const page = (step: 1 | -1) => {
    const track = trackRef.current;
    if (track) track.scrollBy({ left: step * direction(track) * track.clientWidth, behavior });
  };

  const onKey = (event: KeyboardEvent, index: number) => {
    const track = trackRef.current;
    if (!track || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = nextIndex(event.key, index, count, direction(track) < 0);
    if (target === undefined) return;
    event.preventDefault();
    const link = track.children[target]?.firstElementChild as HTMLElement | null | undefined;
    // Focus without the browser's instant jump, then scroll with the requested behaviour.
    link?.focus({ preventScroll: true });
    link?.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior });
  };

  // The cards keep handlers that call the latest props (see `built`).
  const latest = useRef({ props, onKey });
  latest.current = { props, onKey };
  const [handlers] = useState(() => ({
    onKey: (event: KeyboardEvent, index: number) => latest.current.onKey(event, index),
    onItemSelect: (itemId: string, index: number) => latest.current.props.onItemSelect?.(itemId, index),
    observeItem: (element: Element, itemId: string, index: number) => latest.current.props.observeItem?.(element, itemId, index) ?? (() => {}),
  }));
  // Each card's element of the last render, reused while its item (the same object), place and count stay: Preact
  // does not render an element it rendered before again. A rendering built a few cards per step (see `count`)
  // re-rendered every earlier card at each step (the slide labels changed with the count, the handlers every time).
  const built = useRef(new Map<string, VNode<CardProps>>());
  const cards = (): VNode<CardProps>[] => {
    const next = new Map<string, VNode<CardProps>>();
    const out = items.map((item, index) => {
      const kept = built.current.get(item.id);
      const card =
        kept && kept.props.item === item && kept.props.index === index && kept.props.count === count && kept.props.labels === labels
          ? kept
          : <Card key={item.id} item={item} index={index} count={count} labels={labels} reasonId={`${id}-r${index}`} {...handlers} />;
      next.set(item.id, card);
      return card;
    });
    built.current = next;
    return out;
  };

  const trackId = id + '-t';
  const controls = state === 'empty' ? undefined : trackId;
  return (
    <section
      class={`lr-Carousel lr-Carousel--${state} lr-Carousel--${widgetType}`}
      aria-roledescription="carousel"
      aria-labelledby={id + '-h'}
      aria-busy={state === 'loading' || undefined}
      data-testid={'lr-carousel-' + widgetType}
      data-state={state}
    >
      <div class="lr-Carousel-header">
        <h2 id={id + '-h'} class="lr-Carousel-heading" data-testid="lr-heading">
          {heading}
        </h2>
        {props.dataPanel && <DataPanel {...props.dataPanel} />}
        <Nav labels={labels} controls={controls} ready={ready} page={page} report={setEdges} />
      </div>
      {state === 'empty' ? (
        <p class="lr-Carousel-empty" data-testid="lr-empty">
          {props.emptyText}
        </p>
      ) : (
        <ul id={trackId} ref={trackRef} class="lr-Carousel-track" role="list" onScroll={measure} data-testid="lr-track">
          {ready
            ? cards()
            : SKELETONS.map((n) => (
                <li key={n} class="lr-Carousel-item lr-Carousel-item--skeleton" aria-hidden="true" data-testid="lr-skeleton">
                  <span class="lr-Carousel-media" />
                  <span class="lr-Carousel-bar" />
                  <span class="lr-Carousel-bar" />
                </li>
              ))}
        </ul>
      )}
      {state === 'loading' && (
        <p class="lr-visually-hidden" role="status">
          {labels.loading}
        </p>
      )}
    </section>
  );
}

interface NavProps {
  readonly labels: CarouselLabels;
  readonly controls: string | undefined;
  readonly ready: boolean;
  readonly page: (step: 1 | -1) => void;
  /** Receives the setter of the track's edges (bit 1: at the start, bit 2: at the end). */
  readonly report: { current?: (edges: number) => void };
}

/**
 * The Previous / Next buttons. They own the track's edges: a scroll or the first layout that changes them re-renders
 * these two buttons, not the carousel (re-rendering its dozen cards from the track's ResizeObserver callback was
 * 5–25 ms at 4× CPU throttling while the worker trained, in the frame that shows a new ranking).
 */
function Nav({ labels, controls, ready, page, report }: NavProps) {
  const [edges, setEdges] = useState(3);
  report.current = setEdges;
  return (
    <>
      <button
        type="button"
        class="lr-Carousel-nav"
        aria-label={labels.previous}
        aria-controls={controls}
        disabled={!ready || (edges & 1) > 0}
        onClick={() => page(-1)}
        data-testid="lr-prev"
      >
        ‹
      </button>
      <button
        type="button"
        class="lr-Carousel-nav"
        aria-label={labels.next}
        aria-controls={controls}
        disabled={!ready || (edges & 2) > 0}
        onClick={() => page(1)}
        data-testid="lr-next"
      >
        ›
      </button>
    </>
  );
}

interface CardProps {
  readonly item: CarouselItem;
  readonly index: number;
  readonly count: number;
  readonly labels: CarouselLabels;
  readonly reasonId: string;
  readonly onKey: (event: KeyboardEvent, index: number) => void;
  readonly onItemSelect: CarouselProps['onItemSelect'];
  readonly observeItem: CarouselProps['observeItem'];
}

/** One slide; owns the open state of its "Why this?" text and its visibility observation. */
function Card({ item, index, count, labels, reasonId, onKey, onItemSelect, observeItem }: CardProps) {
  const ref = useRef<HTMLLIElement>(null);
  const [open, setOpen] = useState(false);
  const { id, href } = item;
  // Read through a ref: callers pass a new arrow function on every render, and re-observing each time would
  // re-fire the observer's initial callback (a duplicate impression).
  const observe = useRef(observeItem);
  observe.current = observeItem;

  useEffect(() => {
    const element = ref.current;
    return element && observe.current ? observe.current(element, id, index) : undefined;
  }, [id, index]);

  return (
    <li
      ref={ref}
      class="lr-Carousel-item"
      role="group"
      aria-roledescription="slide"
      aria-label={labels.slide(index + 1, count)}
      data-product-id={id}
      data-position={index}
      data-testid="lr-card"
    >
      {/* An <a> without href is a focusable placeholder here, so the keyboard model is the same for every card. */}
      <a
        class="lr-Carousel-link"
        href={href}
        tabIndex={href === undefined ? 0 : undefined}
        onClick={href === undefined ? undefined : () => onItemSelect?.(id, index)}
        onKeyDown={(event) => onKey(event, index)}
        data-testid="lr-card-link"
      >
        <span class="lr-Carousel-media">
          {item.image !== undefined && (
            <img src={item.image} alt="" width={176} height={176} loading="lazy" decoding="async" />
          )}
        </span>
        <span class="lr-Carousel-title" data-testid="lr-card-title">
          {item.title}
        </span>
        {item.price !== undefined && (
          <span class="lr-Carousel-price" data-testid="lr-card-price">
            {item.price}
          </span>
        )}
      </a>
      {item.reason !== undefined && (
        <>
          <button
            type="button"
            class="lr-Carousel-why"
            aria-expanded={open}
            aria-controls={reasonId}
            onClick={() => setOpen(!open)}
            data-testid="lr-why"
          >
            {labels.why}
          </button>
          <p id={reasonId} class="lr-Carousel-reason" hidden={!open} data-testid="lr-why-text">
            {item.reason}
          </p>
        </>
      )}
    </li>
  );
}
