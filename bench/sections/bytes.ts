import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { summarise } from '../stats';
import type { Figure, Section } from '../types';

const kb = (n: number): number => n / 1024;
const gz = (b: Buffer): number => gzipSync(b, { level: 9 }).length;
const br = (b: Buffer): number => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Bytes: gzip and brotli of the first script and of every lazy chunk / wasm binary in `dist/` (LocalRank's own output,
 * not the demo shop), against the full `@tensorflow/tfjs` bundle (`tf.min.js`) as the naive baseline. Sizes do not
 * vary between runs: each figure has one run.
 */
export const bytes: Section = {
  name: 'bytes',
  profileIndependent: true,
  async run(ctx) {
    const files = walk(ctx.dist)
      .map((f) => relative(ctx.dist, f))
      .filter((f) => f === 'localrank.js' || f.startsWith('chunks/') || (f.startsWith('assets/') && f.endsWith('.wasm')))
      .sort();
    const require = createRequire(import.meta.url);
    const tfjs = readFileSync(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));
    const baseline = { label: '@tensorflow/tfjs tf.min.js', value: summarise([kb(gz(tfjs))]) };
    const figures: Figure[] = [];
    for (const f of files) {
      const body = readFileSync(join(ctx.dist, f));
      const name = f.replace(/-[A-Za-z0-9_-]{8}(?=\.(js|wasm)$)/, '');
      figures.push({
        key: `bytes.${name}.gzip`,
        label: `${name} (gzip)`,
        unit: 'KB',
        value: summarise([kb(gz(body))]),
        ...(f === 'localrank.js' ? { baseline, target: { stat: 'median' as const, max: 10, met: kb(gz(body)) <= 10 } } : {}),
      });
      figures.push({ key: `bytes.${name}.brotli`, label: `${name} (brotli)`, unit: 'KB', value: summarise([kb(br(body))]) });
    }
    figures.push({ key: 'bytes.baseline.tfjs.gzip', label: 'baseline: @tensorflow/tfjs tf.min.js (gzip)', unit: 'KB', value: baseline.value });
    figures.push({ key: 'bytes.baseline.tfjs.brotli', label: 'baseline: @tensorflow/tfjs tf.min.js (brotli)', unit: 'KB', value: summarise([kb(br(tfjs))]) });
    return {
      figures,
      notes: ['A shopper downloads localrank.js and the runtime chunk on every page; the worker, tfjs-core, one backend (plus the cpu kernels it imports) and one .wasm only when training starts.'],
    };
  },
};
