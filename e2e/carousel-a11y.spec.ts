import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitForReady, watchErrors } from './helpers';

/** Id of the card that holds keyboard focus inside the for-you widget's shadow root. */
function focusedCard(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.querySelector('[data-localrank-widget="for-you"]')!.shadowRoot!;
    return root.activeElement?.closest('[data-product-id]')?.getAttribute('data-product-id') ?? null;
  });
}

test('the carousel follows the WAI-ARIA carousel pattern and works from the keyboard', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  const widget = page.locator('[data-localrank-widget="for-you"]');
  const section = widget.locator('[data-testid="lr-carousel-for-you"]');
  await expect(section).toHaveAttribute('aria-roledescription', 'carousel');
  await expect(section).toHaveAccessibleName('Recommended for you');
  const cards = widget.locator('[data-testid="lr-card"]');
  const ids = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));
  await expect(cards.first()).toHaveAttribute('aria-roledescription', 'slide');
  await expect(cards.first()).toHaveAttribute('aria-label', `1 of ${ids.length}`);
  await expect(widget.locator('[data-testid="lr-prev"]')).toHaveAccessibleName('Previous products');
  await expect(widget.locator('[data-testid="lr-next"]')).toHaveAccessibleName('Next products');
  await expect(widget.locator('[data-testid="lr-prev"]')).toBeDisabled();

  await widget.locator('[data-testid="lr-card-link"]').first().focus();
  expect(await focusedCard(page)).toBe(ids[0]);
  await page.keyboard.press('ArrowRight');
  expect(await focusedCard(page)).toBe(ids[1]);
  await page.keyboard.press('End');
  expect(await focusedCard(page)).toBe(ids[ids.length - 1]);
  await page.keyboard.press('Home');
  expect(await focusedCard(page)).toBe(ids[0]);
  await page.keyboard.press('ArrowLeft'); // already first: stays
  expect(await focusedCard(page)).toBe(ids[0]);

  // Next scrolls the track by a page and enables Previous.
  await widget.locator('[data-testid="lr-next"]').click();
  await expect(widget.locator('[data-testid="lr-prev"]')).toBeEnabled();
  const scrolled = await widget.locator('ul').evaluate((ul) => ul.scrollLeft);
  expect(scrolled).toBeGreaterThan(0);

  // Enter on a focused card follows its link.
  await widget.locator('[data-testid="lr-card-link"]').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/product\.html\?id=/);
});

test('reduced motion: scrolling is instant', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
  await waitForReady(page);
  const widget = page.locator('[data-localrank-widget="for-you"]');
  await expect(widget.locator('[data-testid="lr-card"]').first()).toBeVisible();
  // Next is enabled once the track has been measured (its ResizeObserver's first report, before the first paint).
  await expect(widget.locator('[data-testid="lr-next"]')).toBeEnabled();
  const left = await widget.locator('ul').evaluate((ul) => {
    (ul.getRootNode() as ShadowRoot).querySelector<HTMLButtonElement>('[data-testid="lr-next"]')!.click();
    return ul.scrollLeft; // read synchronously: with smooth scrolling it would still be 0 here
  });
  expect(left).toBeGreaterThan(0);
});

const PAGE = (hostileCss: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>host</title>
<style>${hostileCss}</style>
<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script>
</head><body data-localrank-page="home">
<div style="display:block;width:900px"><div data-localrank-widget="for-you"></div></div>
</body></html>`;

async function widgetStyles(page: Page, css: string): Promise<Record<string, unknown>> {
  await page.route('**/e2e-host.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE(css) }));
  await page.goto('/e2e-host.html');
  await waitForReady(page);
  await expect(page.locator('[data-localrank-widget="for-you"] [data-testid="lr-card"]').first()).toBeVisible();
  return page.evaluate(() => {
    const root = document.querySelector('[data-localrank-widget="for-you"]')!.shadowRoot!;
    const pick = (sel: string) => {
      const el = root.querySelector(sel)!;
      const cs = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        fontSize: cs.fontSize,
        fontFamily: cs.fontFamily,
        fontWeight: cs.fontWeight,
        color: cs.color,
        letterSpacing: cs.letterSpacing,
        textTransform: cs.textTransform,
        display: cs.display,
        width: Math.round(box.width),
        height: Math.round(box.height),
      };
    };
    return {
      section: pick('[data-testid="lr-carousel-for-you"]'),
      heading: pick('h2'),
      card: pick('[data-testid="lr-card"]'),
      title: pick('[data-testid="lr-card-title"]'),
      price: pick('[data-testid="lr-card-price"]'),
      next: pick('[data-testid="lr-next"]'),
      image: pick('[data-testid="lr-card"] img'),
    };
  });
}

test('a hostile host stylesheet does not change the widget (Shadow DOM isolation)', async ({ page }) => {
  const errors = watchErrors(page);
  const normal = await widgetStyles(page, '');
  const hostile = await widgetStyles(
    page,
    '* { all: unset; font-size: 40px } html { font-size: 40px !important; color: red !important; letter-spacing: 3px; text-transform: uppercase } ' +
      'div { font-family: "Comic Sans MS", cursive !important; line-height: 5 } img { width: 10px !important; height: 10px !important } ' +
      'button { display: none !important } h2 { font-size: 80px !important } li { display: inline !important }',
  );
  expect(hostile).toEqual(normal);
  expect((normal.title as { fontSize: string }).fontSize).not.toBe('40px');
  expect(errors.pageErrors).toEqual([]);
});
