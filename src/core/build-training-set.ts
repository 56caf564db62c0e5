import { buildProfile } from './build-profile';
import type { Counter } from './counter';
import { createRandom } from './create-random';
import type { FeatureBatch } from './featurize';
import { featurize, shopperContext } from './featurize';
import { sparseFields } from './feature-schema';
import type { FeatureSchema } from './feature-schema';
import type { Interaction } from './interaction';
import type { NeighbourIndex } from './neighbour-index';
import { topCandidates } from './neighbour-index';
import type { Product } from './product';

/** Labelled examples: a feature batch plus one 0/1 label per row. */
export interface LabelledBatch extends FeatureBatch {
  readonly labels: Float32Array;
}

/** One validation case: the item the shopper engaged with, ranked among sampled items they did not. */
export interface RankingCase {
  /** Row 0 is the positive, the rest are negatives. */
  readonly batch: FeatureBatch;
}

/** Output of {@link buildTrainingSet}. */
export interface TrainingSet {
  readonly train: LabelledBatch;
  readonly validation: readonly RankingCase[];
  /** Positive events used (train + validation). */
  readonly positives: number;
}

/** Options of {@link buildTrainingSet}. */
export interface TrainingSetOptions {
  readonly schema: FeatureSchema;
  readonly halfLifeMs: number;
  readonly seed: number;
  /** Sampled catalog negatives per positive (default 4). */
  readonly negatives?: number;
  /** Negatives per validation case (default 20). */
  readonly validationNegatives?: number;
  /** Share of the most recent positives held out for validation (default 0.2, at least 1 when ≥ 2 positives). */
  readonly validationShare?: number;
  /** Only the most recent positives are used (default 400) — bounds the cost on a device. */
  readonly maxPositives?: number;
  /** History window before each positive (default 300 events). */
  readonly historyWindow?: number;
  /**
   * The shop's neighbour index: neighbourhood features, and half of the sampled negatives come from the shopper's
   * stage-1 candidates at that moment (the items the model must learn to order).
   */
  readonly index?: NeighbourIndex;
}

/** Dwell shorter than this is not a positive signal. */
export const LONG_DWELL_MS = 10_000;

/** Whether an interaction says "the shopper wanted this": click, cart, purchase or a long dwell. */
export function isPositive(e: Interaction): boolean {
  return e.type === 'click' || e.type === 'add-to-cart' || e.type === 'purchase' || (e.type === 'dwell' && (e.dwellMs ?? 0) >= LONG_DWELL_MS);
}

/** Concatenates labelled batches (e.g. the examples of many shoppers for a base model). */
export function concatLabelled(batches: readonly LabelledBatch[], fields: number, d: number): LabelledBatch {
  const size = batches.reduce((n, b) => n + b.size, 0);
  const out = { size, item: new Int32Array(size * fields), user: new Int32Array(size * fields), dense: new Float32Array(size * d), labels: new Float32Array(size) };
  let row = 0;
  for (const b of batches) {
    out.item.set(b.item, row * fields);
    out.user.set(b.user, row * fields);
    out.dense.set(b.dense, row * d);
    out.labels.set(b.labels, row);
    row += b.size;
  }
  return out;
}

/**
 * Number of distinct known products the shopper engaged with (a positive event): what "events seen" counts for
 * the model, and what the retraining schedule compares.
 */
export function engagedProducts(events: readonly Interaction[], known: ReadonlyMap<string, Product>): number {
  const engaged = new Set<string>();
  for (const e of events) {
    const id = engagedProductOf(e, known);
    if (id !== undefined) engaged.add(id);
  }
  return engaged.size;
}

/** The known product an event engages with (a positive event on it), or `undefined`: what {@link engagedProducts} counts. */
export function engagedProductOf(e: Interaction, known: ReadonlyMap<string, Product>): string | undefined {
  return e.productId && isPositive(e) && known.has(e.productId) ? e.productId : undefined;
}

/**
 * Turns the shopper's event log into training examples without looking ahead: for the first positive event on each
 * product, the
 * shopper's profile is rebuilt from the events *before* it; the product is a positive, products shown to the
 * shopper around that time without a click and products sampled from the catalog are negatives. The most recent
 * positives are held out as ranking cases for validation (the model is only kept if it ranks them better).
 * Deterministic for a given seed.
 */
