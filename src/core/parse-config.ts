import type { LocalRankStringsOverride } from './default-strings';
import type { LocalRankErrorInfo } from './errors';
import { ErrorCode } from './errors';

/** Validated LocalRank configuration. Every key can be set as a `data-*` attribute or in `LocalRankConfig`. */
export interface LocalRankConfig {
  /**
   * URL of the catalog (`data-catalog`): native JSON, or a Google Merchant Center TSV or RSS/Atom feed. Required
   * unless `products` is given or `pageCatalog` is on.
   */
  readonly catalog: string | undefined;
  /**
   * Build (or extend) the catalog from the schema.org `Product` data (JSON-LD, microdata) of the pages the shopper
   * visits, remembered on the device (`data-page-catalog`, default false). With a catalog too, the catalog's rows win
   * for ids it has.
   */
  readonly pageCatalog: boolean;
  /** Inline catalog rows (only through `window.LocalRankConfig.products`). */
  readonly products: readonly unknown[] | undefined;
  /** BCP 47 locale for prices (`data-locale`); default: the page's `lang`, then the browser's. */
  readonly locale: string | undefined;
  /** Default ISO currency when a product has none (`data-currency`). */
  readonly currency: string | undefined;
  /** Page type override (`data-page-type`); default: `data-localrank-page` on `<body>`/`<html>`, else `other`. */
  readonly pageType: string | undefined;
  /** Event-log cap before old events are compacted into counters (`data-max-events`, default 10,000). */
  readonly maxEvents: number;
  /** Time-decay half-life in days (`data-half-life-days`, default 14). */
  readonly halfLifeDays: number;
  /** Items per carousel (`data-limit`, default 12, max 50). */
  readonly limit: number;
  /** Max consecutive items of one category in a carousel (`data-max-same-category`, default 2; 0 = off). */
  readonly maxSameCategory: number;
  /** Visible time (ms) before a product counts as an impression (`data-impression-ms`, default 1000). */
  readonly impressionMs: number;
  /** Delay (ms) for batching event writes (`data-flush-ms`, default 200). */
  readonly flushMs: number;
  /** Capture interactions automatically from the DOM (`data-auto-capture`, default true). */
  readonly autoCapture: boolean;
  /** Query-string parameter holding the search query on search pages (`data-search-param`, default `q`). */
  readonly searchParam: string;
  /** IndexedDB database name (`data-db-name`, default `localrank`). */
  readonly dbName: string;
  /** Development warnings in the console, prefixed `[localrank]` (`data-debug`, default false). */
  readonly debug: boolean;
  /** tfjs backend for training (`data-backend`: `auto` (default), `webgl`, `wasm`, `cpu`). */
  readonly backend: 'auto' | 'webgl' | 'wasm' | 'cpu';
  /** URL of the shop's base model folder (`data-model`): model.json, weights, feature-schema.json. */
  readonly model: string | undefined;
  /** Seed for model initialisation and sampling (`data-seed`, default 1): same seed, same model. */
  readonly seed: number;
  /**
   * `required` (`data-consent="required"`): nothing is logged or stored on the device until the shop's consent
   * banner calls `LocalRank.setConsent(true)`. Default `not-required`: LocalRank logs from the start (everything stays
   * on the device), and `setConsent(false)` still turns it off.
   */
  readonly consent: 'not-required' | 'required';
  /** Treat `navigator.globalPrivacyControl === true` as "no consent" until `setConsent(true)` (`data-respect-gpc`, default false). */
  readonly respectGpc: boolean;
  /**
   * Share of browsers (0–1, default 0) in a local A/B holdout: chosen once on the device and kept, they get the
   * heuristic baseline instead of the model (carousels and `rerank()`), so a shop can measure the model's lift.
   */
  readonly holdout: number;
  /**
   * Shopper-facing strings to replace (`LocalRankConfig.strings` only; partial, English defaults for the rest).
   * Checked by the runtime: unknown groups or keys and non-string values are ignored with an `LR_CONFIG_STRINGS` error.
   */
  readonly strings: LocalRankStringsOverride | undefined;
}

