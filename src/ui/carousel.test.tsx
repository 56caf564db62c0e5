// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Carousel } from './carousel';
import type { CarouselItem, CarouselLabels, CarouselProps } from './carousel-props';

const items: CarouselItem[] = Array.from({ length: 12 }, (_, i) => ({
  id: `p${i}`,
  title: `Product ${i}`,
  price: `€${i}.00`,
  image: undefined,
  href: `/p/${i}`,
  reason: i % 2 ? `Because ${i}` : undefined,
}));

/** Labels whose `slide` counts the cards rendered (each card's render calls it once, for its aria-label). */
const countingLabels = (): CarouselLabels & { renders: number } => {
  const labels = {
    previous: 'Previous',
    next: 'Next',
    why: 'Why this?',
    loading: 'Loading',
    renders: 0,
    slide: (index: number, count: number) => {
      labels.renders++;
      return `${index} of ${count}`;
    },
  };
  return labels;
};

let root: HTMLElement;
beforeEach(() => {
  // happy-dom has no ResizeObserver; the carousel only needs one to exist.
  vi.stubGlobal('ResizeObserver', class { observe(): void {} disconnect(): void {} });
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

const props = (labels: CarouselLabels, shown: readonly CarouselItem[], extra: Partial<CarouselProps> = {}): CarouselProps => ({
  widgetType: 'for-you',
  heading: 'For you',
  items: shown,
  state: 'ready',
  emptyText: 'Nothing yet',
  labels,
  reducedMotion: true,
  ...extra,
});

describe('Carousel', () => {
  it('built a few cards at a time with its final count, renders only the new cards at each step', () => {
    const labels = countingLabels();
    render(<Carousel {...props(labels, items.slice(0, 4), { count: 12 })} />, root);
    expect(labels.renders).toBe(4);
    const first = root.querySelector('[data-testid="lr-card"]');
    render(<Carousel {...props(labels, items.slice(0, 8), { count: 12 })} />, root);
    expect(labels.renders).toBe(8);
    render(<Carousel {...props(labels, items, { count: 12 })} />, root);
    expect(labels.renders).toBe(12);
    // The earlier cards are the same elements, labelled for the final count from the start.
    expect(root.querySelector('[data-testid="lr-card"]')).toBe(first);
    const cards = Array.from(root.querySelectorAll('[data-testid="lr-card"]'));
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(items.map((_, i) => `${i + 1} of 12`));
    expect(cards.map((c) => c.getAttribute('data-product-id'))).toEqual(items.map((i) => i.id));
  });

  it('renders a card again when its item, place or count changes, and uses the latest handlers in the cards it keeps', () => {
    const labels = countingLabels();
    const selected: string[] = [];
    render(<Carousel {...props(labels, items.slice(0, 3), { onItemSelect: (id) => selected.push(`old:${id}`) })} />, root);
    expect(labels.renders).toBe(3);
    // Same item objects and count, new handler: no card renders, the click reaches the new handler.
    render(<Carousel {...props(labels, items.slice(0, 3), { onItemSelect: (id) => selected.push(`new:${id}`) })} />, root);
    expect(labels.renders).toBe(3);
    root.querySelector<HTMLElement>('[data-testid="lr-card-link"]')!.click();
    expect(selected).toEqual(['new:p0']);
    // Without a final count the count is the items': one more item relabels every card.
    render(<Carousel {...props(labels, items.slice(0, 4))} />, root);
    expect(labels.renders).toBe(7);
    expect(root.querySelector('[data-testid="lr-card"]')!.getAttribute('aria-label')).toBe('1 of 4');
    // A new item object at a kept place (a new title) and a moved card are rendered again; the others are not.
    const renamed = { ...items[0]!, title: 'Renamed' };
    render(<Carousel {...props(labels, [renamed, items[2]!, items[1]!, items[3]!])} />, root);
    expect(labels.renders).toBe(10);
    expect(root.querySelector('[data-testid="lr-card-title"]')!.textContent).toBe('Renamed');
    expect(Array.from(root.querySelectorAll('[data-testid="lr-card"]')).map((c) => c.getAttribute('data-product-id'))).toEqual(['p0', 'p2', 'p1', 'p3']);
  });
});
