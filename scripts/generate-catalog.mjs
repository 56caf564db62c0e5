#!/usr/bin/env node
/**
 * Generates the demo shop's catalog: `public/catalog.json`, `public/categories.json`, the flat SVG product
 * illustrations in `public/img/`, and the category nav / category tiles inside `public/*.html` (between
 * `<!-- generated:… -->` markers, so every page shares one static, shift-free header).
 *
 * Deterministic: the same seed gives byte-identical output, so the committed files only change when this script does.
 * No dependencies. Usage: `node scripts/generate-catalog.mjs` (or `npm run catalog`).
 *
 * `--out <dir> --products <n>` writes only `<dir>/catalog.json` with about `n` products (category shares kept; the
 * benchmark's bigger catalogs), leaving `public/` alone. Past the word lists' unique titles, titles may repeat.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../src/core/create-random.ts';

const SEED = 0x10ca1;
const CURRENCY = 'EUR';
const VARIANTS = 6;
const OUT_OF_STOCK_RATE = 0.07;

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const outDir = option('--out');
const wanted = option('--products') === undefined ? undefined : Number.parseInt(option('--products'), 10);
if (wanted !== undefined && !(wanted > 0)) throw new Error('--products needs a positive integer');
if (wanted !== undefined && outDir === undefined) throw new Error('--products needs --out <dir> (public/ keeps the demo catalog)');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = join(root, 'public');
const imgDir = join(publicDir, 'img');

const rng = createRandom(SEED); // mulberry32, the same seeded generator the model uses
const pick = (list) => list[Math.floor(rng() * list.length)];
const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** A shop-like price: whole euros plus a typical ending (.50, .90, .95, .99, .00). */
function shopPrice(value) {
  const whole = Math.max(1, Math.floor(value));
  const ending = pick([0.9, 0.9, 0.95, 0.99, 0.5, 0]);
  return Math.round((whole + ending) * 100) / 100;
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists. Each noun: name, optional descriptor lists `a` / `b` (override the category's), sizes `s` (bigger
// sizes cost more; `pre: true` puts the size right after the brand), price range `p` in EUR for the smallest size.
// ---------------------------------------------------------------------------------------------------------------
const CATEGORIES = [
  {
    id: 'skincare', label: 'Skincare', count: 150, shape: 'dropper',
    brands: ['Aurora', 'Lumea', 'Dermalis', 'Petal & Pine', 'Nordskin', 'Oasis Lab'],
    a: ['Rose', 'Vitamin C', 'Niacinamide', 'Ceramide', 'Aloe', 'Hyaluronic', 'Green Tea', 'Oat', 'Retinol'],
    b: ['Hydrating', 'Calming', 'Brightening', 'Gentle', 'Overnight', 'Daily', 'Firming'],
    nouns: [
      { n: 'Serum', s: ['30 ml', '50 ml'], p: [16, 42] },
      { n: 'Face Cream', s: ['50 ml'], p: [14, 38] },
      { n: 'Cleanser', s: ['150 ml', '250 ml'], p: [9, 22] },
      { n: 'Toner', s: ['200 ml'], p: [9, 24] },
      { n: 'Eye Cream', s: ['15 ml'], p: [15, 36] },
      { n: 'Face Mask', s: ['75 ml'], p: [11, 28] },
      { n: 'Face Oil', s: ['30 ml'], p: [18, 44] },
      { n: 'SPF 50 Sunscreen', a: ['Mineral', 'Invisible', 'Tinted', 'Sport'], b: [''], s: ['75 ml', '150 ml'], p: [12, 26] },
    ],
  },
  {
    id: 'makeup', label: 'Makeup', count: 130, shape: 'lipstick',
    brands: ['Belle Rouge', 'Kohl & Co', 'Mira', 'Studio Nine', 'Lune', 'Petalique', 'Velvetine'],
    a: ['Rosewood', 'Coral', 'Nude', 'Berry', 'Mocha', 'Ruby', 'Peach', 'Plum', 'Cinnamon', 'Fig'],
    b: ['Matte', 'Satin', 'Velvet', 'Long-Wear', 'Sheer', 'Glow'],
    nouns: [
      { n: 'Lipstick', s: ['3.5 g'], p: [12, 32] },
      { n: 'Lip Gloss', s: ['6 ml'], p: [10, 24] },
      { n: 'Blush', s: ['5 g'], p: [12, 30] },
      { n: 'Mascara', a: ['Black', 'Brown Black', 'Midnight'], b: ['Volumising', 'Lengthening', 'Waterproof', 'Curling'], s: ['10 ml'], p: [11, 29] },
      { n: 'Foundation', a: ['Porcelain', 'Ivory', 'Beige', 'Honey', 'Caramel', 'Espresso'], b: ['Matte', 'Satin', 'Skin-Tint', 'Long-Wear'], s: ['30 ml'], p: [18, 42] },
      { n: 'Concealer', a: ['Fair', 'Light', 'Medium', 'Tan', 'Deep'], b: ['Creamy', 'Full-Cover', 'Brightening'], s: ['8 ml'], p: [10, 27] },
      { n: 'Eyeshadow Palette', a: ['Desert', 'Smoky', 'Rose Gold', 'Forest', 'Sunset'], b: ['', 'Shimmer', 'Matte'], s: ['9 shades', '12 shades'], p: [19, 45] },
      { n: 'Eyeliner', a: ['Jet Black', 'Brown', 'Navy'], b: ['Liquid', 'Gel', 'Smudge-Proof'], s: ['1 ml'], p: [8, 22] },
    ],
  },
  {
    id: 'haircare', label: 'Haircare', count: 110, shape: 'pump',
    brands: ['Silkroot', 'Maren', 'Botanica Hair', 'Curl Theory', 'Nordic Mane', 'Salon Verde'],
    a: ['Argan', 'Coconut', 'Rosemary', 'Keratin', 'Tea Tree', 'Oat', 'Shea', 'Bamboo'],
    b: ['Repair', 'Volume', 'Smoothing', 'Curl', 'Moisture', 'Clarifying', 'Colour-Care'],
    nouns: [
      { n: 'Shampoo', s: ['250 ml', '500 ml'], p: [7, 19] },
      { n: 'Conditioner', s: ['250 ml', '500 ml'], p: [8, 21] },
      { n: 'Hair Mask', s: ['200 ml'], p: [12, 29] },
      { n: 'Hair Oil', s: ['50 ml', '100 ml'], p: [14, 32] },
      { n: 'Styling Cream', s: ['150 ml'], p: [11, 24] },
      { n: 'Dry Shampoo', s: ['200 ml'], p: [7, 16] },
      { n: 'Leave-In Spray', s: ['150 ml'], p: [10, 23] },
    ],
  },
  {
    id: 'fragrance', label: 'Fragrance', count: 90, shape: 'flacon',
    brands: ['Maison Ivre', 'Atelier Nord', 'Solenne', 'Cedar & Smoke', 'Ambre Lune', 'Folk Perfumery'],
    a: ['Vetiver', 'Fig', 'Amber', 'Neroli', 'Oud', 'Iris', 'Bergamot', 'Sandalwood', 'Tuberose', 'Sea Salt'],
    b: ['Noir', 'Blanc', 'Absolu', 'Intense', 'Soleil', 'Nocturne', ''],
    nouns: [
      { n: 'Eau de Parfum', s: ['30 ml', '50 ml', '100 ml'], p: [45, 78] },
      { n: 'Eau de Toilette', s: ['50 ml', '100 ml'], p: [32, 58] },
      { n: 'Body Mist', b: [''], s: ['150 ml'], p: [15, 28] },
      { n: 'Scented Candle', b: [''], s: ['180 g', '300 g'], p: [22, 42] },
      { n: 'Travel Spray', s: ['10 ml'], p: [18, 32] },
    ],
  },
  {
    id: 'kitchen', label: 'Kitchen', count: 140, shape: 'pot',
    brands: ['Ferro', 'Copperleaf', 'Hausgut', 'Nordform', 'Olea', 'Kiln & Co', 'Tavola'],
    a: ['Classic', 'Pro', 'Everyday', 'Heritage', 'Compact', ''],
    nouns: [
      { n: 'Frying Pan', b: ['Cast Iron', 'Stainless Steel', 'Carbon Steel', 'Non-Stick'], s: ['24 cm', '28 cm'], p: [24, 69] },
      { n: 'Dutch Oven', b: ['Enamelled Cast Iron', 'Cast Iron'], s: ['3.8 L', '5.2 L'], p: [69, 149] },
      { n: 'Saucepan', b: ['Stainless Steel', 'Copper', 'Enamel'], s: ['16 cm', '20 cm'], p: [29, 79] },
      { n: "Chef's Knife", b: ['Carbon Steel', 'Damascus Steel', 'Stainless Steel'], s: ['20 cm'], p: [39, 129] },
      { n: 'Cutting Board', b: ['Oak', 'Walnut', 'Bamboo', 'Olive Wood'], s: ['35 cm', '45 cm'], p: [19, 59] },
      { n: 'Mixing Bowl Set', b: ['Stoneware', 'Glass', 'Stainless Steel'], s: ['3-piece'], p: [24, 55] },
      { n: 'Salad Bowl', b: ['Oak', 'Ceramic', 'Olive Wood'], s: ['28 cm'], p: [22, 49] },
      { n: 'Storage Jar', b: ['Glass', 'Ceramic'], s: ['1 L', '2 L'], p: [9, 22] },
      { n: 'Dinner Plate Set', b: ['Stoneware', 'Porcelain'], s: ['4-piece'], p: [29, 79] },
    ],
  },
  {
    id: 'coffee-tea', label: 'Coffee & Tea', count: 120, shape: 'mug',
    brands: ['Altura', 'Kettle & Leaf', 'Roastery 41', 'Mokka Nord', 'Jade Garden', 'Slow Drip'],
    nouns: [
      { n: 'Coffee Beans', a: ['Ethiopia Yirgacheffe', 'Colombia Huila', 'Brazil Cerrado', 'Guatemala Antigua', 'Kenya AA', 'House Espresso', 'Sumatra'], b: ['Light Roast', 'Medium Roast', 'Dark Roast'], s: ['250 g', '1 kg'], p: [8, 16] },
      { n: 'Ground Coffee', a: ['Breakfast', 'House', 'Decaf', 'Colombia', 'Brazil'], b: ['Medium Roast', 'Dark Roast'], s: ['250 g'], p: [6, 12] },
      { n: 'Loose Leaf Tea', a: ['Sencha', 'Earl Grey', 'Chamomile', 'Rooibos', 'Jasmine', 'Darjeeling', 'Assam', 'Peppermint'], b: ['Organic', 'First Flush', ''], s: ['100 g', '250 g'], p: [6, 15] },
      { n: 'Tea Bags', a: ['English Breakfast', 'Green', 'Ginger Lemon', 'Chai', 'Peppermint'], b: ['Organic', ''], s: ['20 bags', '50 bags'], p: [3, 8] },
      { n: 'Pour-Over Dripper', a: ['Ceramic', 'Glass', 'Copper'], b: [''], s: [''], p: [18, 39] },
      { n: 'French Press', a: ['Glass', 'Stainless Steel'], b: ['Classic', 'Insulated'], s: ['0.6 L', '1 L'], p: [24, 59] },
      { n: 'Gooseneck Kettle', a: ['Matte Black', 'Brushed Steel', 'Copper'], b: ['', 'Electric'], s: ['0.8 L'], p: [35, 89] },
      { n: 'Mug', a: ['Speckled', 'Glazed', 'Enamel', 'Double-Wall'], b: ['Stoneware', 'Glass', ''], s: ['350 ml'], p: [9, 22] },
      { n: 'Teapot', a: ['Cast Iron', 'Glass', 'Porcelain'], b: [''], s: ['0.9 L'], p: [24, 59] },
      { n: 'Hand Grinder', a: ['Ceramic Burr', 'Steel Burr'], b: [''], s: [''], p: [29, 119] },
    ],
  },
  {
    id: 'outdoor', label: 'Outdoor', count: 110, shape: 'tent',
    brands: ['Fjellkraft', 'Trailhead', 'Summit & Co', 'Wildmoor', 'Northbound', 'Ridgeway'],
    a: ['Ultralight', 'Waterproof', 'Packable', 'All-Season', 'Trail', 'Expedition'],
    b: [''],
    nouns: [
      { n: 'Backpack', s: ['22 L', '32 L', '45 L'], p: [59, 119] },
      { n: 'Tent', pre: true, s: ['2-Person', '3-Person'], p: [149, 299] },
      { n: 'Sleeping Bag', s: ['+5 °C', '-5 °C'], p: [79, 199] },
      { n: 'Headlamp', s: ['350 lm', '500 lm'], p: [19, 49] },
      { n: 'Water Bottle', a: ['Insulated', 'Trail', 'Steel'], s: ['750 ml', '1 L'], p: [16, 34] },
      { n: 'Camping Stove', a: ['Compact', 'Ultralight', 'Trail'], s: [''], p: [35, 89] },
      { n: 'Rain Jacket', pre: true, s: ["Men's", "Women's"], p: [89, 239] },
      { n: 'Trekking Poles', a: ['Carbon', 'Aluminium', 'Foldable'], s: ['1 pair'], p: [39, 119] },
      { n: 'Camping Chair', a: ['Compact', 'Packable', 'Ultralight'], s: [''], p: [29, 79] },
    ],
  },
  {
    id: 'running', label: 'Running', count: 100, shape: 'shoe',
    brands: ['Stride', 'Pacer', 'Vento', 'Kinetic', 'Asphalt', 'Tempo Labs'],
    a: [''],
    nouns: [
      { n: 'Running Shoes', pre: true, a: ['Cushioned', 'Lightweight', 'Stability', 'Racing', 'Grip'], b: ['Road', 'Trail'], s: ["Men's", "Women's"], p: [89, 149] },
      { n: 'Running Tights', pre: true, a: ['Thermal', 'Compression', 'Lightweight'], b: [''], s: ["Men's", "Women's"], p: [35, 69] },
      { n: 'Running Socks', a: ['Cushioned', 'Merino', 'Low-Cut'], b: [''], s: ['3-pack'], p: [12, 24] },
      { n: 'Running Jacket', pre: true, a: ['Windproof', 'Reflective', 'Packable'], b: [''], s: ["Men's", "Women's"], p: [59, 129] },
      { n: 'Hydration Vest', a: ['Trail', 'Race'], b: [''], s: ['5 L', '10 L'], p: [59, 119] },
      { n: 'GPS Sports Watch', a: ['Pro', 'Lite', 'Trail'], b: [''], s: [''], p: [129, 299] },
      { n: 'Running Cap', a: ['Breathable', 'Reflective'], b: [''], s: [''], p: [15, 29] },
      { n: 'Energy Gels', a: ['Citrus', 'Berry', 'Salted Caramel', 'Espresso'], b: [''], s: ['12-pack'], p: [14, 24] },
    ],
  },
  {
    id: 'books', label: 'Books', count: 140, shape: 'book',
    brands: ['Harbor Press', 'Lantern Books', 'Fieldnote Editions', 'Northwind', 'Paper Crane', 'Saltmarsh House'],
    // Book titles do not start with the publisher; see bookTitle().
    nouns: [
      { kind: 'fiction', weight: 6, a: ['The Quiet', 'The Last', 'The Salt', 'The Paper', 'A Small', 'The Winter', 'The Hidden', 'The Long', 'The Glass', 'The Lantern', 'The Silver', 'A Borrowed'], b: ['Orchard', 'Lighthouse', 'Harbour', 'Garden', 'Letters', 'Summer', 'River', 'Archive', 'Island', 'Station', 'Kingdom', 'Daughter'], s: ['Paperback', 'Hardcover'], p: [10, 16] },
      { kind: 'cookbook', weight: 2, a: ['Simple', 'Slow', 'Everyday', 'Green', 'Coastal', 'Weeknight', 'Mediterranean', 'Nordic'], b: ['Kitchen', 'Baking', 'Suppers', 'Bowls', 'Breads', 'Vegetables', 'Pasta'], s: ['Hardcover'], p: [22, 34] },
      { kind: 'guide', weight: 2, a: ['A Field Guide to', "The Beginner's Guide to", 'The Little Book of', 'Everything About'], b: ['Birds', 'Mushrooms', 'Trees', 'Wild Herbs', 'the Night Sky', 'Sourdough', 'Houseplants', 'Watercolour', 'Trail Running', 'Pottery', 'Coffee'], s: ['Paperback', 'Hardcover'], p: [12, 22] },
    ],
  },
  {
    id: 'stationery', label: 'Stationery', count: 110, shape: 'notebook',
    brands: ['Papier Nord', 'Inkwell', 'Folio & Fern', 'Graphite Studio', 'Kuro', 'Margin'],
    nouns: [
      { n: 'Notebook', a: ['Dotted', 'Lined', 'Grid', 'Blank'], b: ['Linen Hardcover', 'Softcover', 'Recycled'], s: ['A5', 'A6'], p: [8, 22] },
      { n: 'Fountain Pen', a: ['Brass', 'Matte Black', 'Celluloid', 'Aluminium'], b: ['Fine Nib', 'Medium Nib'], s: [''], p: [24, 89] },
      { n: 'Gel Pen Set', a: ['Pastel', 'Classic', 'Fine-Line'], b: [''], s: ['6 pens', '12 pens'], p: [7, 16] },
      { n: 'Pencil Set', a: ['Graphite', 'Colour', 'Sketching'], b: [''], s: ['12 pcs', '24 pcs'], p: [8, 26] },
      { n: 'Weekly Planner', a: ['2026', 'Undated'], b: ['Linen', 'Softcover'], s: ['A5'], p: [14, 29] },
      { n: 'Washi Tape', a: ['Botanical', 'Grid', 'Pastel', 'Gold Foil'], b: [''], s: ['3-pack', '5-pack'], p: [5, 12] },
      { n: 'Sketchbook', a: ['Mixed Media', 'Watercolour', 'Drawing'], b: [''], s: ['A5', 'A4'], p: [9, 26] },
      { n: 'Desk Organiser', a: ['Oak', 'Felt', 'Steel'], b: [''], s: [''], p: [18, 45] },
      { n: 'Bottled Ink', a: ['Midnight Blue', 'Forest Green', 'Sepia', 'Black'], b: [''], s: ['50 ml'], p: [9, 18] },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------------------------
function weightedNoun(nouns) {
  const total = nouns.reduce((sum, n) => sum + (n.weight ?? 1), 0);
  let r = rng() * total;
  for (const [i, n] of nouns.entries()) {
    r -= n.weight ?? 1;
    if (r < 0) return i;
  }
  return nouns.length - 1;
}

function makeProduct(cat, brandTier) {
  const nounIndex = weightedNoun(cat.nouns);
  const noun = cat.nouns[nounIndex];
  const brandIndex = Math.floor(rng() * cat.brands.length);
  const brand = cat.brands[brandIndex];
  const a = pick(noun.a ?? cat.a ?? ['']);
  const b = pick(noun.b ?? cat.b ?? ['']);
  const sizeIndex = Math.floor(rng() * noun.s.length);
  const size = noun.s[sizeIndex];
  let title;
  if (cat.id === 'books') {
    const name = noun.kind === 'cookbook' ? `${a} ${b} Cookbook` : `${a} ${b}`;
    title = `${name} (${size})`;
  } else {
    // `pre` sizes read better before the product ("Men's", "2-Person").
    const parts = noun.pre ? [brand, size, a, b, noun.n] : [brand, a, b, noun.n, size];
    title = parts.filter(Boolean).join(' ');
  }
  const [lo, hi] = noun.p;
  const base = lo + (hi - lo) * rng() ** 1.4;
  const price = shopPrice(base * brandTier[brandIndex] * (1 + 0.55 * sizeIndex));
  // Colour follows brand and product type, so a brand's range looks coherent.
  const variant = ((brandIndex * 2 + nounIndex) % VARIANTS) + 1;
  return { title, brand, price, variant };
}

const drafts = [];
const demoTotal = CATEGORIES.reduce((n, c) => n + c.count, 0);
CATEGORIES.forEach((cat, i) => {
  const count =
    wanted === undefined
      ? cat.count
      : i < CATEGORIES.length - 1
        ? Math.round((cat.count * wanted) / demoTotal)
        : wanted - CATEGORIES.slice(0, -1).reduce((n, c) => n + Math.round((c.count * wanted) / demoTotal), 0);
  const brandTier = cat.brands.map(() => 0.8 + rng() * 0.55);
  const titles = new Set();
  let made = 0;
  let guard = 0;
  let misses = 0;
  while (made < count) {
    if (++guard > count * 200) throw new Error(`not enough title combinations for ${cat.id}`);
    const p = makeProduct(cat, brandTier);
    // A scaled-up catalog outgrows the word lists: after 50 misses in a row a title may repeat (shops have namesakes).
    if (titles.has(p.title) && (wanted === undefined || ++misses < 50)) continue;
    misses = 0;
    made++;
    titles.add(p.title);
    drafts.push({ ...p, category: cat.id });
  }
});

// Shuffle so ids do not follow category order, then give long-tailed (Zipf-like) popularity by a random rank.
shuffle(drafts);
const ranks = shuffle(drafts.map((_, i) => i + 1));
const products = drafts.map((d, i) => {
  const id = `p${String(i + 1).padStart(4, '0')}`;
  const popularity = Math.round((9000 / ranks[i] ** 0.95) * (0.85 + 0.3 * rng())) + Math.floor(rng() * 6);
  return {
    id,
    title: d.title,
    category: d.category,
    brand: d.brand,
    price: d.price,
    currency: CURRENCY,
    image: `/img/${d.category}-${d.variant}.svg`,
    url: `/product.html?id=${id}`,
    inStock: rng() >= OUT_OF_STOCK_RATE,
    popularity,
  };
});

// One product per line keeps the committed file diffable and small.
const catalogText =
  `{"version":1,"currency":"${CURRENCY}","products":[\n` +
  products.map((p) => JSON.stringify(p)).join(',\n') +
  '\n]}\n';
if (outDir !== undefined) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'catalog.json'), catalogText);
  process.exit(0); // only the catalog: images, categories and HTML stay the demo's
}
writeFileSync(join(publicDir, 'catalog.json'), catalogText);

const categories = CATEGORIES.map((c) => ({
  id: c.id,
  label: c.label,
  count: products.filter((p) => p.category === c.id).length,
}));
writeFileSync(join(publicDir, 'categories.json'), JSON.stringify(categories, null, 2) + '\n');

// ---------------------------------------------------------------------------------------------------------------
// SVG illustrations: one flat drawing per category, 6 palettes. viewBox 0 0 240 240, no text, no external refs.
// Palette: bg (tile), main (object), light (highlight / secondary part), dark (details).
// ---------------------------------------------------------------------------------------------------------------
const PALETTES = [
  { bg: '#fbeaee', main: '#e07a8f', light: '#f7c9d3', dark: '#8c3b4d' }, // rose
  { bg: '#e7f1ea', main: '#6aa281', light: '#cde5d5', dark: '#2f5f44' }, // sage
  { bg: '#e6eff9', main: '#5a8ccf', light: '#c7dbf3', dark: '#2b4f80' }, // sky
  { bg: '#f8efe0', main: '#d29f5c', light: '#f0dab6', dark: '#7a5528' }, // sand
  { bg: '#efe9f8', main: '#987ace', light: '#ddd1f2', dark: '#553a86' }, // lilac
  { bg: '#eceef1', main: '#4b5563', light: '#c9ced6', dark: '#1f2530' }, // graphite
];

const SHAPES = {
  dropper: (c) => `<rect x="84" y="96" width="72" height="104" rx="16" fill="${c.main}"/>
<rect x="96" y="122" width="48" height="46" rx="6" fill="${c.light}"/>
<rect x="104" y="72" width="32" height="28" rx="4" fill="${c.dark}"/>
<rect x="110" y="40" width="20" height="36" rx="10" fill="${c.light}"/>
<rect x="94" y="104" width="10" height="60" rx="5" fill="#fff" opacity=".35"/>`,
  lipstick: (c) => `<rect x="88" y="128" width="64" height="74" rx="6" fill="${c.dark}"/>
<rect x="88" y="118" width="64" height="14" rx="3" fill="${c.light}"/>
<rect x="98" y="88" width="44" height="32" fill="${c.light}"/>
<path d="M102 90V58q0-12 12-20l26-10v62z" fill="${c.main}"/>
<rect x="96" y="140" width="8" height="52" rx="4" fill="#fff" opacity=".25"/>`,
  pump: (c) => `<rect x="80" y="100" width="80" height="102" rx="18" fill="${c.main}"/>
<rect x="94" y="126" width="52" height="50" rx="8" fill="${c.light}"/>
<rect x="106" y="80" width="28" height="22" rx="4" fill="${c.dark}"/>
<rect x="115" y="54" width="10" height="28" fill="${c.dark}"/>
<path d="M100 46h44v12h-44z" fill="${c.dark}"/><rect x="90" y="46" width="14" height="6" rx="3" fill="${c.dark}"/>
<rect x="90" y="110" width="10" height="70" rx="5" fill="#fff" opacity=".3"/>`,
  flacon: (c) => `<rect x="70" y="100" width="100" height="100" rx="14" fill="${c.main}"/>
<rect x="86" y="116" width="68" height="68" rx="8" fill="${c.light}" opacity=".7"/>
<rect x="108" y="84" width="24" height="18" fill="${c.dark}"/>
<rect x="98" y="50" width="44" height="36" rx="8" fill="${c.dark}"/>
<circle cx="120" cy="150" r="14" fill="${c.main}"/>
<rect x="78" y="110" width="9" height="80" rx="4" fill="#fff" opacity=".3"/>`,
  pot: (c) => `<rect x="56" y="104" width="128" height="86" rx="14" fill="${c.main}"/>
<rect x="30" y="118" width="30" height="12" rx="6" fill="${c.dark}"/>
<rect x="180" y="118" width="30" height="12" rx="6" fill="${c.dark}"/>
<rect x="48" y="92" width="144" height="16" rx="8" fill="${c.dark}"/>
<path d="M66 92q54-38 108 0z" fill="${c.light}"/>
<rect x="108" y="60" width="24" height="12" rx="6" fill="${c.dark}"/>
<rect x="70" y="124" width="100" height="10" rx="5" fill="#fff" opacity=".25"/>`,
  mug: (c) => `<path d="M160 112h14a24 24 0 0 1 0 48h-14" fill="none" stroke="${c.dark}" stroke-width="12"/>
<rect x="64" y="96" width="100" height="106" rx="14" fill="${c.main}"/>
<rect x="64" y="96" width="100" height="16" rx="8" fill="${c.dark}"/>
<rect x="78" y="124" width="10" height="62" rx="5" fill="#fff" opacity=".3"/>
<path d="M96 82q-10-14 0-28t0-28M128 82q-10-14 0-28t0-28" fill="none" stroke="${c.light}" stroke-width="7" stroke-linecap="round"/>`,
  tent: (c) => `<circle cx="178" cy="62" r="18" fill="${c.light}"/>
<path d="M120 48 36 196h168z" fill="${c.main}"/>
<path d="M120 48 92 196h56z" fill="${c.dark}"/>
<path d="M120 110 104 196h32z" fill="${c.light}"/>
<rect x="24" y="194" width="192" height="8" rx="4" fill="${c.dark}"/>`,
  shoe: (c) => `<path d="M34 158q0-46 24-66 16 12 40 8l20-10q12 34 46 40l26 8q18 6 18 26v8H34z" fill="${c.main}"/>
<path d="M34 170h172v10q0 10-10 10H44q-10 0-10-10z" fill="${c.dark}"/>
<path d="M82 116l18-6M90 130l20-7M100 144l22-8" stroke="${c.light}" stroke-width="7" stroke-linecap="round"/>
<path d="M48 150h40" stroke="#fff" stroke-width="6" stroke-linecap="round" opacity=".35"/>`,
  book: (c) => `<rect x="62" y="184" width="126" height="18" rx="4" fill="${c.dark}"/>
<rect x="56" y="166" width="132" height="18" rx="4" fill="${c.light}"/>
<rect x="78" y="44" width="92" height="122" rx="6" fill="${c.main}"/>
<rect x="78" y="44" width="16" height="122" rx="4" fill="${c.dark}"/>
<rect x="108" y="66" width="46" height="8" rx="4" fill="${c.light}"/>
<rect x="108" y="82" width="32" height="6" rx="3" fill="${c.light}"/>`,
  notebook: (c) => `<rect x="58" y="46" width="104" height="150" rx="8" fill="${c.main}"/>
<rect x="58" y="46" width="18" height="150" rx="6" fill="${c.dark}"/>
<rect x="92" y="70" width="54" height="30" rx="4" fill="${c.light}"/>
<rect x="140" y="46" width="8" height="60" fill="${c.light}"/>
<path d="M178 62h16v114l-8 16-8-16z" fill="${c.light}"/>
<path d="M178 62h16v14h-16z" fill="${c.dark}"/>`,
};

mkdirSync(imgDir, { recursive: true });
for (const file of readdirSync(imgDir)) if (file.endsWith('.svg')) rmSync(join(imgDir, file));
let largestSvg = 0;
for (const cat of CATEGORIES) {
  PALETTES.forEach((c, i) => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240">\n` +
      `<rect width="240" height="240" fill="${c.bg}"/>\n` +
      `<ellipse cx="120" cy="206" rx="82" ry="10" fill="${c.dark}" opacity=".12"/>\n` +
      SHAPES[cat.shape](c) +
      '\n</svg>\n';
    largestSvg = Math.max(largestSvg, Buffer.byteLength(svg));
    writeFileSync(join(imgDir, `${cat.id}-${i + 1}.svg`), svg);
  });
}
if (largestSvg >= 2048) throw new Error(`an SVG is ${largestSvg} bytes; keep them under 2 KB`);

// ---------------------------------------------------------------------------------------------------------------
// Static HTML fragments: category nav (every page) and category tiles (home), between generated markers.
// ---------------------------------------------------------------------------------------------------------------
const escapeHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function indentBlock(lines, indent) {
  return lines.map((l) => indent + l).join('\n');
}

const navLines = categories.map(
  (c) => `<li><a href="/category.html?c=${c.id}" data-category="${c.id}">${escapeHtml(c.label)}</a></li>`,
);
const tileLines = categories.map((c, i) =>
  [
    `<li><a class="cat-tile" href="/category.html?c=${c.id}">`,
    `  <img src="/img/${c.id}-${(i % VARIANTS) + 1}.svg" width="240" height="240" alt="" loading="lazy">`,
    `  <span class="cat-tile-label">${escapeHtml(c.label)}</span>`,
    `  <span class="cat-tile-count">${c.count} products</span>`,
    `</a></li>`,
  ].join('\n'),
);

function fillMarkers(html, name, lines) {
  const re = new RegExp(`([ \\t]*)<!-- generated:${name} -->[\\s\\S]*?<!-- /generated:${name} -->`, 'g');
  return html.replace(re, (_, indent) => {
    const body = indentBlock(lines.join('\n').split('\n'), indent);
    return `${indent}<!-- generated:${name} -->\n${body}\n${indent}<!-- /generated:${name} -->`;
  });
}

const touched = [];
for (const file of readdirSync(publicDir)) {
  if (!file.endsWith('.html')) continue;
  const path = join(publicDir, file);
  const before = readFileSync(path, 'utf8');
  const after = fillMarkers(fillMarkers(before, 'category-nav', navLines), 'category-tiles', tileLines);
  if (after !== before) {
    writeFileSync(path, after);
    touched.push(file);
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`catalog.json: ${products.length} products, ${kb(Buffer.byteLength(catalogText))}`);
console.log(`categories: ${categories.map((c) => `${c.id} (${c.count})`).join(', ')}`);
console.log(`out of stock: ${products.filter((p) => !p.inStock).length}`);
console.log(`img/: ${CATEGORIES.length * PALETTES.length} SVGs, largest ${largestSvg} bytes`);
console.log(`html updated: ${touched.length ? touched.join(', ') : 'none'}`);
