import { NEIGHBOUR_FEATURES } from './neighbour-index';

/**
 * The feature schema: how products and shoppers become model inputs. A model is only valid with the schema it
 * was trained with; the hash of this object is stored with every model and checked when a base model loads.
 *
 * Sparse features are hashed into one shared vocabulary (size independent of the catalog), so new items are
 * never cold: a new product shares its category, brand, price band and title-token embeddings with the old ones.
 */
export interface FeatureSchema {
  /** Bumped when the meaning of any feature changes. */
  readonly version: number;
  /** Hashed vocabulary size (id 0 = padding). */
  readonly vocab: number;
  /** Embedding width. */
  readonly dim: number;
  /** Title tokens per item. */
  readonly tokens: number;
  /** Catalog attribute ids per item (e.g. Amazon's brand/category attribute ids), when the catalog gives them. */
  readonly attributes: number;
  /** Price band edges (major units); band i is price < edges[i]. */
  readonly priceEdges: readonly number[];
  /** Names of the dense features, in order. */
  readonly dense: readonly string[];
  /** Hidden layer widths. */
  readonly hidden: readonly number[];
  /**
   * Wide & deep: a linear term over the dense features is added to the deep network's logit, initialised to the
   * stage-1 (neighbourhood) score with the deep output at 0, so an untrained model ranks like stage 1 and training
   * learns corrections — robust when the shop has little history.
   */
  readonly wide: boolean;
  /** Categories seen in the training data (used to check a base model fits the shop's catalog). */
  readonly categories: readonly string[];
}

/** Names of the dense per-candidate features (see `denseFeatures`). */
export const DENSE_FEATURES = [
  'heuristic',
  'category_affinity',
  'brand_affinity',
  'product_affinity',
  'query_match',
  'popularity',
  'seen_not_clicked',
  'clicked_before',
  'carted_before',
  'same_category_as_last',
  'same_category_recent5',
  'price_fit',
  'token_overlap',
  // Neighbourhood features (see `neighbour-index.ts`); 0 without a neighbour index.
  ...NEIGHBOUR_FEATURES,
  'stage1_relative',
  'shop_popularity',
] as const;

/** Sparse fields per item: category, brand, price band, `tokens` title tokens, then `attributes` attribute ids. */
export function sparseFields(schema: Pick<FeatureSchema, 'tokens' | 'attributes'>): number {
  return 3 + schema.tokens + schema.attributes;
}

/** The schema LocalRank builds models with (without `categories`, which come from the training data). */
export function defaultSchema(categories: readonly string[] = []): FeatureSchema {
  return {
    version: 3,
    vocab: 2048,
    dim: 8,
    tokens: 6,
    attributes: 4,
    priceEdges: [5, 10, 20, 35, 60, 100, 200],
    dense: DENSE_FEATURES,
    hidden: [32, 16],
    wide: true,
    categories: [...categories].sort(),
  };
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hashed vocabulary id (1 … vocab-1) of a field value; 0 is padding. */
export function featureId(field: string, value: string, vocab: number): number {
  return 1 + (fnv1a(`${field}\u0000${value.toLowerCase()}`) % (vocab - 1));
}

/**
 * Hash identifying what a model's inputs mean: everything in the schema except the training categories (a base
 * model fine-tuned on a device keeps its hash).
 */
export function schemaHash(schema: FeatureSchema): string {
  const { categories: _ignored, ...shape } = schema;
  return fnv1a(JSON.stringify(shape)).toString(16).padStart(8, '0');
}

/** Result of {@link checkSchemaFits}. */
export type SchemaFit = { ok: true } | { ok: false; reason: string };

/**
 * Checks that a base model's schema can be used with this LocalRank build and this catalog: same feature layout
 * (hash) and at least half of the catalog's categories known to the model.
 */
export function checkSchemaFits(schema: unknown, expected: FeatureSchema, catalogCategories: readonly string[]): SchemaFit {
  if (typeof schema !== 'object' || schema === null) return { ok: false, reason: 'the feature schema is not an object' };
  const s = schema as FeatureSchema;
  if (!Array.isArray(s.dense) || !Array.isArray(s.hidden) || !Array.isArray(s.priceEdges) || !Array.isArray(s.categories)) {
    return { ok: false, reason: 'the feature schema lacks dense/hidden/priceEdges/categories' };
  }
  if (schemaHash(s) !== schemaHash(expected)) {
    return { ok: false, reason: `feature layout ${schemaHash(s)} differs from this LocalRank's ${schemaHash(expected)} (version ${s.version} vs ${expected.version})` };
  }
  const known = new Set(s.categories);
  const cats = [...new Set(catalogCategories)];
  const covered = cats.filter((c) => known.has(c)).length;
  if (cats.length > 0 && covered / cats.length < 0.5) {
    return { ok: false, reason: `the model knows ${covered} of the catalog's ${cats.length} categories` };
  }
  return { ok: true };
}
