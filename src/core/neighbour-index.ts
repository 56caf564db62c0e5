/**
 * Item neighbourhoods learned from many shoppers' histories (shop side, shipped with the base model) or from the
 * shopper's own log (device side): top-K co-occurrence neighbours (cosine with shrinkage) and item → next-item
 * transitions, plus how many histories contain each item. Neighbourhood scores are the strongest signal on real
 * e-commerce data (Ludewig & Jannach 2018); the model uses them as candidate generator and as input features.
 */
export interface NeighbourList {
  readonly ids: readonly string[];
  readonly scores: Float32Array;
}

/** Parameters of the stage-1 score and of the index's size. */
export interface NeighbourParams {
  /** Neighbours kept per item (default 50). */
  readonly neighbours: number;
  /** Shrinkage added to the cosine denominator (default 5): down-weights pairs seen together by chance. */
  readonly shrink: number;
  /** Weight of the history item d steps before the newest: decay^d (default 0.4). */
  readonly decay: number;
  /** Weight of transitions relative to co-occurrence in the stage-1 score (default 1). */
  readonly transitions: number;
}

/** Default {@link NeighbourParams}. */
export const DEFAULT_NEIGHBOUR_PARAMS: NeighbourParams = { neighbours: 50, shrink: 5, decay: 0.4, transitions: 1 };

/** A neighbour index (see module comment). */
export interface NeighbourIndex {
  readonly params: NeighbourParams;
  readonly similar: ReadonlyMap<string, NeighbourList>;
  readonly next: ReadonlyMap<string, NeighbourList>;
  /** Item → number of histories containing it. */
  readonly counts: ReadonlyMap<string, number>;
  /** Largest value in `counts` (for normalising). */
  readonly maxCount: number;
}

/** An index with nothing in it (no base model, no history yet). */
export const EMPTY_NEIGHBOUR_INDEX: NeighbourIndex = { params: DEFAULT_NEIGHBOUR_PARAMS, similar: new Map(), next: new Map(), counts: new Map(), maxCount: 0 };

/**
 * Builds a {@link NeighbourIndex} from histories (each oldest first). Co-occurrence counts each distinct pair once
 * per history; transitions count consecutive distinct items. Pure and deterministic (ties broken by id order of
 * first appearance).
 */
export function buildNeighbourIndex(histories: Iterable<readonly string[]>, params: Partial<NeighbourParams> = {}): NeighbourIndex {
  const p = { ...DEFAULT_NEIGHBOUR_PARAMS, ...params };
  const index = new Map<string, number>();
  const ids: string[] = [];
  const id = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = ids.length;
      index.set(s, i);
      ids.push(s);
    }
    return i;
  };
  const count: number[] = [];
  const co: Array<Map<number, number>> = [];
  const nx: Array<Map<number, number>> = [];
  const row = (m: Array<Map<number, number>>, i: number): Map<number, number> => (m[i] ??= new Map());
  for (const h of histories) {
    const seq = h.map(id);
    const unique = [...new Set(seq)];
    for (const i of unique) count[i] = (count[i] ?? 0) + 1;
    for (let x = 0; x < unique.length; x++) {
      const a = unique[x]!;
      for (let y = x + 1; y < unique.length; y++) {
        const b = unique[y]!;
        const ra = row(co, a);
        ra.set(b, (ra.get(b) ?? 0) + 1);
        const rb = row(co, b);
        rb.set(a, (rb.get(a) ?? 0) + 1);
      }
    }
    for (let x = 0; x + 1 < seq.length; x++) {
      if (seq[x] === seq[x + 1]) continue;
      const r = row(nx, seq[x]!);
      r.set(seq[x + 1]!, (r.get(seq[x + 1]!) ?? 0) + 1);
    }
  }
  const top = (r: Map<number, number> | undefined, weight: (j: number, c: number) => number): NeighbourList | undefined => {
    if (!r || r.size === 0) return undefined;
    const list = [...r].map(([j, c]) => [j, weight(j, c)] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, p.neighbours);
    return { ids: list.map(([j]) => ids[j]!), scores: Float32Array.from(list, ([, s]) => s) };
  };
  const similar = new Map<string, NeighbourList>();
  const next = new Map<string, NeighbourList>();
  const counts = new Map<string, number>();
  let maxCount = 0;
  ids.forEach((name, i) => {
    counts.set(name, count[i] ?? 0);
    maxCount = Math.max(maxCount, count[i] ?? 0);
    const s = top(co[i], (j, c) => c / (Math.sqrt((count[i] ?? 0) * (count[j] ?? 0)) + p.shrink));
    if (s) similar.set(name, s);
    let total = 0;
    for (const c of nx[i]?.values() ?? []) total += c;
    const t = top(nx[i], (_j, c) => c / (total + p.shrink));
    if (t) next.set(name, t);
  });
  return { params: p, similar, next, counts, maxCount };
}

