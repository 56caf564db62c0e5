import { DEFAULT_STRINGS } from './default-strings';
import type { LocalRankStrings } from './default-strings';

/** Result of {@link resolveStrings}: the strings to use, and what was ignored (empty when the override is clean). */
export interface ResolvedStrings {
  readonly strings: LocalRankStrings;
  /** One sentence per ignored entry, e.g. `strings.carousel.nxt is not a known key`. */
  readonly problems: readonly string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges a shop's `LocalRankConfig.strings` over the English defaults (pure). Unknown groups or keys, non-string or
 * empty values and a non-object override are ignored and listed in `problems` (the caller reports them as one
 * `LR_CONFIG_STRINGS` error); every other entry applies. Never throws.
 */
export function resolveStrings(override: unknown, defaults: LocalRankStrings = DEFAULT_STRINGS): ResolvedStrings {
  if (override === undefined || override === null) return { strings: defaults, problems: [] };
  if (!isPlainObject(override)) return { strings: defaults, problems: [`strings must be an object of groups, got ${typeof override}`] };
  const problems: string[] = [];
  const out: Record<string, Record<string, string>> = {};
  const groups = defaults as unknown as Record<string, Record<string, string>>;
  for (const group of Object.keys(groups)) out[group] = { ...groups[group] };
  for (const [group, values] of Object.entries(override)) {
    const known = groups[group];
    if (!known || !Object.hasOwn(groups, group)) {
      problems.push(`strings.${group} is not a known group (${Object.keys(groups).join(', ')})`);
    } else if (!isPlainObject(values)) {
      problems.push(`strings.${group} must be an object, got ${Array.isArray(values) ? 'an array' : typeof values}`);
    } else {
      for (const [key, value] of Object.entries(values)) {
        if (!Object.hasOwn(known, key)) problems.push(`strings.${group}.${key} is not a known key`);
        else if (typeof value !== 'string' || !value.trim()) problems.push(`strings.${group}.${key} must be a non-empty string`);
        else out[group]![key] = value;
      }
    }
  }
  return { strings: out as unknown as LocalRankStrings, problems };
}
