import { chromium } from '@playwright/test';
const port = Number(process.env.PORT ?? 4185);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as any).__frames = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as any[]) (window as any).__frames.push({ start: Math.round(e.startTime), dur: Math.round(e.duration), render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0), scripts: e.scripts.map((s: any) => `${s.invokerType}:${s.invoker} ${String(s.sourceURL).split('/').pop()} ${s.sourceFunctionName} ${Math.round(s.duration)}ms (forced ${Math.round(s.forcedStyleAndLayoutDuration)})`) });
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(process.env.URL ?? '/index.html');
  await page.evaluate(() => window.LocalRank?.ready);
  await page.waitForTimeout(3000);
  const frames = await page.evaluate(() => (window as any).__frames);
  console.log(`--- run ${run}`);
  for (const f of frames) console.log(f.start, f.dur, 'render', f.render, '\n   ', f.scripts.join('\n    '));
  await context.close();
}
await browser.close();
