import { expect, test } from '@playwright/test';
import { getRanking, resetStore, seedHistory, waitForModel } from 'localrank/testing';

// A shopper who likes books: over the last three hours they saw other products without clicking, and clicked
// (sometimes carted) twelve books. Times are in the past, so the history means the same whenever the test runs.
test('a books lover gets books first in "For you", from the heuristic, then from the model trained on the device', async ({ page }) => {
  test.setTimeout(180_000); // training runs in the browser: slow on CI machines without a GPU
  const catalog: Array<{ id: string; category: string; inStock?: boolean }> = (await (await page.request.get('/catalog.json')).json()).products;
  const isBook = (id: string) => catalog.find((p) => p.id === id)?.category === 'books';
  const books = catalog.filter((p) => p.category === 'books' && p.inStock !== false).slice(0, 12);
  const others = catalog.filter((p) => p.category !== 'books').slice(0, 36);
  let time = Date.now() - 3 * 3_600_000;
  const history = books.flatMap((book, i) => [
    ...others.slice(i * 3, i * 3 + 3).map((p) => ({ type: 'impression' as const, productId: p.id, time: (time += 20_000) })),
    { type: 'click' as const, productId: book.id, time: (time += 20_000) },
    ...(i % 3 === 0 ? [{ type: 'add-to-cart' as const, productId: book.id, time: (time += 5_000) }] : []),
  ]);

  await page.goto('/');
  const coldStart = await getRanking(page, 'for-you');

  expect(await seedHistory(page, history)).toBe(history.length);
  expect(isBook((await getRanking(page, 'for-you'))[0]!)).toBe(true); // the heuristic reacts at once

  await waitForModel(page, { source: 'trained' }); // fine-tuned from the shop's base model, in a Web Worker
  await page.reload(); // carousels on screen never reshuffle; the next page ranks with the new model
  await waitForModel(page, { source: 'indexeddb' });
  const warm = await getRanking(page, 'for-you');
  expect(isBook(warm[0]!)).toBe(true);
  expect(warm.filter(isBook).length).toBeGreaterThan(coldStart.filter(isBook).length);

  await resetStore(page); // back to a new shopper: "For you" shows the cold-start ranking again
  expect(await getRanking(page, 'for-you')).toEqual(coldStart);
});
