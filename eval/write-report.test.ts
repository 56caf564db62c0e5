import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalOutput } from './write-report';
import { BEAUTY_PUBLISHED, renderMarkdown, renderSvg, writeReport } from './write-report';

const metrics = (base: number): { full: Record<string, number>; sampled99: Record<string, number> } => ({
  full: {
    'HR@1': base / 4,
    'HR@5': base / 2,
    'HR@10': base,
    'HR@20': base * 1.5,
    'NDCG@5': base / 3,
    'NDCG@10': base / 2,
    'NDCG@20': base * 0.6,
    MRR: base / 5,
  },
  sampled99: { 'HR@1': base * 2, 'HR@5': base * 5, 'HR@10': base * 7, 'NDCG@5': base * 3, 'NDCG@10': base * 4, MRR: base * 2.5 },
});

const sample = (): EvalOutput => ({
  dataset: 'amazon-beauty/Beauty.txt',
  users: 22363,
  items: 12101,
  protocol: 'leave-one-out (S3-Rec)',
  seed: 42,
  results: {
    popular: { ...metrics(0.0124), users_evaluated: 22363 },
    itemknn: { ...metrics(0.05432), users_evaluated: 22363, params: { neighbours: 50 } },
    model_base: { ...metrics(0.061), users_evaluated: 22363, note: 'pretrained | frozen' },
  },
  model: { params: 123456, bytes: 493824 },
  timings_s: { popular: 1.5, itemknn: 42.25 },
});

/**
 * Well-formedness check for the subset of XML the renderer emits (Node has no DOMParser): every `<` starts a
 * tag, comment or declaration; tags nest and close; `&` only starts a known entity; exactly one root.
 */
