/**
 * Converts a public dataset into LocalRank's events CSV (the `--format events` input of `npm run eval`).
 *
 *   npm run convert -- --from diginetica|taobao --in <source file> --out <events.csv>
 *
 * Prints a one-line summary to stderr. The datasets are research data: read them from ../shared/datasets and write the
 * output outside the repository (never commit it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertDiginetica } from './convert-diginetica';
import { convertTaobao } from './convert-taobao';
import { CSV_EVENT_TYPES } from './load-sequences';

const FROM = ['diginetica', 'taobao'] as const;

function main(): void {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const usage = `usage: --from ${FROM.join('|')} --in <file> --out <file.csv>`;
  if (!values.from || !(FROM as readonly string[]).includes(values.from)) throw new Error(`--from must be ${FROM.join(' or ')} (${usage})`);
  if (!values.in || !values.out) throw new Error(`--in and --out are required (${usage})`);
  // The inputs are read-only research data; overwriting one with its conversion would lose it.
  if (resolve(values.in) === resolve(values.out)) throw new Error('--out must differ from --in');
  const text = readFileSync(values.in, 'utf8');
  const skipped: string[] = [];
  const csv =
    values.from === 'diginetica'
      ? convertDiginetica(text, values.in)
      : convertTaobao(text, values.in, { onSkip: (line, reason) => skipped.push(`line ${line}: ${reason}`) });
  writeFileSync(values.out, csv);

  const users = new Set<string>();
  const items = new Set<string>();
  const counts = new Map<string, number>(CSV_EVENT_TYPES.map((t) => [t, 0]));
  const rows = csv.trimEnd().split('\n').slice(1);
  for (const row of rows) {
    const [user, item, , type] = row.split(',');
    users.add(user!);
    items.add(item!);
    counts.set(type!, (counts.get(type!) ?? 0) + 1);
  }
  const types = [...counts].map(([t, c]) => `${t} ${c}`).join(', ');
  const skip = skipped.length ? `; skipped ${skipped.length} (${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? '; …' : ''})` : '';
  console.error(
    `localrank convert: ${values.from} → ${values.out}: ${rows.length} rows, ${users.size} ${values.from === 'diginetica' ? 'sessions' : 'users'}, ${items.size} items; ${types}${skip}`,
  );
}

try {
  main();
} catch (error) {
  console.error(`localrank convert: ${(error as Error).message}`);
  process.exitCode = 1;
}
