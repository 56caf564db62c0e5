import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { shopperHistory } from '../bench/shopper-history';

const port = Number(process.env.PORT ?? 4185);
const catalog = JSON.parse(readFileSync('dist/catalog.json', 'utf8')).products as Array<{ id: string; category: string }>;
const host = (attrs: string): string => `<!doctype html><html lang="en"><head>
<script type="module" src="/localrank.js" data-catalog="/catalog.json" ${attrs}></script></head>
<body data-localrank-page="home"><div style="height: 3000px"></div><div data-localrank-widget="for-you"></div></body></html>`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist'] });
const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
const page = await context.newPage();
await page.addInitScript('globalThis.__name ??= (f) => f;');
await page.route('**/prof.html', (r) => r.fulfill({ contentType: 'text/html', body: host(process.env.ATTRS ?? 'data-backend="wasm"') }));
await page.goto('/prof.html');
await page.evaluate(() => window.LocalRank!.ready);
const history = shopperHistory(catalog, 1000, Date.now());
await page.evaluate((events) => { for (const e of events) window.LocalRank!.track(e); return window.LocalRank!.flush(); }, history.events);
await page.waitForFunction(() => window.LocalRank!.status().model.source === 'trained' && window.LocalRank!.status().model.state !== 'training', undefined, { timeout: 300_000, polling: 500 });
console.log('trained', await page.evaluate(() => JSON.stringify(window.LocalRank!.status().model)));
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await page.evaluate(() => {
  (window as any).__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) (window as any).__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
});
await cdp.send('Profiler.start');
await page.evaluate((ids) => { for (const id of ids) window.LocalRank!.track({ type: 'click', productId: id }); return window.LocalRank!.flush(); }, history.unengaged.slice(0, 3));
await page.waitForTimeout(1500);
const { profile } = await cdp.send('Profiler.stop');
console.log('long tasks', await page.evaluate(() => (window as any).__long));
writeFileSync('.prof/refresh.cpuprofile', JSON.stringify(profile));
// self time by function
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas; const samples = profile.samples;
for (let i = 0; i < samples.length; i++) {
  const n: any = byId.get(samples[i]);
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
}
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(1).padStart(8), k);
const total = new Map<string, number>();
const parent = new Map<number, number>();
for (const n of profile.nodes as any[]) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n: any) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
for (let i = 0; i < samples.length; i++) {
  const ms = (dt[i] ?? 0) / 1000; const seen = new Set<string>();
  for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) { const k = keyOf(byId.get(id)); if (!seen.has(k)) { seen.add(k); total.set(k, (total.get(k) ?? 0) + ms); } }
}
console.log('--- total'); for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(v.toFixed(1).padStart(8), k);
await browser.close();
