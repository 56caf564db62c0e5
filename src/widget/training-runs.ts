import type { TrainProgress } from '../model/worker-protocol';

/** One training run: each epoch's loss and validation, and how it ended. */
export interface TrainingRun {
  readonly origin: TrainProgress['origin'];
  readonly epochs: number | undefined;
  readonly examples: number | undefined;
  readonly points: readonly { readonly epoch: number; readonly loss: number | undefined; readonly model: number | undefined; readonly heuristic: number | undefined }[];
  /** The latest phase: `start`/`epoch` while it runs, then `done`, `rejected`, `stopped` or `failed`. */
  readonly phase: TrainProgress['phase'];
  readonly validation: TrainProgress['validation'];
  readonly message: string | undefined;
}

/**
 * Groups a page's training progress events into runs (pure): a `start` opens a run, `epoch`s add points, and the
 * first `done` / `rejected` / `stopped` / `failed` ends it; an end without a `start` (a worker that died before
 * its run began) is a run of its own. Returns the last `limit` runs, oldest first.
 */
export function trainingRuns(progress: readonly TrainProgress[], limit = 5): TrainingRun[] {
  type Mutable = { -readonly [K in keyof TrainingRun]: TrainingRun[K] } & { points: TrainingRun['points'][number][] };
  const runs: Mutable[] = [];
  for (const p of progress) {
    let run = runs.at(-1);
    if (p.phase === 'start' || !run || (run.phase !== 'start' && run.phase !== 'epoch')) {
      run = { origin: p.origin, epochs: p.epochs, examples: p.examples, points: [], phase: p.phase, validation: undefined, message: undefined };
      runs.push(run);
    }
    run.phase = p.phase;
    if (p.phase === 'epoch' && p.epoch !== undefined) {
      run.points.push({ epoch: p.epoch, loss: p.loss, model: p.validation?.model, heuristic: p.validation?.heuristic });
    }
    if (p.validation) run.validation = p.validation;
    if (p.examples !== undefined) run.examples = p.examples;
    if (p.message) run.message = p.message;
  }
  return runs.slice(-limit);
}