/** Every configuration key with its kind, for parsing `data-*` strings and documentation. */
const KEYS = {
  catalog: 'url',
  pageCatalog: 'bool',
  products: 'array',
  locale: 'string',
  currency: 'currency',
  pageType: 'string',
  maxEvents: 'int:100:1000000',
  halfLifeDays: 'num:0.01:3650',
  limit: 'int:1:50',
  maxSameCategory: 'int:0:50',
  impressionMs: 'int:0:60000',
  flushMs: 'int:0:10000',
  autoCapture: 'bool',
  searchParam: 'string',
  dbName: 'string',
  debug: 'bool',
  backend: 'enum:auto|webgl|wasm|cpu',
  model: 'url',
  seed: 'int:0:2147483647',
  consent: 'enum:not-required|required',
  respectGpc: 'bool',
  strings: 'js',
  holdout: 'num:0:1',
} as const;

const DEFAULTS = {
  pageCatalog: false,
  maxEvents: 10_000,
  halfLifeDays: 14,
  limit: 12,
  maxSameCategory: 2,
  impressionMs: 1000,
  flushMs: 200,
  autoCapture: true,
  searchParam: 'q',
  dbName: 'localrank',
  debug: false,
  backend: 'auto',
  seed: 1,
  consent: 'not-required',
  respectGpc: false,
  holdout: 0,
};

/** Names of the configuration keys (for docs and the unknown-key check). */
export const CONFIG_KEYS = Object.keys(KEYS) as (keyof typeof KEYS)[];

/** `data-*` attributes on the script tag that are not configuration keys but are allowed. */
const IGNORED_DATA_KEYS = new Set(['localrank']);

/** Result of {@link parseConfig}: either a config (maybe with warnings) or a fatal misconfiguration. */
export type ConfigResult =
  | { ok: true; config: LocalRankConfig; warnings: LocalRankErrorInfo[] }
  | { ok: false; error: LocalRankErrorInfo };

