import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
let dir: string | undefined;
const cache = new Map<number, string>();

/**
 * The text of a catalog of `products` products made by the project's own generator
 * (`scripts/generate-catalog.mjs --out <tmp> --products <n>`, seeded, so every run ranks the same catalog), written
 * to a temporary folder once per process and never into `public/`. Pages get it through `context.route`.
 * @throws when the generator fails
 */
export function benchCatalog(products: number): string {
  const hit = cache.get(products);
  if (hit !== undefined) return hit;
  dir ??= mkdtempSync(join(tmpdir(), 'localrank-bench-'));
  const out = join(dir, String(products));
  const file = join(out, 'catalog.json');
  if (!existsSync(file)) {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/generate-catalog.mjs'), '--out', out, '--products', String(products)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`scripts/generate-catalog.mjs --products ${products} failed`);
  }
  const text = readFileSync(file, 'utf8');
  cache.set(products, text);
  return text;
}

/** `count` distinct items of `from`, in random order (partial Fisher–Yates with `rng`). */
export function sample<T>(from: readonly T[], count: number, rng: () => number): T[] {
  const copy = from.slice();
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