/** Names of the per-candidate neighbourhood features, in order (see {@link neighbourScores}). */
export const NEIGHBOUR_FEATURES = ['stage1', 'knn_recent', 'knn_all', 'knn_last', 'trans_last', 'trans_recent', 'knn_support'] as const;

/** Per-candidate neighbourhood features of one shopper, by product id. */
export type NeighbourScores = ReadonlyMap<string, Float32Array>;

/**
 * Neighbourhood features of every item reachable from the shopper's recent items (`recent`, newest first): the
 * stage-1 score (`Σ decay^d (sim + transitions·trans)`, the tuned item-kNN), co-occurrence with recency decay 0.5
 * and without decay, similarity to and transition from the newest item, decayed transitions, and the share of
 * recent items that list the candidate as a neighbour. Items not in the map score 0 on all of them.
 */
export function neighbourScores(recent: readonly string[], index: NeighbourIndex, maxHistory = 50): NeighbourScores {
  const out = new Map<string, Float32Array>();
  const n = Math.min(recent.length, maxHistory);
  const f = NEIGHBOUR_FEATURES.length;
  const slot = (j: string): Float32Array => {
    let v = out.get(j);
    if (!v) out.set(j, (v = new Float32Array(f)));
    return v;
  };
  const { decay, transitions } = index.params;
  for (let d = 0; d < n; d++) {
    const w = Math.pow(decay, d);
    const half = Math.pow(0.5, d);
    const sims = index.similar.get(recent[d]!);
    if (sims) {
      for (let k = 0; k < sims.ids.length; k++) {
        const v = slot(sims.ids[k]!);
        const s = sims.scores[k]!;
        v[0]! += w * s;
        v[1]! += half * s;
        v[2]! += s;
        if (d === 0) v[3] = s;
        v[6]! += 1 / n;
      }
    }
    const trans = index.next.get(recent[d]!);
    if (trans) {
      for (let k = 0; k < trans.ids.length; k++) {
        const v = slot(trans.ids[k]!);
        const t = trans.scores[k]!;
        v[0]! += w * transitions * t;
        if (d === 0) v[4] = t;
        v[5]! += half * t;
      }
    }
  }
  return out;
}

/** The `k` items with the highest stage-1 score, best first, excluding `exclude`. */
export function topCandidates(scores: NeighbourScores, k: number, exclude: ReadonlySet<string> = new Set()): string[] {
  const list: Array<[string, number]> = [];
  for (const [id, v] of scores) if (!exclude.has(id)) list.push([id, v[0]!]);
  list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return list.slice(0, k).map(([id]) => id);
}

/** The shipped form of a {@link NeighbourIndex}: item ids once, neighbours as indices, scores rounded to 1e-4. */
export interface EncodedNeighbourIndex {
  readonly format: 'localrank-neighbours';
  readonly version: 1;
  readonly params: NeighbourParams;
  readonly items: readonly string[];
  readonly counts: readonly number[];
  /** Per item (same order as `items`): `[j1, s1, j2, s2, …]` with s scaled by 1e4 and rounded. */
  readonly similar: ReadonlyArray<readonly number[]>;
  readonly next: ReadonlyArray<readonly number[]>;
}

