import { describe, expect, it } from 'vitest';
import { validateInteraction } from './interaction';

describe('validateInteraction', () => {
  it('fills time and page and keeps the context', () => {
    const r = validateInteraction({ type: 'click', productId: 12, context: { list: 'search', position: 3, query: ' tea ' } }, 1000, 'search');
    expect(r).toEqual({ ok: true, event: { type: 'click', productId: '12', time: 1000, context: { page: 'search', list: 'search', position: 3, query: 'tea' } } });
  });
  it('refuses unknown types, missing product ids, and incomplete search/dwell events', () => {
    expect(validateInteraction({ type: 'like', productId: 'a' }, 0, 'p').ok).toBe(false);
    expect(validateInteraction({ type: 'click' }, 0, 'p').ok).toBe(false);
    expect(validateInteraction({ type: 'search' }, 0, 'p').ok).toBe(false);
    expect(validateInteraction({ type: 'dwell', productId: 'a' }, 0, 'p').ok).toBe(false);
    expect(validateInteraction(null, 0, 'p').ok).toBe(false);
  });
});
