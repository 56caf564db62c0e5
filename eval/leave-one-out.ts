/** Item-indexed sequences: every item id mapped to 0 … items-1. */
export interface IndexedData {
  readonly users: readonly string[];
  readonly items: readonly string[];
  readonly sequences: readonly Int32Array[];
}

/** Maps item ids to dense indices (in order of first appearance) and sequences to Int32Arrays. */
export function indexSequences(sequences: ReadonlyMap<string, readonly string[]>): IndexedData {
  const index = new Map<string, number>();
  const items: string[] = [];
  const users: string[] = [];
  const out: Int32Array[] = [];
  for (const [user, seq] of sequences) {
    users.push(user);
    out.push(
      Int32Array.from(seq, (item) => {
        let i = index.get(item);
        if (i === undefined) {
          i = items.length;
          index.set(item, i);
          items.push(item);
        }
        return i;
      }),
    );
  }
  return { users, items, sequences: out };
}

/** One stage of the leave-one-out protocol. */
export interface StageView {
  /** Per user: what the model sees (validation: all but the last two items; test: all but the last). */
  readonly histories: readonly Int32Array[];
  /** Per user: the item to predict (validation: second-to-last; test: last); -1 when the user is too short. */
  readonly targets: Int32Array;
}

/**
 * The S3-Rec leave-one-out split: last item = test target, second-to-last = validation target, the rest =
 * training. At test time the history is the sequence without its last item. Statistics a method learns (popularity,
 * neighbours) must come from `histories` of the same stage only — never from the targets.
 */
export function stageView(data: IndexedData, stage: 'valid' | 'test'): StageView {
  const cut = stage === 'test' ? 1 : 2;
  const targets = new Int32Array(data.sequences.length).fill(-1);
  const histories = data.sequences.map((seq, u) => {
    if (seq.length <= cut) return new Int32Array(0);
    targets[u] = seq[seq.length - cut]!;
    return seq.subarray(0, seq.length - cut);
  });
  return { histories, targets };
}
