import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/core/create-random';
import { defaultSchema, schemaHash } from '../src/core/feature-schema';
import { decodeNeighbourIndex } from '../src/core/neighbour-index';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lr-cli-'));
const run = (...args: string[]) => spawnSync('node', ['bin/localrank.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });

/** An events CSV of 120 shoppers browsing 3 categories, mostly in order within their favourite category. */
function eventsCsv(): string {
  const random = createRandom(3);
  const rows = ['user_id,item_id,timestamp,event_type,category'];
  for (let u = 0; u < 120; u++) {
    const cat = u % 3;
    let item = Math.floor(random() * 20);
    for (let k = 0; k < 6; k++) {
      item = (item + 1) % 20;
      const type = k === 5 ? 'purchase' : random() < 0.2 ? 'cart' : 'view';
      rows.push(`u${u},p${cat}-${item},${1_700_000_000_000 + k * 60_000},${type},c${cat}`);
    }
  }
  return rows.join('\n') + '\n';
}

// Each case spawns node + tsx (a few seconds on a loaded 2-core machine): a harness limit, not a timing assertion.
describe('npx localrank train', { timeout: 120_000 }, () => {
  it('writes the files data-model loads, with the schema this LocalRank expects', () => {
    const data = join(dir, 'history.csv');
    writeFileSync(data, eventsCsv());
    const out = join(dir, 'model');
    const r = run('train', '--data', data, '--out', out, '--epochs', '2');
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*model/);
    const schema = JSON.parse(readFileSync(join(out, 'feature-schema.json'), 'utf8'));
    expect(schemaHash(schema)).toBe(schemaHash(defaultSchema()));
    expect(schema.categories).toEqual(['c0', 'c1', 'c2']);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
    expect(readFileSync(join(out, 'weights.bin')).byteLength).toBe(
      model.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0),
    );
    const index = decodeNeighbourIndex(JSON.parse(readFileSync(join(out, 'neighbours.json'), 'utf8')));
    expect(index.similar.get('p0-1')?.ids).toContain('p0-2');
    const report = JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8'));
    expect(report.shoppers).toBe(120);
    expect(report.candidateRecall).toBeGreaterThan(0);
  }, 200_000);

  it('names the file and line of malformed input and exits 1', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user_id,item_id,timestamp\n1,a,100\n1,b,yesterday\n');
    const r = run('train', '--data', bad, '--out', join(dir, 'x'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:3: expected a numeric timestamp, got "yesterday"`);
    const badCatalog = join(dir, 'catalog.json');
    writeFileSync(badCatalog, '{"products": ');
    const c = run('train', '--data', bad.replace('bad', 'history'), '--catalog', badCatalog, '--out', join(dir, 'y'));
    expect(c.status).toBe(1);
    expect(c.stderr).toContain(`${badCatalog}:1: expected JSON`);
  });

  it('explains its usage and exits 2 when arguments are missing or unknown', () => {
    const r = run('train', '--out', join(dir, 'z'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--data and --out are required[\s\S]*Usage: localrank train/);
    expect(run('frobnicate').status).toBe(2);
    expect(run('--help').stdout).toMatch(/Usage/);
  });
});