/** Encodes an index for shipping as JSON (`neighbours.json` beside the base model). */
export function encodeNeighbourIndex(index: NeighbourIndex): EncodedNeighbourIndex {
  const items = [...index.counts.keys()];
  const pos = new Map(items.map((id, i) => [id, i]));
  const pack = (l: NeighbourList | undefined): number[] => {
    const out: number[] = [];
    if (l) l.ids.forEach((id, k) => out.push(pos.get(id)!, Math.round(l.scores[k]! * 1e4)));
    return out;
  };
  return {
    format: 'localrank-neighbours',
    version: 1,
    params: index.params,
    items,
    counts: items.map((id) => index.counts.get(id)!),
    similar: items.map((id) => pack(index.similar.get(id))),
    next: items.map((id) => pack(index.next.get(id))),
  };
}

/**
 * Decodes `neighbours.json`. Throws an `Error` saying what is wrong when the data is not a valid encoded index
 * (callers turn it into an error event and carry on without neighbours).
 */
export function decodeNeighbourIndex(data: unknown): NeighbourIndex {
  const e = data as EncodedNeighbourIndex;
  if (typeof e !== 'object' || e === null || e.format !== 'localrank-neighbours' || e.version !== 1) throw new Error('not a localrank-neighbours v1 file');
  if (!Array.isArray(e.items) || !Array.isArray(e.counts) || !Array.isArray(e.similar) || !Array.isArray(e.next)) throw new Error('items/counts/similar/next must be arrays');
  const n = e.items.length;
  if (e.counts.length !== n || e.similar.length !== n || e.next.length !== n) throw new Error('items, counts, similar and next must have the same length');
  const params = { ...DEFAULT_NEIGHBOUR_PARAMS, ...(typeof e.params === 'object' && e.params ? e.params : {}) };
  const unpack = (row: unknown, i: number): NeighbourList | undefined => {
    if (!Array.isArray(row) || row.length % 2) throw new Error(`neighbour row ${i} is not [index, score, …]`);
    if (row.length === 0) return undefined;
    const ids: string[] = [];
    const scores = new Float32Array(row.length / 2);
    for (let k = 0; k < row.length; k += 2) {
      const j = row[k];
      if (!Number.isInteger(j) || j < 0 || j >= n || !Number.isFinite(row[k + 1])) throw new Error(`neighbour row ${i} has a bad entry at ${k}`);
      ids.push(String(e.items[j]));
      scores[k / 2] = row[k + 1] / 1e4;
    }
    return { ids, scores };
  };
  const similar = new Map<string, NeighbourList>();
  const next = new Map<string, NeighbourList>();
  const counts = new Map<string, number>();
  let maxCount = 0;
  e.items.forEach((raw, i) => {
    const id = String(raw);
    const c = Number(e.counts[i]) || 0;
    counts.set(id, c);
    maxCount = Math.max(maxCount, c);
    const s = unpack(e.similar[i], i);
    if (s) similar.set(id, s);
    const t = unpack(e.next[i], i);
    if (t) next.set(id, t);
  });
  return { params, similar, next, counts, maxCount };
}

/**
 * A {@link NeighbourIndex} as a few flat arrays: what the training worker posts to the page. Structured cloning the
 * index itself (two maps of ~1,000 lists of 50 id strings each) took one long main-thread task to receive; a
 * string table and typed arrays clone fast, and {@link createNeighbourUnpacker} rebuilds the maps in steps.
 */
export interface PackedNeighbourIndex {
  readonly params: NeighbourParams;
  /** Item ids; the lists below refer to items by their position here. */
  readonly items: readonly string[];
  readonly counts: Float64Array;
  readonly maxCount: number;
  /** Per item `i`, its similar list is `similarIds/Scores[similarStart[i] … similarStart[i + 1])` (empty: no list). */
  readonly similarStart: Int32Array;
  readonly similarIds: Int32Array;
  readonly similarScores: Float32Array;
  /** The same for the next-item lists. */
  readonly nextStart: Int32Array;
  readonly nextIds: Int32Array;
  readonly nextScores: Float32Array;
}

