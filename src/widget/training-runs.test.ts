import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../model/worker-protocol';
import { trainingRuns } from './training-runs';

describe('trainingRuns', () => {
  it('groups progress events into runs with per-epoch loss and validation, and how each ended', () => {
    const progress: TrainProgress[] = [
      { phase: 'start', origin: 'scratch', epochs: 3, examples: 40 },
      { phase: 'epoch', origin: 'scratch', epoch: 1, epochs: 3, loss: 0.7, validation: { model: 0.3, heuristic: 0.25, cases: 4 } },
      { phase: 'epoch', origin: 'scratch', epoch: 2, epochs: 3, loss: 0.5, validation: { model: 0.4, heuristic: 0.25, cases: 4 } },
      { phase: 'done', origin: 'scratch', validation: { model: 0.4, heuristic: 0.25, cases: 4 }, loss: 0.5 },
      { phase: 'start', origin: 'device', epochs: 6 },
      { phase: 'stopped', origin: 'device', message: 'input' },
      // A failure reported without a start (the worker died) is a run of its own.
      { phase: 'failed', origin: 'device', message: 'worker failed' },
    ];
    const runs = trainingRuns(progress);
    expect(runs.map((x) => [x.origin, x.phase, x.points.length])).toEqual([
      ['scratch', 'done', 2],
      ['device', 'stopped', 0],
      ['device', 'failed', 0],
    ]);
    expect(runs[0]!.points[1]).toEqual({ epoch: 2, loss: 0.5, model: 0.4, heuristic: 0.25 });
    expect(runs[0]!).toMatchObject({ epochs: 3, examples: 40, validation: { model: 0.4 } });
    expect(runs[2]!.message).toBe('worker failed');
  });

  it('keeps the last runs only', () => {
    const progress: TrainProgress[] = Array.from({ length: 8 }, (_, i) => ({ phase: 'start', origin: 'device', epochs: i }));
    expect(trainingRuns(progress).map((x) => x.epochs)).toEqual([3, 4, 5, 6, 7]);
    expect(trainingRuns([])).toEqual([]);
  });
});
