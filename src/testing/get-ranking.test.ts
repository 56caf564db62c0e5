import { describe, expect, it } from 'vitest';
import { mountSelector } from './get-ranking.js';

describe('mountSelector', () => {
  it('maps widget types to their mount point and keeps other selectors', () => {
    expect(mountSelector('for-you')).toBe('[data-localrank-widget="for-you"]');
    expect(mountSelector('#sidebar .recs')).toBe('#sidebar .recs');
  });
});