/** Packs a {@link NeighbourIndex} (see {@link PackedNeighbourIndex}); ids listed only as neighbours join the table. */
export function packNeighbourIndex(index: NeighbourIndex): PackedNeighbourIndex {
  const position = new Map<string, number>();
  const items: string[] = [];
  const at = (id: string): number => {
    let i = position.get(id);
    if (i === undefined) position.set(id, (i = items.push(id) - 1));
    return i;
  };
  for (const id of index.counts.keys()) at(id);
  for (const id of index.similar.keys()) at(id);
  for (const id of index.next.keys()) at(id);
  const owners = items.length;
  const lists = (map: ReadonlyMap<string, NeighbourList>): { start: Int32Array; ids: Int32Array; scores: Float32Array } => {
    let total = 0;
    for (let i = 0; i < owners; i++) total += map.get(items[i]!)?.ids.length ?? 0;
    const start = new Int32Array(owners + 1);
    const ids = new Int32Array(total);
    const scores = new Float32Array(total);
    let k = 0;
    for (let i = 0; i < owners; i++) {
      start[i] = k;
      const list = map.get(items[i]!);
      if (list) {
        for (let j = 0; j < list.ids.length; j++) ids[k + j] = at(list.ids[j]!);
        scores.set(list.scores.subarray(0, list.ids.length), k);
        k += list.ids.length;
      }
    }
    start[owners] = k;
    return { start, ids, scores };
  };
  const similar = lists(index.similar);
  const next = lists(index.next);
  const counts = new Float64Array(owners).fill(Number.NaN);
  for (let i = 0; i < owners; i++) {
    const c = index.counts.get(items[i]!);
    if (c !== undefined) counts[i] = c;
  }
  return {
    params: index.params,
    items,
    counts,
    maxCount: index.maxCount,
    similarStart: similar.start,
    similarIds: similar.ids,
    similarScores: similar.scores,
    nextStart: next.start,
    nextIds: next.ids,
    nextScores: next.scores,
  };
}

/** Rebuilds a {@link NeighbourIndex} from its packed form in steps (see {@link createNeighbourUnpacker}). */
export interface NeighbourUnpacker {
  /** Unpacks the lists of up to `items` more items; `true` once every item is done. */
  step(items: number): boolean;
  /** The index (complete once `step` returned `true`). */
  result(): NeighbourIndex;
}

/**
 * Unpacks a {@link PackedNeighbourIndex} a few items at a time, so the page can spread the work over several tasks.
 * The result equals the packed index (list scores are views into the packed arrays).
 */
export function createNeighbourUnpacker(packed: PackedNeighbourIndex): NeighbourUnpacker {
  const similar = new Map<string, NeighbourList>();
  const next = new Map<string, NeighbourList>();
  const counts = new Map<string, number>();
  const owners = packed.similarStart.length - 1;
  const list = (start: Int32Array, ids: Int32Array, scores: Float32Array, i: number): NeighbourList | undefined => {
    const a = start[i]!;
    const b = start[i + 1]!;
    if (b <= a) return undefined;
    const out: string[] = new Array<string>(b - a);
    for (let k = a; k < b; k++) out[k - a] = packed.items[ids[k]!]!;
    return { ids: out, scores: scores.subarray(a, b) };
  };
  let i = 0;
  return {
    step(n) {
      const end = Math.min(owners, i + Math.max(1, n));
      for (; i < end; i++) {
        const id = packed.items[i]!;
        const c = packed.counts[i]!;
        if (!Number.isNaN(c)) counts.set(id, c);
        const s = list(packed.similarStart, packed.similarIds, packed.similarScores, i);
        if (s) similar.set(id, s);
        const t = list(packed.nextStart, packed.nextIds, packed.nextScores, i);
        if (t) next.set(id, t);
      }
      return i >= owners;
    },
    result: () => ({ params: packed.params, similar, next, counts, maxCount: packed.maxCount }),
  };
}
