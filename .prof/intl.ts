import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (let i = 0; i < 4; i++) {
  const context = await browser.newContext({ baseURL: 'http://127.0.0.1:4185' });
  const page = await context.newPage();
  await page.goto('/favicon.svg');
  console.log(await page.evaluate(() => {
    const t = [performance.now()];
    Intl.getCanonicalLocales('en'); t.push(performance.now());
    new Intl.PluralRules('en'); t.push(performance.now());
    new Intl.NumberFormat('en').format(1); t.push(performance.now());
    new Intl.NumberFormat('en', { style: 'percent' }).format(1); t.push(performance.now());
    new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(12.5); t.push(performance.now());
    new Intl.NumberFormat('de', { style: 'currency', currency: 'EUR' }).format(12.5); t.push(performance.now());
    return t.slice(1).map((x, i) => (x - t[i]).toFixed(1)).join(' ');
  }));
  await context.close();
}
await browser.close();
