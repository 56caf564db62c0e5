/**
 * Human-readable views of an offline-evaluation JSON (eval/run-eval.ts output): a Markdown table for the README
 * and an SVG bar chart, both written beside the JSON so the three never drift apart.
 *
 * Method names and notes come from the input file, so everything interpolated into either format is escaped.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** The JSON written by `npm run eval -- --json <file>`; extra keys are allowed and ignored. */
export interface EvalOutput {
  dataset: string;
  users: number;
  items: number;
  protocol: string;
  seed: number;
  results: Record<
    string,
    { full: Record<string, number>; sampled99: Record<string, number>; users_evaluated: number; note?: string; [k: string]: unknown }
  >;
  model?: { params: number; bytes: number; [k: string]: unknown };
  timings_s: Record<string, number>;
  [k: string]: unknown;
}

/** A literature figure quoted for comparison (not re-run here); absent cells are shown as "–". */
export interface PublishedResult {
  method: string;
  full?: { 'HR@10'?: number; 'NDCG@10'?: number };
  sampled99?: { 'HR@10'?: number; 'NDCG@10'?: number };
}

/**
 * Beauty figures from the S3-Rec paper (Zhou et al., CIKM 2020), which uses the same leave-one-out protocol and
 * the same 99-negative sampling as eval/leave-one-out.ts, so they are comparable with our rows. GRU4Rec has no
 * sampled-99 numbers in this set.
 */
export const BEAUTY_PUBLISHED: readonly PublishedResult[] = Object.freeze([
  { method: 'PopRec', full: { 'HR@10': 0.0152, 'NDCG@10': 0.0068 }, sampled99: { 'HR@10': 0.3386, 'NDCG@10': 0.1803 } },
  { method: 'GRU4Rec', full: { 'HR@10': 0.0283, 'NDCG@10': 0.0137 } },
  { method: 'SASRec', full: { 'HR@10': 0.0605, 'NDCG@10': 0.0318 }, sampled99: { 'HR@10': 0.4696, 'NDCG@10': 0.3156 } },
  { method: 'S3-Rec', full: { 'HR@10': 0.0647, 'NDCG@10': 0.0327 }, sampled99: { 'HR@10': 0.5506, 'NDCG@10': 0.3732 } },
]);

const DASH = '–';

// JSON turns NaN into null and hand-edited files may carry strings, so only finite numbers count as values.
const isValue = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const metric = (v: unknown): string => (isValue(v) ? v.toFixed(4) : DASH);
const integer = (v: unknown): string => (isValue(v) ? Math.round(v).toLocaleString('en-US') : DASH);

// Entities stop names like `<x&y>` from becoming HTML (GitHub renders inline HTML in Markdown); the backslash
// escapes stop `|` from splitting a table cell and `*`, `` ` ``, `[` from turning into formatting or links.
// `_` is only escaped where it could open or close emphasis, so `model_base` stays legible in the raw file.
function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

// Some code points cannot appear in XML 1.0 even as character references, so escaping alone would still leave
// an unparseable file; they are replaced instead.
function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * The evaluation as Markdown: a heading (dataset, users, items, seed), the protocol, one table with a row per
 * method in the order of `out.results` (full HR@10 / NDCG@10 / HR@20 / NDCG@20, sampled-99 HR@10 / NDCG@10 / MRR,
 * users evaluated, and a note column when any method has a note), then the `published` rows marked
 * "(published)", then the model size and timings when present.
 */
