import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config';

describe('parseConfig', () => {
  it('reads data-* strings with defaults', () => {
    const r = parseConfig({ catalog: '/catalog.json', maxEvents: '500', debug: '' }, undefined);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ catalog: '/catalog.json', maxEvents: 500, debug: true, limit: 12, halfLifeDays: 14 });
    expect(r.warnings).toEqual([]);
  });
  it('passes LocalRankConfig.strings through unchecked (the runtime checks it) and ignores a data-strings attribute', () => {
    const strings = { headings: { 'for-you': 'Für dich' }, nope: 1 };
    const r = parseConfig({ strings: '{}' }, { catalog: '/c.json', strings });
    expect(r.ok && r.config.strings).toBe(strings);
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['LR_CONFIG_UNKNOWN_KEY']);
  });
  it('lets data-* attributes override LocalRankConfig', () => {
    const r = parseConfig({ limit: '6' }, { catalog: '/c.json', limit: 20 });
    expect(r.ok && r.config.limit).toBe(6);
  });
  it('fails fast with a stable code when the catalog is missing', () => {
    const r = parseConfig({}, undefined);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('LR_CONFIG_MISSING_CATALOG');
    expect(r.error.message).toMatch(/data-catalog/);
  });
  it('rejects wrong types and ranges, naming the attribute', () => {
    for (const [key, value] of [['maxEvents', 'lots'], ['limit', '0'], ['debug', 'maybe'], ['currency', 'euro'], ['halfLifeDays', '-1']] as const) {
      const r = parseConfig({ catalog: '/c.json', [key]: value }, undefined);
      expect(r.ok, key).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('LR_CONFIG_INVALID');
        expect(r.error.message).toContain(key);
      }
    }
    expect(parseConfig({}, 'not an object').ok).toBe(false);
  });
  it('warns about unknown keys and keeps going', () => {
    const r = parseConfig({ catalog: '/c.json', catlog: '/typo.json' }, { limt: 3 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings.map((w) => w.code)).toEqual(['LR_CONFIG_UNKNOWN_KEY', 'LR_CONFIG_UNKNOWN_KEY']);
  });
  it('reads the seed of deterministic mode (data-seed / LocalRankConfig.seed): an integer from 0 to 2^31-1, default 1', () => {
    const seed = (dataset: Record<string, string>, global?: unknown) => {
      const r = parseConfig({ catalog: '/c.json', ...dataset }, global);
      return r.ok ? r.config.seed : r.error;
    };
    expect(seed({})).toBe(1);
    expect(seed({ seed: '42' })).toBe(42);
    expect(seed({ seed: ' 0 ' })).toBe(0);
    expect(seed({}, { seed: 2147483647 })).toBe(2147483647);
    expect(seed({ seed: '7' }, { seed: 42 })).toBe(7);
    for (const bad of ['4.2', '-1', '2147483648', 'abc', '', '1e3x']) {
      expect(seed({ seed: bad }), bad).toMatchObject({
        code: 'LR_CONFIG_INVALID',
        message: expect.stringContaining('"seed" (data-seed) must be an integer from 0 to 2147483647'),
        recoverable: false,
      });
    }
    expect(seed({}, { seed: '42' })).toBe(42); // LocalRankConfig given as a string, as from a template
    expect(seed({}, { seed: true })).toMatchObject({ code: 'LR_CONFIG_INVALID' });
  });
  it('accepts an inline catalog instead of a URL', () => {
    const r = parseConfig({}, { products: [{ id: 1, title: 't', category: 'c' }] });
    expect(r.ok).toBe(true);
  });
});

describe('pageCatalog', () => {
  it('lets a tag without data-catalog start when it reads the pages instead', () => {
    const r = parseConfig({ pageCatalog: '' }, undefined);
    expect(r.ok && r.config.pageCatalog).toBe(true);
    const off = parseConfig({ catalog: '/c.json' }, undefined);
    expect(off.ok && off.config.pageCatalog).toBe(false);
  });
  it('still fails fast with neither, and says data-page-catalog is an option', () => {
    const r = parseConfig({}, undefined);
    expect(!r.ok && r.error.message).toMatch(/data-page-catalog/);
  });
});
