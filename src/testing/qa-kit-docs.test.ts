import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

describe('README "For QA teams"', () => {
  it('shows exactly e2e/qa-example.spec.ts, which npm test runs', () => {
    const block = /<!-- qa-example:start -->\n```ts\n([\s\S]*?)```\n<!-- qa-example:end -->/.exec(readme);
    expect(block, 'the README needs the qa-example:start/end markers around a ```ts block').not.toBeNull();
    expect(block![1]).toBe(read('e2e/qa-example.spec.ts'));
    expect(block![1]).toContain("from 'localrank/testing'");
  });

  it('documents every data-testid in src/ui/, and only those', () => {
    const inSource = new Set<string>();
    for (const file of readdirSync(new URL('../ui/', import.meta.url)).filter((f) => f.endsWith('.tsx'))) {
      const text = read(`src/ui/${file}`);
      for (const m of text.matchAll(/data-testid="([^"]+)"/g)) inSource.add(m[1]!);
      // data-testid={'lr-carousel-' + widgetType}
      for (const m of text.matchAll(/data-testid=\{'([^']+)' \+ \w+\}/g)) inSource.add(`${m[1]}<type>`);
    }
    const section = readme.slice(readme.indexOf('### Stable `data-testid`s'), readme.indexOf('### Example spec'));
    const documented = new Set<string>();
    for (const row of section.split('\n').filter((l) => l.startsWith('| `lr-'))) {
      const first = row.split('|')[1]!;
      for (const m of first.matchAll(/`([^`]+)`/g)) documented.add(m[1]!);
    }
    expect([...documented].sort()).toEqual([...inSource].sort());
  });
});

describe('localrank/testing', () => {
  it('imports nothing but its own files and the Page type of @playwright/test (it is compiled on its own)', () => {
    for (const file of readdirSync(new URL('./', import.meta.url)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const imports = [...read(`src/testing/${file}`).matchAll(/^import (type )?[^;]*? from '([^']+)';$/gm)].map((m) => `${m[1] ?? ''}${m[2]}`);
      for (const spec of imports) expect(spec, `${file}: ${spec}`).toMatch(/^(type @playwright\/test|(type )?\.\/[a-z-]+\.js)$/);
    }
  });

  it('is exported as localrank/testing with types, from the built files', () => {
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, Record<string, string>>; files: string[] };
    expect(pkg.exports['./testing']).toEqual({
      'localrank-source': './src/testing/index.ts',
      types: './dist/testing/index.d.ts',
      default: './dist/testing/index.js',
    });
    expect(pkg.files).toContain('dist');
  });
});
