import { describe, expect, it } from 'vitest';
import { mergePageCatalog } from './merge-page-catalog';
import { parseCatalog } from './parse-catalog';
import type { Product } from './product';
import { schemaOrgProducts } from './schema-org-products';

const products = (roots: unknown[], known?: Set<string>): readonly Product[] => parseCatalog(schemaOrgProducts(roots, known)).products;

describe('schemaOrgProducts', () => {
  it('reads a Product with Offer, Brand object, ImageObject and a category path', () => {
    const [p] = products([{
      '@context': 'https://schema.org', '@type': 'Product', sku: 'S1', productID: 'P1', '@id': 'https://shop.example/p/1#product',
      name: 'Linen Shirt', category: 'Apparel > Shirts', brand: { '@type': 'Brand', name: 'Loom' },
      image: { '@type': 'ImageObject', url: 'https://shop.example/1.jpg' }, url: 'https://shop.example/p/1',
      offers: { '@type': 'Offer', price: '39.90', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' },
      aggregateRating: { '@type': 'AggregateRating', ratingValue: 4.5, reviewCount: 12 }, color: 'white',
    }]);
    expect(p).toEqual({ id: 'S1', title: 'Linen Shirt', category: 'Shirts', brand: 'Loom', price: 39.9, currency: 'EUR', image: 'https://shop.example/1.jpg', url: 'https://shop.example/p/1', inStock: true, popularity: 12, attributes: ['color:white'] });
  });
  it('takes sku, then productID, then @id — unless the page uses one of them', () => {
    expect(products([{ '@type': 'Product', productID: 'P1', '@id': '#x', name: 'A', category: 'c' }])[0]!.id).toBe('P1');
    expect(products([{ '@type': 'Product', '@id': '#x', name: 'A', category: 'c' }])[0]!.id).toBe('#x');
    expect(products([{ '@type': 'Product', sku: 'S1', productID: 'P1', name: 'A', category: 'c' }], new Set(['P1']))[0]!.id).toBe('P1');
  });
  it('finds products in @graph, ItemList (ListItem.item or direct), arrays and mainEntity', () => {
    const ids = products([
      { '@graph': [{ '@type': 'WebPage' }, { '@type': ['Thing', 'Product'], sku: 'g', name: 'G', category: 'c' }] },
      { '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', position: 1, item: { '@type': 'Product', sku: 'l1', name: 'L1', category: 'c' } }, { '@type': 'Product', sku: 'l2', name: 'L2', category: 'c' }] },
      [{ '@type': 'schema:Product', sku: 'arr', name: 'Arr', category: 'c' }],
      { '@type': 'CollectionPage', mainEntity: { '@type': 'Product', sku: 'main', name: 'Main', category: 'c' } },
    ]).map((p) => p.id);
    expect(ids).toEqual(['g', 'l1', 'l2', 'arr', 'main']);
  });
  it('reads AggregateOffer, lists of offers and out-of-stock availability', () => {
    const [agg, list, sold] = products([
      { '@type': 'Product', sku: 'a', name: 'A', category: 'c', offers: { '@type': 'AggregateOffer', lowPrice: 10, highPrice: 20, priceCurrency: 'USD' } },
      { '@type': 'Product', sku: 'b', name: 'B', category: 'c', offers: [{ '@type': 'Offer', price: 5, priceCurrency: 'GBP', availability: 'OutOfStock' }, { '@type': 'Offer', price: 6, availability: 'https://schema.org/InStock' }] },
      { '@type': 'Product', sku: 'c', name: 'C', category: 'c', offers: { price: 7, availability: 'http://schema.org/SoldOut' } },
    ]);
    expect([agg!.price, agg!.currency, agg!.inStock]).toEqual([10, 'USD', true]);
    expect([list!.price, list!.currency, list!.inStock]).toEqual([5, 'GBP', true]);
    expect([sold!.price, sold!.inStock]).toEqual([7, false]);
  });
  it('takes the category from the page breadcrumb (or "other") when the product has none', () => {
    const roots = [
      { '@type': 'BreadcrumbList', itemListElement: [{ '@type': 'ListItem', position: 2, name: 'Teapots' }, { '@type': 'ListItem', position: 1, item: { name: 'Kitchen' } }, { '@type': 'ListItem', position: 3, name: 'Iron Pot' }] },
      { '@type': 'Product', sku: 'pot', name: 'Iron Pot' },
    ];
    expect(products(roots)[0]!.category).toBe('Teapots');
    expect(products([{ '@type': 'Product', sku: 'x', name: 'X' }])[0]!.category).toBe('other');
  });
  it('hands hostile values to parseCatalog, which drops or cuts them', () => {
    const mb = 'm'.repeat(1_000_000);
    const [p] = products([{ '@type': 'Product', sku: 'h', name: `<script>alert(1)</script>${mb}`, category: 'c', url: 'javascript:alert(1)', image: ['data:image/png;base64,AAAA'], brand: { name: { evil: true } }, offers: { price: 'free' } }]);
    expect(p!.title).toHaveLength(300);
    expect(p!.title.startsWith('<script>')).toBe(true); // text, rendered as text
    expect([p!.url, p!.image, p!.price, p!.brand]).toEqual([undefined, undefined, undefined, '']);
    expect(products([{ '@type': 'Product', sku: 'x'.repeat(301), name: 'Long id', category: 'c' }])).toEqual([]);
  });
  it('reads a ProductGroup as its variants, each taking what it lacks from the group', () => {
    const group = {
      '@context': 'https://schema.org', '@type': 'ProductGroup', productGroupID: 'tee', name: 'Cotton Tee', brand: { '@type': 'Brand', name: 'Loom' },
      category: 'Apparel > Shirts', image: 'https://shop.example/tee.jpg', url: 'https://shop.example/p/tee', variesBy: 'https://schema.org/size',
      hasVariant: [
        { '@type': 'Product', sku: 'tee-s', name: 'Cotton Tee S', size: 'S', offers: { '@type': 'Offer', price: 20, priceCurrency: 'EUR', availability: 'https://schema.org/OutOfStock' } },
        { '@type': 'Product', sku: 'tee-m', image: 'https://shop.example/tee-m.jpg', offers: { '@type': 'Offer', price: 22, priceCurrency: 'EUR', availability: 'https://schema.org/InStock' } },
        { '@id': '#tee-l' }, // a reference, not a Product: skipped
      ],
    };
    expect(products([group])).toEqual([
      { id: 'tee-s', title: 'Cotton Tee S', category: 'Shirts', brand: 'Loom', price: 20, currency: 'EUR', image: 'https://shop.example/tee.jpg', url: 'https://shop.example/p/tee', inStock: false, popularity: 0 },
      { id: 'tee-m', title: 'Cotton Tee', category: 'Shirts', brand: 'Loom', price: 22, currency: 'EUR', image: 'https://shop.example/tee-m.jpg', url: 'https://shop.example/p/tee', inStock: true, popularity: 0 },
    ]);
    // The page shows one tile for the group (data-product-id="tee"): one product, in stock because a variant is.
    expect(products([group], new Set(['tee']))).toEqual([
      { id: 'tee', title: 'Cotton Tee', category: 'Shirts', brand: 'Loom', price: 20, currency: 'EUR', image: 'https://shop.example/tee.jpg', url: 'https://shop.example/p/tee', inStock: true, popularity: 0 },
    ]);
    // …unless it also uses a variant's id: then the variants are the products.
    expect(products([group], new Set(['tee', 'tee-m'])).map((p) => p.id)).toEqual(['tee-s', 'tee-m']);
    // A group that lists no variants is one product.
    expect(products([{ '@type': 'ProductGroup', productGroupID: 'g', name: 'G', category: 'c', offers: { price: 3 } }]).map((p) => [p.id, p.price])).toEqual([['g', 3]]);
  });
  it('reads a variant on its own page through isVariantOf, and matches the group id the page uses', () => {
    const variant = { '@type': 'Product', sku: 'mug-blue', color: 'blue', isVariantOf: { '@type': 'ProductGroup', productGroupID: 'mug', name: 'Mug', category: 'Kitchen', brand: 'Clay' }, offers: { price: 9, priceCurrency: 'EUR' } };
    expect(products([variant])).toEqual([{ id: 'mug-blue', title: 'Mug', category: 'Kitchen', brand: 'Clay', price: 9, currency: 'EUR', image: undefined, url: undefined, inStock: true, popularity: 0, attributes: ['color:blue'] }]);
    expect(products([variant], new Set(['mug']))[0]!.id).toBe('mug');
    const linked = { '@type': 'Product', sku: 'cup-red', inProductGroupWithID: 'cup', name: 'Cup', category: 'Kitchen' };
    expect([products([linked])[0]!.id, products([linked], new Set(['cup']))[0]!.id]).toEqual(['cup-red', 'cup']);
  });
  it('survives any JSON value and caps what it visits', () => {
    expect(schemaOrgProducts([null, 3, 'x', [], {}, { '@type': 42 }, { '@graph': 'no' }])).toEqual([]);
    let deep: unknown = { '@type': 'Product', sku: 'deep', name: 'D', category: 'c' };
    for (let i = 0; i < 50; i++) deep = { '@graph': [deep] };
    expect(schemaOrgProducts([deep])).toEqual([]);
    const many = Array.from({ length: 1000 }, (_, i) => ({ '@type': 'Product', sku: `p${i}`, name: 'P', category: 'c' }));
    expect(schemaOrgProducts([many])).toHaveLength(200);
    const bigGroup = { '@type': 'ProductGroup', productGroupID: 'g', hasVariant: many };
    expect(schemaOrgProducts([bigGroup, bigGroup])).toHaveLength(200);
  });
});

