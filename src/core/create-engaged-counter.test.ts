import { describe, expect, it } from 'vitest';
import { engagedProducts } from './build-training-set';
import { createEngagedCounter } from './create-engaged-counter';
import type { Interaction } from './interaction';
import { interaction, product } from './test-fixtures';

describe('createEngagedCounter', () => {
  const known = new Map(['a', 'b', 'c'].map((id) => [id, product(id, 'x')]));

  it('counts like engagedProducts while the log grows, and again from the start when it is replaced or shrinks', () => {
    const count = createEngagedCounter(known);
    const log: Interaction[] = [];
    const steps: Interaction[] = [
      interaction('impression', 'a', 1),
      interaction('click', 'a', 2),
      interaction('click', 'a', 3),
      interaction('click', 'unknown', 4),
      interaction('add-to-cart', 'b', 5),
      interaction('impression', 'c', 6),
    ];
    for (const e of steps) {
      log.push(e);
      expect(count(log)).toBe(engagedProducts(log, known));
    }
    expect(count(log)).toBe(2);
    const replaced = [interaction('click', 'c', 7)];
    expect(count(replaced)).toBe(1);
    log.length = 1; // shorter than what was read: counted again
    expect(count(log)).toBe(0);
  });

  it('counts again when the catalog grows (a product seen before becomes known)', () => {
    const catalog = new Map(known);
    const count = createEngagedCounter(catalog);
    const log = [interaction('click', 'd', 1)];
    expect(count(log)).toBe(0);
    catalog.set('d', product('d', 'x'));
    expect(count(log)).toBe(1);
  });
});