function kebab(key: string): string {
  return 'data-' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function invalid(key: string, expected: string, got: unknown): LocalRankErrorInfo {
  return {
    code: ErrorCode.ConfigInvalid,
    message: `"${key}" (${kebab(key)}) must be ${expected}, got ${JSON.stringify(got)?.slice(0, 60)}. Fix the script tag or window.LocalRankConfig.`,
    recoverable: false,
  };
}

/**
 * Validates configuration (pure). `global` is `window.LocalRankConfig` (typed values); `dataset` is the script
 * tag's `dataset` (strings, camelCased by the browser) and overrides it. Unknown keys produce warnings;
 * wrong types or ranges are fatal (the shop owner must fix them).
 */
export function parseConfig(dataset: Readonly<Record<string, string | undefined>>, global: unknown): ConfigResult {
  const warnings: LocalRankErrorInfo[] = [];
  const merged: Record<string, unknown> = {};
  if (global !== undefined && global !== null) {
    if (typeof global !== 'object' || Array.isArray(global)) {
      return { ok: false, error: invalid('LocalRankConfig', 'an object', global) };
    }
    for (const [key, value] of Object.entries(global)) {
      if (!(key in KEYS)) {
        warnings.push({ code: ErrorCode.ConfigUnknownKey, message: `Unknown LocalRankConfig key "${key}" is ignored. Known keys: ${CONFIG_KEYS.join(', ')}.`, recoverable: true });
        continue;
      }
      merged[key] = value;
    }
  }
  for (const [key, value] of Object.entries(dataset)) {
    if (value === undefined || IGNORED_DATA_KEYS.has(key)) continue;
    if (!(key in KEYS) || key === 'products' || key === 'strings') {
      warnings.push({ code: ErrorCode.ConfigUnknownKey, message: `Unknown attribute ${kebab(key)} on the LocalRank script tag is ignored.`, recoverable: true });
      continue;
    }
    merged[key] = value;
  }

  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const [key, raw] of Object.entries(merged)) {
    const kind = KEYS[key as keyof typeof KEYS];
    const fromString = typeof raw === 'string';
    if (kind === 'url' || kind === 'string') {
      if (typeof raw !== 'string' || !raw.trim()) return { ok: false, error: invalid(key, 'a non-empty string', raw) };
      out[key] = raw.trim();
    } else if (kind === 'currency') {
      if (typeof raw !== 'string' || !/^[A-Za-z]{3}$/.test(raw.trim())) {
        return { ok: false, error: invalid(key, 'a 3-letter ISO 4217 code such as "EUR"', raw) };
      }
      out[key] = raw.trim().toUpperCase();
    } else if (kind.startsWith('enum:')) {
      const allowed = kind.slice(5).split('|');
      if (typeof raw !== 'string' || !allowed.includes(raw.trim())) return { ok: false, error: invalid(key, `one of ${allowed.join(', ')}`, raw) };
      out[key] = raw.trim();
    } else if (kind === 'js') {
      out[key] = raw; // validated where it is used (the runtime chunk), to keep this entry small
    } else if (kind === 'array') {
      if (!Array.isArray(raw)) return { ok: false, error: invalid(key, 'an array of products', typeof raw) };
      out[key] = raw;
    } else if (kind === 'bool') {
      if (typeof raw === 'boolean') out[key] = raw;
      else if (fromString && ['', 'true', '1', 'yes'].includes(raw.trim().toLowerCase())) out[key] = true;
      else if (fromString && ['false', '0', 'no'].includes(raw.trim().toLowerCase())) out[key] = false;
      else return { ok: false, error: invalid(key, 'true or false', raw) };
    } else {
      const [type, min, max] = kind.split(':') as [string, string, string];
      const n = fromString && raw.trim() !== '' ? Number(raw) : raw;
      const ok =
        typeof n === 'number' && Number.isFinite(n) && n >= Number(min) && n <= Number(max) && (type !== 'int' || Number.isInteger(n));
      if (!ok) return { ok: false, error: invalid(key, `${type === 'int' ? 'an integer' : 'a number'} from ${min} to ${max}`, raw) };
      out[key] = n;
    }
  }
  if (!out.catalog && !out.products && !out.pageCatalog) {
    return {
      ok: false,
      error: {
        code: ErrorCode.ConfigMissingCatalog,
        message:
          'No catalog. Add data-catalog="/catalog.json" to the LocalRank script tag, or set window.LocalRankConfig = { catalog: "…" } (or { products: [...] }) before it, or add data-page-catalog (schema.org data of your pages).',
        recoverable: false,
      },
    };
  }
  const config: LocalRankConfig = {
    catalog: out.catalog as string | undefined,
    pageCatalog: out.pageCatalog as boolean,
    products: out.products as unknown[] | undefined,
    locale: out.locale as string | undefined,
    currency: out.currency as string | undefined,
    pageType: out.pageType as string | undefined,
    maxEvents: out.maxEvents as number,
    halfLifeDays: out.halfLifeDays as number,
    limit: out.limit as number,
    maxSameCategory: out.maxSameCategory as number,
    impressionMs: out.impressionMs as number,
    flushMs: out.flushMs as number,
    autoCapture: out.autoCapture as boolean,
    searchParam: out.searchParam as string,
    dbName: out.dbName as string,
    debug: out.debug as boolean,
    backend: out.backend as LocalRankConfig['backend'],
    model: out.model as string | undefined,
    seed: out.seed as number,
    consent: out.consent as LocalRankConfig['consent'],
    respectGpc: out.respectGpc as boolean,
    holdout: out.holdout as number,
    strings: out.strings as LocalRankStringsOverride | undefined,
  };
  return { ok: true, config, warnings };
}
