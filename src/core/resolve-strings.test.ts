import { describe, expect, it } from 'vitest';
import { DEFAULT_STRINGS, fillTemplate } from './default-strings';
import { resolveStrings } from './resolve-strings';

describe('resolveStrings', () => {
  it('returns the English defaults without an override', () => {
    expect(resolveStrings(undefined)).toEqual({ strings: DEFAULT_STRINGS, problems: [] });
  });

  it('applies a partial override per group and keeps every other default', () => {
    const { strings, problems } = resolveStrings({ headings: { 'for-you': 'Für dich' }, carousel: { why: 'Warum?' } });
    expect(problems).toEqual([]);
    expect(strings.headings['for-you']).toBe('Für dich');
    expect(strings.headings.trending).toBe(DEFAULT_STRINGS.headings.trending);
    expect(strings.carousel).toEqual({ ...DEFAULT_STRINGS.carousel, why: 'Warum?' });
    expect(strings.events).toEqual(DEFAULT_STRINGS.events);
    // The defaults themselves are never changed.
    expect(DEFAULT_STRINGS.headings['for-you']).toBe('Recommended for you');
  });

  it('ignores unknown groups and keys, wrong types and empty strings, and names each one', () => {
    const { strings, problems } = resolveStrings({
      heading: { 'for-you': 'x' },
      carousel: { nxt: 'Weiter', next: 'Weiter', why: 42, loading: '  ' },
      events: ['a'],
      toString: { a: 'b' },
    });
    expect(strings.carousel.next).toBe('Weiter');
    expect(strings.carousel.why).toBe(DEFAULT_STRINGS.carousel.why);
    expect(strings.carousel.loading).toBe(DEFAULT_STRINGS.carousel.loading);
    expect(strings.events).toEqual(DEFAULT_STRINGS.events);
    expect(problems).toEqual([
      expect.stringContaining('strings.heading is not a known group'),
      'strings.carousel.nxt is not a known key',
      'strings.carousel.why must be a non-empty string',
      'strings.carousel.loading must be a non-empty string',
      'strings.events must be an object, got an array',
      expect.stringContaining('strings.toString is not a known group'),
    ]);
  });

  it('reports a non-object override and keeps the defaults', () => {
    for (const bad of ['de', 42, ['x'], true]) {
      const r = resolveStrings(bad);
      expect(r.strings).toBe(DEFAULT_STRINGS);
      expect(r.problems).toHaveLength(1);
    }
  });
});

describe('fillTemplate', () => {
  it('fills known placeholders and leaves unknown ones', () => {
    expect(fillTemplate('{index} of {count}', { index: 3, count: 12 })).toBe('3 of 12');
    expect(fillTemplate('{count} Produkte ({date}) {x}', { count: 5, date: '1. Dez.' })).toBe('5 Produkte (1. Dez.) {x}');
  });
});
