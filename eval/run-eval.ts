/**
 * Offline evaluation (work in progress: the baselines `popular` and `itemknn` so far; the model variants come next).
 *
 *   npm run eval -- --data ../shared/datasets/amazon-beauty/Beauty.txt [--format s3rec|events] [--json out.json]
 *                   [--users N] [--seed S]
 *
 * Protocol: S3-Rec leave-one-out (see eval/leave-one-out.ts). Hyper-parameters are chosen on the validation stage;
 * the test stage is evaluated once per method with the chosen ones.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRandom } from '../src/core/create-random';
import type { ItemKnnParams } from './baselines';
import { fitItemKnn, fitPopular } from './baselines';
import type { MethodResult } from './evaluate';
import { evaluate } from './evaluate';
import { indexSequences, stageView } from './leave-one-out';
import { InputError, loadEventsCsv, loadS3Rec } from './load-sequences';

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      attributes: { type: 'string' },
      format: { type: 'string', default: 's3rec' },
      json: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string', default: '42' },
    },
  });
  if (!values.data) throw new Error('--data <file> is required');
  const seed = Number(values.seed);
  const loaded = values.format === 'events' ? loadEventsCsv(values.data) : loadS3Rec(values.data, values.attributes);
  const data = indexSequences(loaded.sequences);
  const items = data.items.length;
  const valid = stageView(data, 'valid');
  const test = stageView(data, 'test');
  let users: number[] | undefined;
  if (values.users) {
    const n = Number(values.users);
    const random = createRandom(seed);
    const all = data.users.map((_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    users = all.slice(0, n).sort((a, b) => a - b);
  }
  const timings: Record<string, number> = {};
  const results: Record<string, MethodResult & { params?: unknown; validation?: Record<string, number> }> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const out = f();
    timings[name] = +((performance.now() - t0) / 1000).toFixed(2);
    return out;
  };

  timed('popular', () => {
    const v = evaluate(fitPopular(valid.histories, items), valid, data.sequences, items, seed, users);
    const t = evaluate(fitPopular(test.histories, items), test, data.sequences, items, seed, users);
    results.popular = { ...t, validation: v.full };
  });

  timed('itemknn', () => {
    // Tuned on the validation stage only (NDCG@10, full ranking); the test stage is read once with the winner.
    const grid: ItemKnnParams[] = [];
    for (const neighbours of [50, 200]) for (const decay of [1, 0.7, 0.4]) for (const transitions of [0, 1, 3]) grid.push({ neighbours, decay, transitions, shrink: 5 });
    let best: { params: ItemKnnParams; v: MethodResult } | undefined;
    for (const params of grid) {
      const v = evaluate(fitItemKnn(valid.histories, items, params), valid, data.sequences, items, seed, users);
      if (!best || v.full['NDCG@10']! > best.v.full['NDCG@10']!) best = { params, v };
    }
    const t = evaluate(fitItemKnn(test.histories, items, best!.params), test, data.sequences, items, seed, users);
    results.itemknn = { ...t, params: best!.params, validation: best!.v.full };
  });

  const out = {
    dataset: values.data.split('/').slice(-2).join('/'),
    users: users?.length ?? data.users.length,
    items,
    protocol: 'leave-one-out (S3-Rec): last item = test, second-to-last = validation; full ranking excludes the history; sampled99 = 99 uniform negatives never interacted with',
    seed,
    results,
    timings_s: timings,
  };
  const text = JSON.stringify(out, null, 2);
  if (values.json) writeFileSync(values.json, text + '\n');
  console.log(text);
}

try {
  main();
} catch (error) {
  console.error(error instanceof InputError ? `localrank eval: ${error.message}` : `localrank eval: ${(error as Error).message}`);
  process.exitCode = 1;
}
