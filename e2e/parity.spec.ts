/**
 * Browser parity of the offline evaluation: `model_base` trained in Node (tfjs cpu) on a fixed small user sample,
 * written with the same files `localrank train` writes, loaded by the widget in Chromium with the WebGL backend,
 * and asked to score the same candidate batches with its tfjs graph. Ranking metrics must match Node's.
 *
 * Tolerance: logits within 1e-3 (float32 on both sides; SwiftShader WebGL2 computes in float32), and HR@10 /
 * NDCG@10 / MRR within 0.005 (a near-tie can swap two neighbours; with 100 cases one swap moves HR@10 by 0.01 at
 * most, and we saw none).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from '@playwright/test';
import { writeModelFiles } from '../cli/write-model-files';
import { createRandom } from '../src/core/create-random';
import type { FeatureBatch } from '../src/core/featurize';
import { featurize } from '../src/core/featurize';
import { defaultSchema } from '../src/core/feature-schema';
import { buildNeighbourIndex } from '../src/core/neighbour-index';
import { historyProduct } from '../src/core/history-product';
import type { Product } from '../src/core/product';
import '../src/model/hashed-embedding';
import { shopperCandidates, trainBaseModel } from '../src/model/train-base-model';
import { toInputs } from '../src/model/train-model';
import { waitForReady } from './helpers';

test.setTimeout(300_000);

const DATA = process.env.LOCALRANK_DATASETS ?? new URL('../../shared/datasets/', import.meta.url).pathname;
const BEAUTY = join(DATA, 'amazon-beauty', 'Beauty.txt');
const USERS = 400;
const CASES = 100;

/** The fixed sample: the first 400 Beauty users when the datasets are here, else synthetic ring-walk sequences. */
function sequences(): { source: string; seqs: string[][] } {
  if (existsSync(BEAUTY)) {
    const lines = readFileSync(BEAUTY, 'utf8').split('\n').filter(Boolean).slice(0, USERS);
    return { source: `first ${USERS} users of amazon-beauty/Beauty.txt`, seqs: lines.map((l) => l.split(' ').slice(1)) };
  }
  const random = createRandom(5);
  const seqs: string[][] = [];
  for (let u = 0; u < USERS; u++) {
    let item = Math.floor(random() * 150);
    const seq = [String(item)];
    while (seq.length < 6) {
      item = random() < 0.8 ? (item + 1) % 150 : Math.floor(random() * 150);
      if (!seq.includes(String(item))) seq.push(String(item));
    }
    seqs.push(seq);
  }
  return { source: `${USERS} synthetic users (../shared/datasets absent)`, seqs };
}

function metrics(cases: ReadonlyArray<{ target: number }>, scores: ReadonlyArray<ArrayLike<number>>): Record<string, number> {
  let hr = 0;
  let ndcg = 0;
  let mrr = 0;
  cases.forEach((c, i) => {
    if (c.target < 0) return; // stage 1 missed the target: a miss for any reranker
    const s = scores[i]!;
    let rank = 1;
    for (let k = 0; k < s.length; k++) if (k !== c.target && s[k]! > s[c.target]!) rank++;
    if (rank <= 10) {
      hr++;
      ndcg += 1 / Math.log2(rank + 1);
    }
    mrr += 1 / rank;
  });
  return { 'HR@10': hr / cases.length, 'NDCG@10': ndcg / cases.length, MRR: mrr / cases.length };
}

test('model_base ranks the same in Chromium (WebGL) as in Node', async ({ page }) => {
  await tf.setBackend('cpu');
  const { source, seqs } = sequences();
  const items = [...new Set(seqs.flat())];
  const catalog: Product[] = items.map((id) => historyProduct(id, { category: 'beauty' }));
  const schema = defaultSchema(['beauty']);
  // Leave-one-out as in the evaluator: the base model learns from everything but each user's last two items.
  const base = await trainBaseModel(
    seqs.map((s) => ({ items: s.slice(0, -2) })),
    catalog,
    { schema, seed: 11, epochs: 2 },
  );
  const testIndex = buildNeighbourIndex(
    seqs.map((s) => s.slice(0, -1)),
    base.index.params,
  );
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const cases: Array<{ batch: FeatureBatch; target: number }> = [];
  for (const s of seqs) {
    if (cases.length >= CASES) break;
    const { ctx, candidates } = shopperCandidates(s.slice(0, -1), undefined, byId, schema, testIndex, 100);
    if (candidates.length < 2) continue;
    const rows = candidates.map((id) => byId.get(id)!);
    cases.push({ batch: featurize(rows, ctx, schema, rows), target: candidates.indexOf(s.at(-1)!) });
  }
  const nodeScores = cases.map((c) => tf.tidy(() => (base.model.predict(toInputs(c.batch, schema)) as tf.Tensor).dataSync() as Float32Array));

  const dir = mkdtempSync(join(tmpdir(), 'lr-parity-'));
  mkdirSync(dir, { recursive: true });
  await writeModelFiles(dir, base.model, schema, base.index, 'e2e/parity.spec.ts');
  base.model.dispose();
  await page.route('**/parity-model/*', (r) => {
    const name = new URL(r.request().url()).pathname.split('/').pop()!;
    return r.fulfill({ path: join(dir, name) });
  });
  await page.route('**/parity-catalog.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify(catalog.map((p) => ({ id: p.id, title: `Item ${p.id}`, category: p.category }))) }));
  await page.route('**/e2e-parity.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><script type="module" src="/localrank.js" data-catalog="/parity-catalog.json" data-model="/parity-model/" data-backend="webgl"></script></head><body data-localrank-page="home"><div data-localrank-widget="for-you"></div></body></html>`,
    }),
  );
  await page.goto('/e2e-parity.html');
  await waitForReady(page);
  await expect.poll(() => page.evaluate(() => window.LocalRank!.status().model.source), { timeout: 200_000 }).toBe('base');
  const browser = await page.evaluate(async (batches) => {
    const typed = batches.map((b) => ({ size: b.size, item: Int32Array.from(b.item), user: Int32Array.from(b.user), dense: Float32Array.from(b.dense) }));
    const r = await window.LocalRank!.diagnose({ score: typed });
    return r ? { backend: r.backend, scores: r.scores.map((s) => Array.from(s)) } : undefined;
  }, cases.map((c) => ({ size: c.batch.size, item: Array.from(c.batch.item), user: Array.from(c.batch.user), dense: Array.from(c.batch.dense) })));
  const status = await page.evaluate(() => window.LocalRank!.status());
  expect(status.backend).toBe('webgl');
  expect(browser!.backend).toBe('webgl');
  expect(browser!.scores).toHaveLength(cases.length);

  let maxDiff = 0;
  browser!.scores.forEach((s, i) => s.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - nodeScores[i]![k]!)))));
  const node = metrics(cases, nodeScores);
  const chromium = metrics(cases, browser!.scores);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/parity.json', JSON.stringify({ source, cases: cases.length, backend: browser!.backend, backendReason: status.backendReason, maxLogitDiff: maxDiff, node, chromium }, null, 2) + '\n');
  expect(maxDiff).toBeLessThan(1e-3);
  for (const k of Object.keys(node)) expect(Math.abs(chromium[k]! - node[k]!), k).toBeLessThanOrEqual(0.005);
  // The comparison means something only if the model ranks at all on this sample.
  expect(node.MRR).toBeGreaterThan(0);
});