export function buildTrainingSet(
  events: readonly Interaction[],
  counters: readonly Counter[],
  catalog: readonly Product[],
  options: TrainingSetOptions,
): TrainingSet {
  const { schema, halfLifeMs } = options;
  const fields = sparseFields(schema);
  const d = schema.dense.length;
  const random = createRandom(options.seed);
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const sorted = [...events].sort((a, b) => a.time - b.time || (a.id ?? 0) - (b.id ?? 0));
  // Only the first positive event per product is an example: a cart or a long dwell right after the click on the
  // same product would be trivially predicted by "clicked before" and inflate the validation metric.
  const positiveIdx: number[] = [];
  const engaged = new Set<string>();
  sorted.forEach((e, i) => {
    if (!isPositive(e) || !e.productId || !byId.has(e.productId) || engaged.has(e.productId)) return;
    engaged.add(e.productId);
    positiveIdx.push(i);
  });
  const used = positiveIdx.slice(-(options.maxPositives ?? 400));
  const nVal = used.length >= 2 ? Math.max(1, Math.round(used.length * (options.validationShare ?? 0.2))) : 0;
  const trainIdx = used.slice(0, used.length - nVal);
  const valIdx = used.slice(used.length - nVal);
  const window = options.historyWindow ?? 300;
  const negatives = options.negatives ?? 4;

  const sample = (exclude: ReadonlySet<string>, k: number): Product[] => {
    const out: Product[] = [];
    for (let tries = 0; out.length < k && tries < k * 20; tries++) {
      const p = catalog[Math.floor(random() * catalog.length)]!;
      if (!exclude.has(p.id) && !out.includes(p)) out.push(p);
    }
    return out;
  };

  const contextAt = (i: number) => {
    const e = sorted[i]!;
    // The impression that led to this very click is not history: keeping it would teach the model that "seen and
    // not clicked (yet)" means "about to be clicked", the opposite of what it means at ranking time.
    const history = sorted
      .slice(Math.max(0, i - window), i)
      .filter((x) => !(x.type === 'impression' && x.productId === e.productId && e.time - x.time < 30 * 60_000));
    const profile = buildProfile(history, counters, byId, e.time, halfLifeMs);
    return { e, profile, ctx: shopperContext(profile, byId, schema, options.index) };
  };

  const batches: LabelledBatch[] = [];
  for (const i of trainIdx) {
    const { e, ctx } = contextAt(i);
    const positive = byId.get(e.productId!)!;
    const later = new Set(sorted.slice(i).filter((x) => x.productId && isPositive(x)).map((x) => x.productId!));
    // Shown but never engaged with, close in time: the strongest negatives the log has.
    const shown = sorted
      .slice(Math.max(0, i - 50), i + 50)
      .filter((x) => x.type === 'impression' && x.productId && x.productId !== positive.id && !later.has(x.productId) && Math.abs(x.time - e.time) < 30 * 60_000)
      .map((x) => byId.get(x.productId!))
      .filter((p): p is Product => !!p)
      .slice(0, 3);
    const avoid = new Set([positive.id, ...later]);
    const hard = options.index ? topCandidates(ctx.neighbours, 20, avoid).filter((id) => byId.has(id)) : [];
    const nHard = Math.min(hard.length, Math.floor(negatives / 2));
    const fromNeighbours: Product[] = [];
    for (let t = 0; fromNeighbours.length < nHard && t < nHard * 10; t++) {
      const p = byId.get(hard[Math.floor(random() * hard.length)]!)!;
      if (!fromNeighbours.includes(p)) fromNeighbours.push(p);
    }
    const neg = [...new Set([...shown, ...fromNeighbours, ...sample(avoid, negatives - fromNeighbours.length)])];
    const rows = [positive, ...neg];
    const f = featurize(rows, ctx, schema, catalog);
    const labels = new Float32Array(rows.length);
    labels[0] = 1;
    batches.push({ ...f, labels });
  }
  const validation: RankingCase[] = valIdx.map((i) => {
    const { e, ctx } = contextAt(i);
    const positive = byId.get(e.productId!)!;
    const rows = [positive, ...sample(new Set([positive.id]), options.validationNegatives ?? 20)];
    return { batch: featurize(rows, ctx, schema, catalog) };
  });
  return { train: concatLabelled(batches, fields, d), validation, positives: used.length };
}

/**
 * Mean reciprocal rank of the positive (row 0) in each case under `score` — the validation metric. Ties count
 * against the positive, so a constant scorer gets the worst rank.
 */
export function meanReciprocalRank(cases: readonly RankingCase[], score: (batch: FeatureBatch) => Float32Array): number {
  if (cases.length === 0) return 0;
  let sum = 0;
  for (const c of cases) {
    const s = score(c.batch);
    let rank = 1;
    for (let i = 1; i < s.length; i++) if (s[i]! >= s[0]!) rank++;
    sum += 1 / rank;
  }
  return sum / cases.length;
}
