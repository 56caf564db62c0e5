import { describe, expect, it } from 'vitest';
import { catalogFormat } from './catalog-format';
import { merchantPrice } from './merchant-row';
import { parseCatalog } from './parse-catalog';
import { parseMerchantTsv } from './parse-merchant-tsv';
import { parseMerchantXml } from './parse-merchant-xml';
import { readCatalogText } from './read-catalog-text';

const TSV = [
  'id\ttitle\tdescription\tlink\timage link\tprice\tsale_price\tavailability\tbrand\tproduct_type\tgoogle_product_category\tcolor',
  'm1\tBlue Mug\tA mug\thttps://shop.example/m1\thttps://shop.example/m1.png\t12.50 EUR\t\tin_stock\tAcme\tHome > Kitchen > Mugs\t\tblue',
  'm2\t"Tea ""Gold"" Tin"\t\t/p/m2\t\t8 EUR\t6.00 EUR\tout of stock\tAcme\t\tFood > Tea\t',
  '',
  'm3\tPreorder Pot\t\tjavascript:alert(1)\t\tabout 5 euros\t\tpreorder\t\t\t\t',
].join('\r\n');

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [ <!ENTITY boom "boom"> ]>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
<channel><title>Shop</title><link>https://shop.example</link>
<!-- a comment with <item> inside -->
<item>
  <g:id>r1</g:id><title>Plain title</title><g:title><![CDATA[Salt & <Pepper> Mill]]></g:title>
  <link>https://shop.example/r1</link><g:image_link>https://shop.example/r1.png</g:image_link>
  <g:price>19.90 USD</g:price><g:availability>in stock</g:availability><g:brand>Grind &amp; Co</g:brand>
  <g:product_type>Kitchen &gt; Mills</g:product_type>
  <g:shipping><g:country>US</g:country><g:price>4.95 USD</g:price></g:shipping>
</item>
<item><g:id>r2</g:id><g:title>Sold out &#8211; Kettle</g:title><g:price>30 USD</g:price><g:availability>out_of_stock</g:availability><g:google_product_category>Home &amp; Garden &gt; Kettles</g:google_product_category></item>
</channel></rss>`;

const ATOM = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
<title>Shop</title><entry><id>tag:shop,2024:a1</id><g:id>a1</g:id><title>Atom Lamp</title><link rel="alternate" href="https://shop.example/a1"/>
<g:price>45.00 GBP</g:price><g:product_type>Lighting</g:product_type></entry></feed>`;

describe('Merchant Center TSV', () => {
  it('maps Google attributes to native rows that parseCatalog takes', () => {
    const feed = parseMerchantTsv(TSV);
    const parsed = parseCatalog(feed.catalog);
    expect(parsed.products.map((p) => [p.id, p.title, p.category, p.price, p.currency, p.inStock])).toEqual([
      ['m1', 'Blue Mug', 'Mugs', 12.5, 'EUR', true],
      ['m2', 'Tea "Gold" Tin', 'Tea', 6, 'EUR', false],
      ['m3', 'Preorder Pot', 'other', undefined, undefined, true],
    ]);
    expect(parsed.products[0]).toMatchObject({ brand: 'Acme', url: 'https://shop.example/m1', image: 'https://shop.example/m1.png', attributes: ['color:blue'] });
    expect(parsed.products[2]!.url).toBeUndefined();
    expect(parsed.problems).toEqual([
      'products[2].price: expected a number >= 0 (ignored)',
      'products[2].url: expected an http(s) or relative URL of at most 2048 characters (dropped)',
    ]);
  });
  it('is fatal without a tab-separated header naming id and title', () => {
    expect(parseMerchantTsv('id,title\n1,a').fatal).toMatch(/header row/);
    expect(parseMerchantTsv('sku\tname\n1\ta').fatal).toMatch(/"id" and "title"/);
    expect(parseMerchantTsv('').fatal).toBeDefined();
  });
  it('accepts g: prefixes and reports rows without an id by their position', () => {
    const parsed = parseCatalog(parseMerchantTsv('g:id\tg:title\n\tNo id\nx\tX').catalog);
    expect(parsed.products.map((p) => p.id)).toEqual(['x']);
    expect(parsed.problems).toEqual(['products[0].id: required']);
  });
});

