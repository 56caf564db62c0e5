import { expect, test } from '@playwright/test';
import { storedEvents, watchErrors } from './helpers';

const page = (script: string, before = ''): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>host</title>${before}${script}</head>
<body data-localrank-page="home"><div data-localrank-widget="for-you"></div><p id="host">host content</p></body></html>`;

const cases = [
  { name: 'no catalog', html: page('<script type="module" src="/localrank.js"></script>'), code: 'LR_CONFIG_MISSING_CATALOG', hint: 'data-catalog' },
  { name: 'bad number', html: page('<script type="module" src="/localrank.js" data-catalog="/catalog.json" data-max-events="lots"></script>'), code: 'LR_CONFIG_INVALID', hint: 'data-max-events' },
  {
    name: 'LocalRankConfig not an object',
    html: page('<script type="module" src="/localrank.js" data-catalog="/catalog.json"></script>', '<script>window.LocalRankConfig = 42</script>'),
    code: 'LR_CONFIG_INVALID',
    hint: 'LocalRankConfig',
  },
];

for (const c of cases) {
  test(`a misconfigured tag fails fast with a stable code: ${c.name}`, async ({ page: p }) => {
    const errors = watchErrors(p);
    const unhandled: string[] = [];
    await p.exposeFunction('__unhandled', (s: string) => unhandled.push(s));
    await p.addInitScript(() => addEventListener('unhandledrejection', (e) => (window as never as { __unhandled(s: string): void }).__unhandled(String(e.reason))));
    await p.route('**/e2e-misconfig.html', (route) => route.fulfill({ contentType: 'text/html', body: c.html }));
    await p.goto('/e2e-misconfig.html');
    await p.waitForFunction(() => !!window.LocalRank);
    const rejection = await p.evaluate(() => window.LocalRank!.ready.then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message })));
    expect(rejection?.code).toBe(c.code);
    expect(rejection?.message).toContain(c.hint);
    const status = await p.evaluate(() => window.LocalRank!.status());
    expect(status.state).toBe('error');
    // The API stays callable and harmless.
    expect(await p.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'x' }))).toBe(false);
    expect(await p.evaluate(() => window.LocalRank!.rerank(['b', 'a']))).toEqual(['b', 'a']);
    await expect(p.locator('#host')).toHaveText('host content');
    await p.waitForTimeout(200);
    expect(errors.pageErrors).toEqual([]);
    expect(unhandled).toEqual([]);
    // The shop owner sees the message in the console.
    expect(errors.consoleErrors.some((m) => m.includes(c.code))).toBe(true);
  });
}

test('an unknown widget type and a missing catalog file are reported, not thrown', async ({ page: p }) => {
  const errors = watchErrors(p);
  await p.route('**/e2e-widgets.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script type="module" src="/localrank.js" data-catalog="/missing-catalog.json"></script></head>
<body><div data-localrank-widget="bestsellers"></div><div data-localrank-widget="for-you"></div></body></html>`,
    }),
  );
  // A real 404 (vite preview would answer a missing path with its HTML fallback, which is LR_CATALOG_INVALID).
  await p.route('**/missing-catalog.json', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  await p.goto('/e2e-widgets.html');
  await p.waitForFunction(() => !!window.LocalRank);
  const status = await p.evaluate(() => window.LocalRank!.ready);
  expect(status.state).toBe('ready');
  const codes = (await p.evaluate(() => window.LocalRank!.status())).errors.map((e) => e.code);
  expect(codes).toEqual(expect.arrayContaining(['LR_CATALOG_FETCH', 'LR_WIDGET_UNKNOWN_TYPE']));
  // for-you shows its empty state in the reserved space; tracking still works.
  await expect(p.locator('[data-localrank-widget="for-you"] [data-testid="lr-carousel-for-you"]')).toContainText('Recommendations will appear here');
  expect(await p.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'x' }))).toBe(true);
  expect(errors.pageErrors).toEqual([]);
});

test('a catalog URL that cannot be resolved is a failed fetch: reported, LocalRank ready with its empty state', async ({ page: p }) => {
  const errors = watchErrors(p);
  await p.route('**/e2e-bad-url.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><script type="module" src="/localrank.js" data-catalog="http://[not-a-host"></script></head>
<body><div data-localrank-widget="for-you"></div></body></html>`,
    }),
  );
  await p.goto('/e2e-bad-url.html');
  await p.waitForFunction(() => !!window.LocalRank);
  const status = await p.evaluate(() => window.LocalRank!.ready);
  expect(status.state).toBe('ready');
  const reported = (await p.evaluate(() => window.LocalRank!.status())).errors;
  expect(reported.map((e) => e.code)).toContain('LR_CATALOG_FETCH');
  await expect(p.locator('[data-localrank-widget="for-you"] [data-testid="lr-carousel-for-you"]')).toContainText('Recommendations will appear here');
  expect(await p.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'x' }))).toBe(true);
  expect(errors.pageErrors).toEqual([]);
});

test('a runtime chunk that fails to load (a broken CDN): LR_RUNTIME_LOAD, ready rejects with it, interactions are still stored, nothing reaches the host', async ({ page: p }) => {
  const errors = watchErrors(p);
  await p.addInitScript(() => {
    const seen: string[] = ((window as never as { __seen: string[] }).__seen = []);
    addEventListener('unhandledrejection', (e) => seen.push(`unhandledrejection ${String(e.reason)}`));
    // Vite's preload helper dispatched this on the host's window when an import failed; LocalRank's build has none.
    addEventListener('vite:preloadError', () => seen.push('vite:preloadError'));
  });
  await p.route('**/chunks/start-runtime-*.js', (route) => route.abort());
  await p.goto('/');
  await p.waitForFunction(() => !!window.LocalRank);
  const rejection = await p.evaluate(() => window.LocalRank!.ready.then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message })));
  expect(rejection?.code).toBe('LR_RUNTIME_LOAD');
  expect(rejection?.message).toContain('interactions are still logged');
  expect((await p.evaluate(() => window.LocalRank!.status())).state).toBe('error');
  expect(await p.evaluate(() => window.LocalRank!.track({ type: 'click', productId: 'p0001' }))).toBe(true);
  await p.evaluate(() => window.LocalRank!.flush());
  expect((await storedEvents(p)).filter((e) => e.type === 'click').map((e) => e.productId)).toContain('p0001');
  expect(await p.evaluate(() => window.LocalRank!.rerank(['b', 'a']))).toEqual(['b', 'a']);
  expect(await p.evaluate(() => (window as never as { __seen: string[] }).__seen)).toEqual([]);
  expect(errors.pageErrors).toEqual([]);
});