describe('mergePageCatalog', () => {
  const product = (id: string, price = 1): Product => ({ id, title: id, category: 'c', brand: '', price, currency: undefined, image: undefined, url: undefined, inStock: true, popularity: 0 });
  it('puts this page first, replaces rows seen again with the newer data and keeps the rest', () => {
    const first = mergePageCatalog(undefined, [product('a'), product('b')], 1);
    const second = mergePageCatalog(first, [product('b', 9), product('c')], 2);
    expect(second.rows.map((r) => [r.row.id, r.row.price, r.seenAt])).toEqual([['b', 9, 2], ['c', 1, 2], ['a', 1, 1]]);
  });
  it('drops the rows seen longest ago beyond the cap', () => {
    let record = mergePageCatalog(undefined, [product('old')], 1);
    record = mergePageCatalog(record, [product('x'), product('y')], 2, 2);
    expect(record.rows.map((r) => r.row.id)).toEqual(['x', 'y']);
  });
  it('treats a stored value of the wrong shape as empty and skips broken entries', () => {
    expect(mergePageCatalog('garbage', [], 1).rows).toEqual([]);
    expect(mergePageCatalog({ v: 1, rows: [null, { row: { id: 5 }, seenAt: 1 }, { row: product('ok'), seenAt: 'x' }, { row: product('ok'), seenAt: 1 }] }, [], 2).rows.map((r) => r.row.id)).toEqual(['ok']);
  });
});