describe('Merchant Center RSS and Atom', () => {
  it('reads RSS 2.0 items with g: elements winning, CDATA, entities and nested elements ignored', () => {
    const parsed = parseCatalog(parseMerchantXml(RSS).catalog);
    expect(parsed.problems).toEqual([]);
    expect(parsed.products).toEqual([
      { id: 'r1', title: 'Salt & <Pepper> Mill', category: 'Mills', brand: 'Grind & Co', price: 19.9, currency: 'USD', image: 'https://shop.example/r1.png', url: 'https://shop.example/r1', inStock: true, popularity: 0 },
      { id: 'r2', title: 'Sold out – Kettle', category: 'Kettles', brand: '', price: 30, currency: 'USD', image: undefined, url: undefined, inStock: false, popularity: 0 },
    ]);
  });
  it('reads Atom entries (g:id over the Atom id, link href)', () => {
    const parsed = parseCatalog(parseMerchantXml(ATOM).catalog);
    expect(parsed.products.map((p) => [p.id, p.title, p.url, p.price, p.currency, p.category])).toEqual([['a1', 'Atom Lamp', 'https://shop.example/a1', 45, 'GBP', 'Lighting']]);
  });
  it('is fatal, with the line, for truncated, mismatched or non-feed XML', () => {
    expect(parseMerchantXml(RSS.slice(0, RSS.indexOf('<item><g:id>r2'))).fatal).toMatch(/ends inside <channel>/);
    expect(parseMerchantXml('<rss>\n<channel><item><g:id>1</g:title></item></channel></rss>').fatal).toMatch(/<\/g:title> closes <g:id> \(line 2\)/);
    expect(parseMerchantXml('<rss><channel><item <<</item></channel></rss>').fatal).toMatch(/malformed tag/);
    expect(parseMerchantXml('<!doctype html><html><body>Not found</body></html>').fatal).toMatch(/found <html>/);
    expect(parseMerchantXml('just text').fatal).toMatch(/no XML element/);
  });
  it('does not expand DTD entities and survives huge values', () => {
    const big = 'x'.repeat(1_000_000);
    const parsed = parseCatalog(parseMerchantXml(`<rss><channel><item><g:id>b</g:id><g:title>&boom;${big}</g:title><g:brand>${big}</g:brand></item></channel></rss>`).catalog);
    expect(parsed.products[0]!.title.startsWith('&boom;')).toBe(true);
    expect(parsed.products[0]!.title).toHaveLength(300);
  });
});

describe('catalogFormat and readCatalogText', () => {
  it('chooses by Content-Type, then extension, then the body', () => {
    expect(catalogFormat('application/json; charset=utf-8', '/feed.tsv', '')).toBe('json');
    expect(catalogFormat('text/tab-separated-values', '/x', '')).toBe('tsv');
    expect(catalogFormat('application/rss+xml', '/x', '')).toBe('xml');
    expect(catalogFormat('text/plain', '/feed.tsv?v=2', '')).toBe('tsv');
    expect(catalogFormat('application/octet-stream', '/feed.xml', '')).toBe('xml');
    expect(catalogFormat('', '/feed', '\uFEFF  [1]')).toBe('json');
    expect(catalogFormat('', '/feed', '<rss/>')).toBe('xml');
    expect(catalogFormat('', '/feed', 'id\ttitle\n')).toBe('tsv');
    expect(catalogFormat('text/html', '/catalog.json', '<!doctype html>')).toBe('json');
  });
  it('returns the native shape or a fatal reason', () => {
    expect(readCatalogText('{"products":[]}', 'application/json', '/c.json')).toEqual({ format: 'json', data: { products: [] } });
    expect(readCatalogText('<html>', 'text/html', '/c.json').fatal).toMatch(/not valid JSON/);
    expect(readCatalogText(TSV, '', '/feed.tsv').data).toMatchObject({ products: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }] });
    expect(readCatalogText('<rss><channel><item>', 'application/xml', '/f.xml').fatal).toMatch(/ends inside <item>/);
  });
  it('reads Merchant Center prices', () => {
    expect(merchantPrice('12.50 EUR')).toEqual({ amount: 12.5, currency: 'EUR' });
    expect(merchantPrice('usd 3')).toEqual({ amount: 3, currency: 'USD' });
    expect(merchantPrice('12,5 eur')).toEqual({ amount: 12.5, currency: 'EUR' });
    expect(merchantPrice('7')).toEqual({ amount: 7, currency: undefined });
    expect(merchantPrice('EUR 1 USD')).toBeUndefined();
    expect(merchantPrice('-1 EUR')).toBeUndefined();
  });
});
