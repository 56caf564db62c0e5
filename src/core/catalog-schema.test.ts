// The published JSON Schema (public/catalog.schema.json) and parseCatalog must agree: what the schema accepts,
// parseCatalog takes without a problem; what it refuses, parseCatalog reports — at the same path.
// ajv is a devDependency used only here; it is never bundled.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from './parse-catalog';

const schema = JSON.parse(readFileSync(new URL('../../public/catalog.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(schema);

const ok = { id: 'a', title: 'Mug', category: 'kitchen' };
const row = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...ok, ...extra });

const valid: Array<[string, unknown]> = [
  ['minimal object catalog', { products: [ok] }],
  ['bare array', [ok]],
  ['every field', { $schema: './catalog.schema.json', version: 1, currency: 'EUR', products: [row({ brand: 'B', price: 12.5, currency: 'usd', image: '/img/a.svg', url: 'https://shop.example/p/a', inStock: false, popularity: 3, attributes: ['matte', 7] })] }],
  ['numeric id and numeric-string price', [row({ id: 42, price: ' 12.50 ' })]],
  ['name instead of title', [{ id: 'a', name: 'Mug', category: 'k' }]],
  ['nulls for optional fields', [row({ price: null, currency: null, image: null, inStock: null, brand: null, attributes: null })]],
  ['inStock as "false"', [row({ inStock: 'false' })]],
  ['unknown properties', [row({ description: 'nice', gtin: '123' })]],
  ['relative URLs', [row({ url: '?id=a', image: 'img/a.svg' })]],
  ['protocol-relative URL', [row({ url: '//cdn.example/a.png' })]],
  ['300-character id', [row({ id: 'x'.repeat(300) })]],
  ['empty catalog', { products: [] }],
];

const invalid: Array<[string, unknown, RegExp]> = [
  ['missing id', [{ title: 'Mug', category: 'k' }], /^\[0\]\.id: required/],
  ['missing category', { products: [{ id: 'a', title: 'T' }] }, /^products\[0\]\.category: required/],
  ['missing title and name', { products: [{ id: 'a', category: 'k' }] }, /^products\[0\]\.title: required/],
  ['blank title', { products: [row({ title: '   ' })] }, /^products\[0\]\.title: expected a non-empty string or a number/],
  ['object as id', [row({ id: { x: 1 } })], /^\[0\]\.id: expected a non-empty string or a number/],
  ['id over 300 characters', [row({ id: 'x'.repeat(301) })], /^\[0\]\.id: id longer than 300 characters/],
  ['row not an object', { products: [ok, 5] }, /^products\[1\]: expected an object/],
  ['negative price', { products: [ok, row({ id: 'b' }), row({ id: 'c' }), row({ id: 'd', price: -1 })] }, /^products\[3\]\.price: expected a number >= 0/],
  ['price with a currency', [row({ price: '12.50 EUR' })], /^\[0\]\.price: expected a number >= 0/],
  ['price as a boolean', [row({ price: true })], /^\[0\]\.price: expected a number >= 0/],
  ['bad currency', [row({ currency: 'euro' })], /^\[0\]\.currency: expected a 3-letter ISO 4217 currency code/],
  ['bad top-level currency', { currency: 'euros', products: [ok] }, /^currency: expected a 3-letter ISO 4217 currency code/],
  ['javascript: URL', [row({ url: 'javascript:alert(1)' })], /^\[0\]\.url: expected an http\(s\) or relative URL/],
  ['data: image', [row({ image: 'data:image/svg+xml,<svg/>' })], /^\[0\]\.image: expected an http\(s\) or relative URL/],
  ['URL with a tab', [row({ url: '/p/\ta' })], /^\[0\]\.url: expected an http\(s\) or relative URL/],
  ['URL over 2048 characters', [row({ url: `/p/${'a'.repeat(2100)}` })], /^\[0\]\.url: expected an http\(s\) or relative URL/],
  ['inStock as "yes"', [row({ inStock: 'yes' })], /^\[0\]\.inStock: expected true or false/],
  ['negative popularity', [row({ popularity: -3 })], /^\[0\]\.popularity: expected a number >= 0/],
  ['attributes not an array', [row({ attributes: 'matte' })], /^\[0\]\.attributes: expected an array of strings or numbers/],
  ['attribute not a string', [row({ attributes: ['a', {}] })], /^\[0\]\.attributes\[1\]: expected a non-empty string or a number/],
  ['21 attributes', [row({ attributes: Array.from({ length: 21 }, (_, i) => `a${i}`) })], /^\[0\]\.attributes: more than 20 entries/],
  ['title over 300 characters', [row({ title: 't'.repeat(301) })], /^\[0\]\.title: longer than 300 characters/],
  ['brand as an object', [row({ brand: { name: 'B' } })], /^\[0\]\.brand: expected a string/],
];

/** `products[3].price` / `[0].attributes[1]` → the JSON Pointer ajv uses (`/products/3/price`, `/0/attributes/1`). */
const pointer = (path: string): string => '/' + path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '').split('.').join('/');

describe('catalog.schema.json and parseCatalog agree', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });
  it('accepts the demo shop catalog, and parseCatalog takes all of it', () => {
    const demo = JSON.parse(readFileSync(new URL('../../public/catalog.json', import.meta.url), 'utf8'));
    expect(validate(demo)).toBe(true);
    expect(parseCatalog(demo).problems).toEqual([]);
  });
  for (const [name, data] of valid) {
    it(`valid: ${name}`, () => {
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
      const parsed = parseCatalog(data);
      expect(parsed.problems).toEqual([]);
      expect(parsed.fatal).toBeUndefined();
    });
  }
  for (const [name, data, message] of invalid) {
    it(`invalid: ${name}`, () => {
      expect(validate(data)).toBe(false);
      const parsed = parseCatalog(data);
      expect(parsed.problems.length).toBeGreaterThan(0);
      expect(parsed.problems[0]).toMatch(message);
      // ajv points at the same place (a missing property is reported on its parent).
      const at = pointer(parsed.problems[0]!.split(':')[0]!);
      const ajvPaths = (validate.errors ?? []).map((e) => (e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath));
      expect(ajvPaths).toContain(at);
    });
  }
  it('both refuse a catalog that is neither an array nor an object with products', () => {
    for (const data of ['nope', { items: [] }, 3, null]) {
      expect(validate(data)).toBe(false);
      expect(parseCatalog(data).fatal).toBeDefined();
    }
  });
});
