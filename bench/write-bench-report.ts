import { writeFileSync } from 'node:fs';
import type { Figure, SectionResult } from './types';

/** The JSON `npm run bench` writes (keys documented in the README, "Benchmark"). */
export interface BenchReport {
  readonly schema: number;
  readonly at: string;
  readonly machine: { readonly cpus: number; readonly chromium: string; readonly node: string };
  readonly repeats: number;
  readonly profiles: readonly string[];
  readonly seconds: number;
  /** section → profile (`unthrottled`, `cpu-4x`, or `any` for profile-independent sections) → result. */
  readonly sections: Readonly<Record<string, Readonly<Record<string, SectionResult>>>>;
}

const fmt = (n: number, unit: string): string => {
  if (!Number.isFinite(n)) return '—';
  const digits = unit === 'ms' ? (n < 1 ? 3 : n < 10 ? 2 : 1) : unit === 'KB' || unit === 'MB' ? 2 : unit === 'score' || unit === 'ratio' ? 4 : 0;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markdown table rows for one section × profile. */
export function figureRows(figures: readonly Figure[]): string[] {
  return figures.map((f) => {
    const base = f.baseline ? `${fmt(f.baseline.value.median, f.unit)} / ${fmt(f.baseline.value.p95, f.unit)} (${f.baseline.label})` : '—';
    const target = f.target ? `${f.target.stat} ≤ ${fmt(f.target.max, f.unit)}: ${f.target.met ? 'met' : '**missed**'}` : '—';
    return `| ${f.label} | ${fmt(f.value.median, f.unit)} | ${fmt(f.value.p95, f.unit)} | ${f.unit} | ${f.value.runs.length} | ${base} | ${target} |`;
  });
}

/**
 * A horizontal bar chart (SVG, no script) of each figure's median next to its baseline's, one chart per section and
 * profile, for figures of one unit (the section's first unit).
 */
export function chartSvg(title: string, figures: readonly Figure[]): string {
  const unit = figures[0]?.unit ?? '';
  const rows = figures.filter((f) => f.unit === unit).flatMap((f) => [
    { label: f.label, value: f.value.median, kind: 'localrank' as const },
    ...(f.baseline ? [{ label: `  baseline: ${f.baseline.label}`, value: f.baseline.value.median, kind: 'baseline' as const }] : []),
  ]);
  const max = Math.max(1e-9, ...rows.map((r) => (Number.isFinite(r.value) ? r.value : 0)));
  const rowH = 22;
  const labelW = 360;
  const barW = 380;
  const height = 40 + rows.length * rowH + 10;
  const bars = rows
    .map((r, i) => {
      const y = 40 + i * rowH;
      const w = Number.isFinite(r.value) ? Math.max(1, (r.value / max) * barW) : 0;
      const colour = r.kind === 'baseline' ? '#9aa4ae' : '#0b57d0';
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${escapeXml(r.label.slice(0, 60))}</text><rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${colour}"/><text x="${labelW + w + 6}" y="${y + 14}">${escapeXml(fmt(r.value, unit))} ${escapeXml(unit)}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 120}" height="${height}" font-family="system-ui,sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-size="14" font-weight="600">${escapeXml(title)} (median, ${escapeXml(unit)}; grey = baseline)</text>
${bars}
</svg>
`;
}

/** Writes `<out>.md` and one SVG per section × profile beside the JSON at `out`. */
export function writeBenchReport(report: BenchReport, out: string): void {
  const stem = out.replace(/\.json$/, '');
  const md: string[] = [
    `# LocalRank benchmark`,
    '',
    `${report.at} · ${report.machine.cpus} CPUs · Chromium ${report.machine.chromium} · Node ${report.machine.node} · ${report.repeats} repeats · ${report.seconds} s`,
    '',
    'Each figure: median and p95 over the repeats, the baseline measured in the same run, and the target (reported, never asserted).',
  ];
  for (const [section, byProfile] of Object.entries(report.sections)) {
    for (const [profile, result] of Object.entries(byProfile)) {
      md.push('', `## ${section} — ${profile}`, '', '| figure | median | p95 | unit | runs | baseline median / p95 | target |', '|---|---|---|---|---|---|---|');
      md.push(...figureRows(result.figures));
      for (const note of result.notes) md.push('', `- ${note}`);
      if (result.figures.length > 0) {
        const file = `${stem}-${section}-${profile}.svg`;
        writeFileSync(file, chartSvg(`${section} — ${profile}`, result.figures));
        md.push('', `![${section} ${profile}](${file.split('/').pop()})`);
      }
    }
  }
  writeFileSync(`${stem}.md`, md.join('\n') + '\n');
}
