/**
 * `npx localrank train --data <file> [--attributes <file>] [--catalog <catalog.json>] --out <dir>`
 *
 * Trains the shop's base model from its own history and writes the files the widget loads through `data-model`.
 * Exits 1 with `file:line: expected …` on malformed input, 2 on bad usage.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { SingleBar, Presets } from 'cli-progress';
import { defaultSchema, schemaHash } from '../src/core/feature-schema';
import { historyProduct } from '../src/core/history-product';
import { parseCatalog } from '../src/core/parse-catalog';
import type { Product } from '../src/core/product';
import { countParams } from '../src/model/define-model';
import '../src/model/hashed-embedding';
import type { ShopHistory } from '../src/model/train-base-model';
import { trainBaseModel } from '../src/model/train-base-model';
import { InputError, loadAttributes, loadEventsCsv, loadS3Rec } from '../eval/load-sequences';
import { writeModelFiles } from './write-model-files';

const USAGE = `Usage: localrank train --data <file> [--format s3rec|events] [--attributes <file>] [--catalog <catalog.json>] --out <dir>
                       [--epochs 8] [--seed 42] [--neighbours 50] [--backend wasm|cpu]

  --data        the shop's history: an events CSV (user_id,item_id,timestamp[,event_type][,category]) or
                S3-Rec sequences ("user item item …" per line); the format follows the extension unless --format is given
  --attributes  JSON {"item": [attribute ids]} (S3-Rec attribute file), optional
  --catalog     the shop's LocalRank catalog JSON; products not in it are ignored. Without it, a catalog is built
                from the data (ids, categories, attributes)
  --out         folder to write model.json, weights.bin, feature-schema.json, neighbours.json, training-report.json`;

class UsageError extends Error {}

function catalogFromData(items: Iterable<string>, categories: ReadonlyMap<string, string>, attributes: ReadonlyMap<string, readonly string[]>, counts: ReadonlyMap<string, number>): Product[] {
  return [...items].map((id) => historyProduct(id, { category: categories.get(id), popularity: counts.get(id), attributes: attributes.get(id) }));
}

async function train(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      format: { type: 'string' },
      attributes: { type: 'string' },
      catalog: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string', default: '8' },
      seed: { type: 'string', default: '42' },
      neighbours: { type: 'string', default: '50' },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  if (!values.data || !values.out) throw new UsageError('--data and --out are required');
  for (const f of [values.data, values.attributes, values.catalog]) if (f && !existsSync(f)) throw new UsageError(`no such file: ${f}`);
  const format = values.format ?? (values.data.endsWith('.csv') ? 'events' : 's3rec');
  if (format !== 'events' && format !== 's3rec') throw new UsageError(`--format must be s3rec or events, got "${format}"`);
  const epochs = Number(values.epochs);
  const seed = Number(values.seed);
  const neighbours = Number(values.neighbours);
  if (!Number.isInteger(epochs) || epochs < 1 || !Number.isFinite(seed) || !Number.isInteger(neighbours) || neighbours < 1) {
    throw new UsageError('--epochs and --neighbours must be positive integers, --seed a number');
  }

  const loaded = format === 'events' ? { ...loadEventsCsv(values.data), attributes: values.attributes ? loadAttributes(values.attributes) : new Map() } : loadS3Rec(values.data, values.attributes);
  const types = 'types' in loaded ? (loaded.types as ReadonlyMap<string, readonly string[]>) : undefined;
  const histories: ShopHistory[] = [...loaded.sequences].map(([user, items]) => ({ items, types: types?.get(user) }));
  const counts = new Map<string, number>();
  for (const h of histories) for (const id of new Set(h.items)) counts.set(id, (counts.get(id) ?? 0) + 1);

  let catalog: readonly Product[];
  if (values.catalog) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(values.catalog, 'utf8'));
    } catch (error) {
      throw new InputError(values.catalog, 1, `JSON (${(error as Error).message})`);
    }
    const parsed = parseCatalog(json);
    if (parsed.fatal) throw new InputError(values.catalog, 1, parsed.fatal);
    catalog = parsed.products;
    const known = new Set(catalog.map((p) => p.id));
    const unknown = [...counts.keys()].filter((id) => !known.has(id)).length;
    if (unknown) console.error(`localrank train: ${unknown} of ${counts.size} items in the history are not in the catalog; they are ignored`);
  } else {
    catalog = catalogFromData(counts.keys(), loaded.categories, loaded.attributes, counts);
  }

  await tf.setBackend(values.backend!);
  const schema = defaultSchema([...new Set(catalog.map((p) => p.category))]);
  const bar = new SingleBar({ format: '{phase} |{bar}| {value}/{total} {info}', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  let phase = '';
  const t0 = performance.now();
  const result = await trainBaseModel(histories, catalog, {
    schema,
    seed,
    epochs,
    neighbourParams: { neighbours },
    onProgress: (p) => {
      const name = p.phase === 'examples' ? 'examples' : 'epochs  ';
      if (name !== phase) {
        if (phase) bar.stop();
        phase = name;
        bar.start(p.total, 0, { phase: name, info: '' });
      }
      bar.update(p.done, { phase: name, info: p.loss !== undefined ? `loss ${p.loss.toFixed(4)} · held-out NDCG@10 ${p.holdout!.toFixed(4)}` : '' });
    },
  });
  bar.stop();
  const sizes = await writeModelFiles(values.out, result.model, schema, result.index, `localrank train (${new Date().toISOString()})`);
  const report = {
    data: values.data,
    shoppers: histories.length,
    items: catalog.length,
    schemaHash: schemaHash(schema),
    params: countParams(result.model),
    files: sizes,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    ...result.report,
  };
  writeFileSync(join(values.out, 'training-report.json'), JSON.stringify(report, null, 2) + '\n');
  result.model.dispose();
  const r = result.report;
  console.log(
    [
      `localrank train: wrote ${values.out} (${Object.entries(sizes).map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`).join(', ')})`,
      `  ${r.trainShoppers} shoppers trained, ${r.holdoutShoppers} held out; candidate recall ${r.candidateRecall.toFixed(3)}`,
      `  held-out NDCG@10: model ${r.holdoutNdcg10.model.toFixed(4)} vs neighbours alone ${r.holdoutNdcg10.stage1.toFixed(4)} (best epoch ${r.bestEpoch})`,
      `  use it: <script type="module" src="…/localrank.js" data-catalog="…" data-model="<url of ${values.out}>/"></script>`,
    ].join('\n'),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'train') return train(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`localrank: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`localrank: ${error instanceof InputError ? error.message : String((error as Error).message ?? error)}`);
    process.exitCode = 1;
  }
});