export function renderMarkdown(out: EvalOutput, published?: readonly PublishedResult[]): string {
  const methods = Object.entries(out.results ?? {});
  const withNote = methods.some(([, r]) => typeof r.note === 'string' && r.note.trim() !== '');
  const header = [
    'Method',
    'HR@10',
    'NDCG@10',
    'HR@20',
    'NDCG@20',
    'HR@10 (s99)',
    'NDCG@10 (s99)',
    'MRR (s99)',
    'Users',
    ...(withNote ? ['Note'] : []),
  ];
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const lines: string[] = [
    `## ${escapeMarkdown(out.dataset)} — ${integer(out.users)} users, ${integer(out.items)} items, seed ${escapeMarkdown(String(out.seed))}`,
    '',
    `Protocol: ${escapeMarkdown(out.protocol)}`,
    '',
    'Columns without a suffix: full ranking; "(s99)": target ranked among 99 sampled negatives.',
    '',
    row(header),
    row(header.map((_, i) => (i === 0 || (withNote && i === header.length - 1) ? '---' : '---:'))),
  ];
  for (const [name, r] of methods) {
    const full = r.full ?? {};
    const s99 = r.sampled99 ?? {};
    lines.push(
      row([
        escapeMarkdown(name),
        metric(full['HR@10']),
        metric(full['NDCG@10']),
        metric(full['HR@20']),
        metric(full['NDCG@20']),
        metric(s99['HR@10']),
        metric(s99['NDCG@10']),
        metric(s99.MRR),
        integer(r.users_evaluated),
        ...(withNote ? [typeof r.note === 'string' ? escapeMarkdown(r.note) : ''] : []),
      ]),
    );
  }
  for (const p of published ?? []) {
    lines.push(
      row([
        `${escapeMarkdown(p.method)} (published)`,
        metric(p.full?.['HR@10']),
        metric(p.full?.['NDCG@10']),
        DASH,
        DASH,
        metric(p.sampled99?.['HR@10']),
        metric(p.sampled99?.['NDCG@10']),
        DASH,
        DASH,
        ...(withNote ? [''] : []),
      ]),
    );
  }
  if (published && published.length > 0) {
    lines.push('', '"(published)" rows are figures reported in the literature, not re-run here.');
  }
  if (out.model && (isValue(out.model.params) || isValue(out.model.bytes))) {
    const kb = isValue(out.model.bytes) ? `${(out.model.bytes / 1024).toFixed(1)} KB` : `${DASH} KB`;
    const nb = out.model.neighbours_bytes;
    const nbGzip = out.model.neighbours_gzip_bytes;
    const neighbours = typeof nb === 'number' ? `; neighbour lists ${(nb / 1024).toFixed(0)} KB${typeof nbGzip === 'number' ? ` (${(nbGzip / 1024).toFixed(0)} KB gzip)` : ''}` : '';
    lines.push('', `Model: ${integer(out.model.params)} params, ${kb} of float32 weights${neighbours}`);
  }
  const timings = Object.entries(out.timings_s ?? {});
  if (timings.length > 0) {
    lines.push('', `Timings (s): ${timings.map(([k, v]) => `${escapeMarkdown(k)} ${isValue(v) ? v.toFixed(2) : DASH}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

const COLORS = { 'HR@10': '#3b6fb6', 'NDCG@10': '#e08a2c' } as const;
const METRICS = ['HR@10', 'NDCG@10'] as const;
const FONT = 'Helvetica, Arial, sans-serif';

// Without a font engine, text width is estimated; 0.6 em per character is generous for digits and lowercase
// in the usual sans-serif faces, so labels err on the side of not overlapping.
const textWidth = (text: string, size: number): number => text.length * size * 0.6;

/** A 1-2-2.5-5 step giving about `count` ticks up to at least `max`. */
function niceTicks(max: number, count: number): { step: number; top: number; decimals: number } {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  let decimals = 0;
  while (decimals < 6 && Math.abs(Number(step.toFixed(decimals)) - step) > step * 1e-6) decimals++;
  return { step, top, decimals };
}

/**
 * A self-contained SVG (720 px wide, no scripts, fonts or external references) of full-ranking HR@10 and
 * NDCG@10 per method in the order of `out.results`, followed by the `published` methods as hatched bars behind a
 * dashed separator, with title, legend, y-axis ticks and a value label on every bar.
 */
export function renderSvg(out: EvalOutput, published?: readonly PublishedResult[]): string {
  type Group = { name: string; published: boolean; values: Record<(typeof METRICS)[number], number | undefined> };
  const groups: Group[] = [
    ...Object.entries(out.results ?? {}).map(([name, r]) => ({
      // A method evaluated on a sample says so under its bar.
      name: typeof r.users_evaluated === 'number' && r.users_evaluated < out.users ? `${name} (n=${r.users_evaluated.toLocaleString('en-US')})` : name,
      published: false,
      values: { 'HR@10': r.full?.['HR@10'], 'NDCG@10': r.full?.['NDCG@10'] },
    })),
    ...(published ?? []).map((p) => ({
      name: p.method,
      published: true,
      values: { 'HR@10': p.full?.['HR@10'], 'NDCG@10': p.full?.['NDCG@10'] },
    })),
  ];
  const ours = groups.filter((g) => !g.published).length;

  const width = 720;
  const left = 56;
  const right = 16;
  const top = 84;
  const plotHeight = 260;
  const plotWidth = width - left - right;
  // Published groups sit after an extra gap so the separator line has room and the two sets read as separate.
  const sepGap = ours > 0 && groups.length > ours ? 16 : 0;
  const groupWidth = groups.length > 0 ? (plotWidth - sepGap) / groups.length : plotWidth;
  const barWidth = Math.max(2, Math.min(44, (groupWidth * 0.72) / METRICS.length));
  const valueSize = 10;
  // Labels that do not fit above a bar are turned vertical rather than shrunk, so they stay legible.
  const valueVertical = textWidth('0.0000', valueSize) > barWidth + 4;
  const valueExtent = valueVertical ? textWidth('0.0000', valueSize) + 6 : valueSize + 6;

  const values = groups.flatMap((g) => METRICS.map((m) => g.values[m])).filter(isValue);
  const maxValue = Math.max(0, ...values);
  // The axis is stretched so the tallest bar still leaves room for its label inside the plot.
  const ticks = niceTicks(maxValue > 0 ? (maxValue * plotHeight) / (plotHeight - valueExtent) : 1, 5);
  const y = (v: number): number => top + plotHeight - (Math.max(0, v) / ticks.top) * plotHeight;

  const nameSize = 11;
  const shown = groups.map((g) => (g.name.length > 24 ? `${g.name.slice(0, 23)}…` : g.name));
  const longest = Math.max(0, ...shown.map((s) => textWidth(s, nameSize)));
  const rotateNames = longest > groupWidth - 6;
  const namesHeight = rotateNames ? longest * Math.sin(Math.PI / 5) + nameSize + 8 : nameSize + 10;
  const height = Math.ceil(top + plotHeight + namesHeight + 12);

  const n = (v: number): string => String(+v.toFixed(2));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${escapeXml(`Full-ranking HR@10 and NDCG@10 — ${out.dataset}`)}</title>`,
    '<defs>',
    ...METRICS.map(
      (m) =>
        `<pattern id="hatch-${m === 'HR@10' ? 'hr' : 'ndcg'}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
        `<rect width="6" height="6" fill="#ffffff"/><rect width="2.5" height="6" fill="${COLORS[m]}"/></pattern>`,
    ),
    '</defs>',
    // An opaque background keeps the chart readable in dark-themed viewers.
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="16" font-weight="bold" fill="#222222">${escapeXml(`Full-ranking HR@10 / NDCG@10 — ${out.dataset}`)}</text>`,
    `<text x="${left}" y="44" font-size="11" fill="#555555">${escapeXml(
      `${integer(out.users)} users · ${integer(out.items)} items · full ranking · seed ${out.seed}`,
    )}</text>`,
  );

  // Legend.
  let lx = left;
  const legendY = 62;
  for (const m of METRICS) {
    parts.push(
      `<rect x="${lx}" y="${legendY - 9}" width="12" height="12" fill="${COLORS[m]}"/>`,
      `<text x="${lx + 17}" y="${legendY + 1}" font-size="11" fill="#222222">${m}</text>`,
    );
    lx += 17 + textWidth(m, 11) + 18;
  }
  if (groups.length > ours) {
    parts.push(
      `<rect x="${lx}" y="${legendY - 9}" width="12" height="12" fill="url(#hatch-hr)" stroke="#777777" stroke-width="0.8"/>`,
      `<text x="${lx + 17}" y="${legendY + 1}" font-size="11" fill="#222222">hatched, grey name = published (not re-run)</text>`,
    );
  }

  // Grid and y-axis ticks.
  for (let v = 0; v <= ticks.top + ticks.step * 1e-6; v += ticks.step) {
    const ty = n(y(v));
    parts.push(
      `<line x1="${left}" y1="${ty}" x2="${width - right}" y2="${ty}" stroke="${v === 0 ? '#444444' : '#e3e3e3'}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${n(y(v) + 3.5)}" font-size="10" fill="#555555" text-anchor="end">${v.toFixed(ticks.decimals)}</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#444444" stroke-width="1"/>`);

  if (sepGap > 0) {
    const sx = n(left + ours * groupWidth + sepGap / 2);
    parts.push(`<line x1="${sx}" y1="${top}" x2="${sx}" y2="${top + plotHeight}" stroke="#999999" stroke-width="1" stroke-dasharray="4 3"/>`);
  }

  groups.forEach((g, i) => {
    const gx = left + i * groupWidth + (g.published ? sepGap : 0);
    const cx = gx + groupWidth / 2;
    const first = cx - (barWidth * METRICS.length) / 2;
    METRICS.forEach((m, j) => {
      const v = g.values[m];
      const bx = first + j * barWidth;
      const mid = bx + barWidth / 2;
      const label = isValue(v) ? v.toFixed(4) : DASH;
      if (isValue(v)) {
        const by = y(v);
        const fill = g.published ? `url(#hatch-${m === 'HR@10' ? 'hr' : 'ndcg'})` : COLORS[m];
        const stroke = g.published ? ` stroke="${COLORS[m]}" stroke-width="1"` : '';
        parts.push(
          `<rect class="bar${g.published ? ' published' : ''}" x="${n(bx + 0.5)}" y="${n(by)}" width="${n(barWidth - 1)}" height="${n(top + plotHeight - by)}" fill="${fill}"${stroke}>` +
            `<title>${escapeXml(`${g.name}${g.published ? ' (published)' : ''} ${m}: ${label}`)}</title></rect>`,
        );
      }
      const ly = isValue(v) ? y(v) - 4 : top + plotHeight - 4;
      parts.push(
        valueVertical
          ? `<text x="${n(mid + valueSize * 0.35)}" y="${n(ly)}" font-size="${valueSize}" fill="#333333" transform="rotate(-90 ${n(mid + valueSize * 0.35)} ${n(ly)})">${label}</text>`
          : `<text x="${n(mid)}" y="${n(ly)}" font-size="${valueSize}" fill="#333333" text-anchor="middle">${label}</text>`,
      );
    });
    const nameY = top + plotHeight + nameSize + 6;
    const style = g.published ? ' fill="#777777" font-style="italic"' : ' fill="#222222"';
    parts.push(
      rotateNames
        ? `<text x="${n(cx + 4)}" y="${n(nameY)}" font-size="${nameSize}"${style} text-anchor="end" transform="rotate(-36 ${n(cx + 4)} ${n(nameY)})">${escapeXml(shown[i]!)}</text>`
        : `<text x="${n(cx)}" y="${n(nameY)}" font-size="${nameSize}"${style} text-anchor="middle">${escapeXml(shown[i]!)}</text>`,
    );
  });

  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/**
 * Writes `<base>.md` and `<base>.svg` beside `jsonPath` (same name, extension replaced) and returns their
 * paths. Existing files are overwritten so a re-run never leaves a report describing an older JSON.
 */
export function writeReport(out: EvalOutput, jsonPath: string, published?: readonly PublishedResult[]): { markdown: string; svg: string } {
  const ext = extname(jsonPath);
  const base = join(dirname(jsonPath), ext ? basename(jsonPath, ext) : basename(jsonPath));
  const paths = { markdown: `${base}.md`, svg: `${base}.svg` };
  writeFileSync(paths.markdown, renderMarkdown(out, published));
  writeFileSync(paths.svg, renderSvg(out, published));
  return paths;
}
