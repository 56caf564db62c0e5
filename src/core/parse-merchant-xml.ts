import type { FeedRows } from './merchant-row';
import { merchantKey, merchantRow } from './merchant-row';

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and character references; others are left as written (no DTD entity expansion). */
function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>"']+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1).toLowerCase();

/**
 * Converts a Google Merchant Center RSS 2.0 (`<rss><channel><item>`) or Atom (`<feed><entry>`) feed with the `g:`
 * namespace into native catalog rows (see {@link merchantRow}). Reads only the direct children of each item: `g:`
 * elements win over plain ones of the same name (`g:title` over `title`, `g:id` over Atom's `<id>`), the first of
 * repeated elements wins, and Atom's `<link href>` is the link. Item n is `products[n-1]` in parseCatalog's problems.
 *
 * A small tokenizer for this well-defined subset, not a general XML parser, so core stays free of the DOM: comments,
 * CDATA, processing instructions and the DOCTYPE are understood; DTD entities are never expanded. Never throws: a
 * document whose root is not `<rss>` or `<feed>`, a malformed tag, a mismatched end tag or a truncated feed is
 * `fatal`, with the line.
 * @param xml the feed's body
 */
export function parseMerchantXml(xml: string): FeedRows {
  const line = (at: number): number => xml.slice(0, at).split('\n').length;
  const fail = (what: string, at: number): FeedRows => ({ fatal: `the XML feed is malformed: ${what} (line ${line(at)})` });
  const stack: string[] = [];
  const products: Record<string, unknown>[] = [];
  let root: string | undefined;
  let item: Record<string, string> | undefined;
  let itemDepth = 0;
  let field: { key: string; g: boolean; text: string } | undefined;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? xml.length : lt;
    if (field && stack.length === itemDepth + 2) field.text += decode(xml.slice(i, end));
    if (lt < 0) break;
    const skipTo = (close: string): number => {
      const at = xml.indexOf(close, lt);
      return at < 0 ? -1 : at + close.length;
    };
    if (xml.startsWith('<!--', lt)) {
      i = skipTo('-->');
      if (i < 0) return fail('a comment is not closed', lt);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = skipTo(']]>');
      if (i < 0) return fail('a CDATA section is not closed', lt);
      if (field && stack.length === itemDepth + 2) field.text += xml.slice(lt + 9, i - 3);
    } else if (xml.startsWith('<?', lt)) {
      i = skipTo('?>');
      if (i < 0) return fail('a processing instruction is not closed', lt);
    } else if (xml.startsWith('<!', lt)) {
      // <!DOCTYPE …> possibly with an internal subset [ … ]: skipped, its entities are not expanded.
      const gt = xml.indexOf('>', lt);
      const bracket = xml.indexOf('[', lt);
      i = bracket >= 0 && (gt < 0 || bracket < gt) ? skipTo(']>') : gt < 0 ? -1 : gt + 1;
      if (i < 0) return fail('the DOCTYPE is not closed', lt);
    } else if (xml.startsWith('</', lt)) {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) return fail('an end tag is not closed', lt);
      const name = xml.slice(lt + 2, gt).trim();
      const open = stack.pop();
      if (open !== name) return fail(open ? `</${name.slice(0, 40)}> closes <${open}>` : `</${name.slice(0, 40)}> without a start tag`, lt);
      i = gt + 1;
      if (field && stack.length === itemDepth + 1) {
        const { key, g, text } = field;
        // g: elements win over plain ones (g:id over Atom's <id>); among equals the first one wins.
        if (text.trim() && (item![key] === undefined || (g && !item![`\0g:${key}`]))) {
          item![key] = text.trim();
          if (g) item![`\0g:${key}`] = '1';
        }
        field = undefined;
      } else if (item && stack.length === itemDepth) {
        const attributes: Record<string, string> = {};
        for (const [k, v] of Object.entries(item)) if (!k.startsWith('\0')) attributes[k] = v;
        products.push(merchantRow(attributes));
        item = undefined;
      }
    } else {
      START_TAG.lastIndex = lt;
      const m = START_TAG.exec(xml);
      if (!m) return fail(`a malformed tag "${xml.slice(lt, lt + 30)}"`, lt);
      const [, name, attrs, selfClosing] = m as unknown as [string, string, string, string];
      i = START_TAG.lastIndex;
      if (!root) {
        root = localName(name);
        if (root !== 'rss' && root !== 'feed') return { fatal: `expected an RSS 2.0 (<rss>) or Atom (<feed>) feed, found <${name.slice(0, 40)}>` };
      }
      const local = localName(name);
      if (!item && (local === 'item' || local === 'entry')) {
        item = {};
        itemDepth = stack.length;
      } else if (item && stack.length === itemDepth + 1) {
        const key = merchantKey(local);
        let href: string | undefined;
        if (key === 'link') {
          ATTRIBUTE.lastIndex = 0;
          for (let a = ATTRIBUTE.exec(attrs); a; a = ATTRIBUTE.exec(attrs)) if (a[1] === 'href') href = decode(a[2] ?? a[3] ?? '');
        }
        if (href !== undefined && item.link === undefined) item.link = href;
        if (!selfClosing) field = { key, g: name.toLowerCase().startsWith('g:'), text: '' };
      }
      if (!selfClosing) stack.push(name);
      else if (item && stack.length === itemDepth && (local === 'item' || local === 'entry')) {
        item = undefined; // <item/>: an empty item
      }
    }
  }
  if (!root) return { fatal: 'expected an RSS 2.0 (<rss>) or Atom (<feed>) feed, found no XML element' };
  if (stack.length > 0) return fail(`the feed ends inside <${stack[stack.length - 1]}> (is it truncated?)`, xml.length);
  return { catalog: { products } };
}
