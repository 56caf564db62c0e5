import { engagedProductOf } from './build-training-set';
import type { Interaction } from './interaction';
import type { Product } from './product';

/**
 * An incremental {@link engagedProducts}: counts the distinct known products with a positive event, reading only the
 * events appended since the last call while the log is the same array and only grows; a replaced or shorter log,
 * or a catalog of another size, is counted again from the start. Called for every positive event tracked, where a
 * full scan of the log was most of `track()`'s main-thread cost.
 * @param known the catalog by id (a product counts once it is known)
 * @returns a function counting the engaged products of `events`
 */
export function createEngagedCounter(known: ReadonlyMap<string, Product>): (events: readonly Interaction[]) => number {
  let log: readonly Interaction[] | undefined;
  let read = 0;
  let size = -1;
  let engaged = new Set<string>();
  return (events) => {
    if (events !== log || events.length < read || known.size !== size) {
      log = events;
      read = 0;
      size = known.size;
      engaged = new Set();
    }
    for (; read < events.length; read++) {
      const id = engagedProductOf(events[read]!, known);
      if (id !== undefined) engaged.add(id);
    }
    return engaged.size;
  };
}