function assertWellFormedXml(xml: string): void {
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const checkText = (text: string): void => {
    expect(text.replace(entity, ''), `bad text ${JSON.stringify(text)}`).not.toMatch(/[<&]/);
  };
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  for (const m of xml.matchAll(token)) {
    const between = xml.slice(at, m.index);
    if (stack.length === 0) expect(between.trim(), 'text outside the root').toBe('');
    checkText(between);
    at = m.index + m[0].length;
    const [, closing, name, attrs, selfClosing] = m;
    if (!name) continue;
    for (const a of (attrs ?? '').matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(a[1] ?? a[2] ?? '');
    const names = [...(attrs ?? '').matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
    expect(new Set(names).size, `duplicate attribute in ${m[0]}`).toBe(names.length);
    if (closing) {
      expect(stack.pop(), `unbalanced </${name}>`).toBe(name);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  expect(xml.slice(at).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe('assertWellFormedXml', () => {
  it('rejects what a real parser would reject', () => {
    expect(() => assertWellFormedXml('<svg><text>ok &amp; fine</text><rect x="1"/></svg>')).not.toThrow();
    for (const bad of ['<svg><g></svg>', '<svg>a & b</svg>', '<svg><text>x</text>', '<svg x="<"/>', '<svg/><svg/>', '<svg a="1" a="2"/>']) {
      expect(() => assertWellFormedXml(bad), bad).toThrow();
    }
  });
});

describe('renderMarkdown', () => {
  it('has the heading, the protocol and one row per method with formatted numbers, in input order', () => {
    const md = renderMarkdown(sample());
    expect(md).toContain('## amazon-beauty/Beauty.txt — 22,363 users, 12,101 items, seed 42');
    expect(md).toContain('Protocol: leave-one-out (S3-Rec)');
    expect(md).toContain('| popular | 0.0124 | 0.0062 | 0.0186 | 0.0074 | 0.0868 | 0.0496 | 0.0310 | 22,363 |  |');
    expect(md).toContain('| itemknn | 0.0543 | 0.0272 | 0.0815 | 0.0326 | 0.3802 | 0.2173 | 0.1358 | 22,363 |  |');
    // The pipe in the note must not split the cell.
    expect(md).toContain('| model_base | 0.0610 | 0.0305 | 0.0915 | 0.0366 | 0.4270 | 0.2440 | 0.1525 | 22,363 | pretrained \\| frozen |');
    const order = ['| popular', '| itemknn', '| model_base'].map((s) => md.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(md).toContain('| Note |');
    expect(md).toContain('Model: 123,456 params, 482.3 KB');
    expect(md).toContain('Timings (s): popular 1.50, itemknn 42.25');
  });

  it('leaves out the note column when no method has a note, and the model line when there is no model', () => {
    const out = sample();
    delete out.results.model_base!.note;
    delete out.model;
    const md = renderMarkdown(out);
    expect(md).not.toContain('Note');
    expect(md).not.toContain('Model:');
    expect(md).toContain('| popular | 0.0124 | 0.0062 | 0.0186 | 0.0074 | 0.0868 | 0.0496 | 0.0310 | 22,363 |\n');
  });

  it('adds published rows only when given, with dashes for missing cells', () => {
    expect(renderMarkdown(sample())).not.toContain('(published)');
    const md = renderMarkdown(sample(), BEAUTY_PUBLISHED);
    expect(md).toContain('| S3-Rec (published) | 0.0647 | 0.0327 | – | – | 0.5506 | 0.3732 | – | – |  |');
    expect(md).toContain('| GRU4Rec (published) | 0.0283 | 0.0137 | – | – | – | – | – | – |  |');
    expect(md.match(/\(published\) \|/g)).toHaveLength(4);
    // One table: published rows follow the method rows with no blank line in between.
    expect(md).toMatch(/\| model_base [^\n]*\n\| PopRec \(published\)/);
  });

  it('escapes method names and notes', () => {
    const out = sample();
    out.results = { '<x&y>': { ...metrics(0.01), users_evaluated: 5, note: '<b>*bold*</b>' } };
    const md = renderMarkdown(out, [{ method: 'a|b', full: { 'HR@10': 0.1 } }]);
    expect(md).toContain('| &lt;x&amp;y&gt; | 0.0100 |');
    expect(md).toContain('&lt;b&gt;\\*bold\\*&lt;/b&gt;');
    expect(md).toContain('| a\\|b (published) | 0.1000 |');
    expect(md).not.toContain('<x&y>');
    expect(md).not.toContain('<b>');
  });
});

describe('renderSvg', () => {
  it('is well-formed XML with a viewBox, a title, a legend and one bar per method and metric', () => {
    const svg = renderSvg(sample());
    assertWellFormedXml(svg);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 720 \d+"/);
    expect(svg).toContain('Full-ranking HR@10 / NDCG@10 — amazon-beauty/Beauty.txt');
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3 * 2);
    expect(svg).not.toContain('class="bar published"');
    for (const v of ['0.0124', '0.0062', '0.0543', '0.0272', '0.0610', '0.0305']) expect(svg).toContain(`>${v}</text>`);
    expect(svg).not.toMatch(/href=|<script|@import|url\((?!#)/);
  });

  it('draws published methods as hatched bars after ours', () => {
    const svg = renderSvg(sample(), BEAUTY_PUBLISHED);
    assertWellFormedXml(svg);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3 * 2);
    expect(svg.match(/<rect class="bar published"[^>]*fill="url\(#hatch-(?:hr|ndcg)\)"/g)).toHaveLength(4 * 2);
    expect(svg.indexOf('>model_base</text>')).toBeLessThan(svg.indexOf('>PopRec</text>'));
    expect(svg).toContain('>0.0647</text>');
  });

  it('escapes method names and survives values that are missing or not numbers', () => {
    const out = sample();
    out.dataset = 'a"b\u0001';
    out.results = {
      '<x&y>': { ...metrics(0.02), users_evaluated: 1 },
      broken: { full: { 'HR@10': null as unknown as number }, sampled99: {}, users_evaluated: 0 },
    };
    const svg = renderSvg(out, [{ method: "q'<", sampled99: { 'HR@10': 0.5 } }]);
    assertWellFormedXml(svg);
    expect(svg).toContain('&lt;x&amp;y&gt;');
    expect(svg).not.toContain('<x&y>');
    // Only <x&y> has drawable values; the others get a dash label instead of a bar.
    expect(svg.match(/<rect class="bar/g)).toHaveLength(2);
    expect(svg.match(/>–<\/text>/g)).toHaveLength(4);
  });

  it('stays well-formed with no methods at all', () => {
    const out = sample();
    out.results = {};
    assertWellFormedXml(renderSvg(out));
  });
});

describe('writeReport', () => {
  it('writes <base>.md and <base>.svg beside the JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-report-'));
    const paths = writeReport(sample(), join(dir, 'beauty.json'), BEAUTY_PUBLISHED);
    expect(paths).toEqual({ markdown: join(dir, 'beauty.md'), svg: join(dir, 'beauty.svg') });
    expect(existsSync(join(dir, 'beauty.json'))).toBe(false);
    expect(readFileSync(paths.markdown, 'utf8')).toBe(renderMarkdown(sample(), BEAUTY_PUBLISHED));
    expect(readFileSync(paths.svg, 'utf8')).toBe(renderSvg(sample(), BEAUTY_PUBLISHED));
  });
});
