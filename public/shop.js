/**
 * Maison Demo — the host shop's own script (plain ES module, no build step, no dependencies).
 *
 * It is an ordinary shop page that happens to host LocalRank: it renders its own listings, keeps a cart in
 * localStorage, and works fully when /localrank.js is missing. Everything LocalRank needs from the page is in the
 * DOM contract (data-localrank-* attributes) plus one optional call, `window.LocalRank.rerank()`.
 *
 * Load order matters: this module is placed before localrank.js in <head>; module scripts execute in document
 * order, so the synchronous part below (the page's contract attributes) is done before LocalRank reads the page.
 * Keep that part synchronous — no top-level await.
 */

const CART_KEY = 'demo-cart';
const PERSONALISE_KEY = 'demo-personalise';
const PAGE_SIZE = 48;
/** How many of a list's ids are handed to LocalRank for reordering; the rest keep the shop's order. */
const RERANK_LIMIT = 200;
const LOCALRANK_POLL_MS = 50;
const LOCALRANK_WAIT_MS = 5000;
const FREE_DELIVERY_FROM = 50;
const DELIVERY_FEE = 4.9;
const LOCALE = 'en-IE';

const body = document.body;
const page = body.dataset.localrankPage ?? '';
const params = new URLSearchParams(location.search);
const localRankScript = document.querySelector('script[src$="localrank.js"]');
const catalogUrl = localRankScript?.dataset.catalog || '/catalog.json';

// ---------------------------------------------------------------------------------------------------------------
// 1. Contract attributes — synchronous, before localrank.js runs.
// ---------------------------------------------------------------------------------------------------------------
const productIdParam = (params.get('id') ?? '').trim();
const categoryParam = (params.get('c') ?? '').trim();

if (page === 'product' && productIdParam) {
  body.dataset.localrankPageProduct = productIdParam;
  for (const mount of document.querySelectorAll('[data-localrank-widget="similar"]')) {
    mount.setAttribute('data-product-id', productIdParam);
  }
  document.getElementById('product-add')?.setAttribute('data-product-id', productIdParam);
}

if (page === 'category' && categoryLabel(categoryParam)) {
  document.getElementById('product-grid')?.setAttribute('data-localrank-list', `category:${categoryParam}`);
}

// If the widget bundle cannot load, a module <script> fires `error` when its turn to execute comes — after this
// module, so the listener is always in time. Then there is nothing to wait for and the empty slots are hidden.
let localRankFailed = false;
localRankScript?.addEventListener('error', () => {
  localRankFailed = true;
  document.documentElement.classList.add('lr-unavailable');
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Small helpers
// ---------------------------------------------------------------------------------------------------------------

/** Creates an element with a class and optional text (always textContent: catalog data is never parsed as HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Only same-origin paths from the catalog are used as links or images. */
function safePath(value, fallback) {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : fallback;
}

function productHref(p) {
  return safePath(p.url, `/product.html?id=${encodeURIComponent(p.id)}`);
}

function categoryLabel(id) {
  if (!id) return '';
  for (const link of document.querySelectorAll('.cat-nav a[data-category]')) {
    if (link.getAttribute('data-category') === id) return link.textContent.trim();
  }
  return '';
}

const formatters = new Map();
function formatPrice(amount, currency) {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return '';
  const code = currency || 'EUR';
  let fmt = formatters.get(code);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code });
    } catch {
      fmt = { format: (n) => `${n.toFixed(2)} ${code}` };
    }
    formatters.set(code, fmt);
  }
  return fmt.format(amount);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readFlag(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v === null ? fallback : v === '1';
  } catch {
    return fallback;
  }
}

function writeFlag(key, value) {
  try {
    localStorage.setItem(key, value ? '1' : '0');
  } catch {
    /* storage unavailable (private mode, quota): the choice just isn't remembered */
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Catalog
// ---------------------------------------------------------------------------------------------------------------
let catalogPromise;

/** Loads the catalog once: `{ currency, products, byId }`. Rejects when it cannot be loaded. */
function loadCatalog() {
  catalogPromise ??= fetch(catalogUrl)
    .then((res) => {
      if (!res.ok) throw new Error(`catalog: HTTP ${res.status}`);
      return res.json();
    })
    .then((data) => {
      const currency = typeof data?.currency === 'string' ? data.currency : 'EUR';
      const products = (Array.isArray(data?.products) ? data.products : [])
        .filter((p) => p && typeof p.id === 'string' && typeof p.title === 'string')
        .map((p) => ({
          ...p,
          brand: typeof p.brand === 'string' ? p.brand : '',
          currency: typeof p.currency === 'string' ? p.currency : currency,
          inStock: p.inStock !== false,
          popularity: Number.isFinite(p.popularity) ? p.popularity : 0,
        }));
      return { currency, products, byId: new Map(products.map((p) => [p.id, p])) };
    });
  return catalogPromise;
}

// ---------------------------------------------------------------------------------------------------------------
// 4. LocalRank (optional). Every call is guarded: the shop works the same without it.
// ---------------------------------------------------------------------------------------------------------------
let localRankPromise;

/** Resolves to the ready `window.LocalRank`, or null when it is missing, failed to load or failed to start. */
function getLocalRank() {
  localRankPromise ??= (async () => {
    const deadline = performance.now() + LOCALRANK_WAIT_MS;
    while (!window.LocalRank) {
      if (localRankFailed || performance.now() > deadline) return null;
      await sleep(LOCALRANK_POLL_MS);
    }
    const lr = window.LocalRank;
    try {
      await lr.ready;
    } catch {
      return null;
    }
    return lr;
  })();
  return localRankPromise;
}

/**
 * Asks LocalRank to reorder `ids` for this shopper. Returns a complete permutation of `ids` (unknown ids dropped,
 * missing ids appended in shop order), or null when personalisation is not available.
 */
async function personaliseOrder(ids, list) {
  const lr = await getLocalRank();
  if (!lr || typeof lr.rerank !== 'function') return null;
  let result;
  try {
    result = await lr.rerank(ids, { list });
  } catch {
    return null;
  }
  if (!Array.isArray(result)) return null;
  const wanted = new Set(ids);
  const seen = new Set();
  const order = [];
  for (const id of result) {
    if (typeof id === 'string' && wanted.has(id) && !seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  }
  for (const id of ids) if (!seen.has(id)) order.push(id);
  return order;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Cart (localStorage `demo-cart`: [{ id, qty }])
// ---------------------------------------------------------------------------------------------------------------
let memoryCart = [];

function readCart() {
  let raw;
  try {
    raw = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
  } catch {
    raw = memoryCart;
  }
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((item) => item && typeof item.id === 'string')
    .map((item) => ({ id: item.id, qty: Math.max(1, Math.min(99, Math.floor(Number(item.qty) || 1))) }));
}

function writeCart(items) {
  memoryCart = items;
  try {
    localStorage.setItem(CART_KEY, JSON.stringify(items));
  } catch {
    /* storage unavailable: the cart lives in memory for this page */
  }
  updateCartCount(items);
}

function updateCartCount(items = readCart(), bump = false) {
  const count = items.reduce((sum, item) => sum + item.qty, 0);
  for (const badge of document.querySelectorAll('[data-cart-count]')) {
    badge.textContent = String(count);
    if (bump) {
      badge.classList.remove('cart-count--bump');
      void badge.offsetWidth; // restart the animation
      badge.classList.add('cart-count--bump');
    }
  }
  for (const link of document.querySelectorAll('.cart-link')) {
    link.setAttribute('aria-label', `Cart, ${count} ${count === 1 ? 'item' : 'items'}`);
  }
}

function addToCart(id, button) {
  const items = readCart();
  const existing = items.find((item) => item.id === id);
  if (existing) existing.qty = Math.min(99, existing.qty + 1);
  else items.push({ id, qty: 1 });
  writeCart(items);
  updateCartCount(items, true);

  if (button) {
    clearTimeout(Number(button.dataset.resetTimer));
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = 'Added ✓';
    button.classList.add('is-added');
    button.dataset.resetTimer = String(
      setTimeout(() => {
        button.textContent = button.dataset.label;
        button.classList.remove('is-added');
      }, 1400),
    );
  }
  loadCatalog()
    .then(({ byId }) => showToast(byId.has(id) ? `Added “${byId.get(id).title}” to your cart` : 'Added to your cart'))
    .catch(() => showToast('Added to your cart'));
}

let toastTimer;
function showToast(message) {
  const toast = document.getElementById('toast');
  if (!toast) return;
  toast.textContent = message;
  toast.classList.add('toast--visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.classList.remove('toast--visible'), 2600);
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Tiles and listings
// ---------------------------------------------------------------------------------------------------------------

function createAddButton(p, className) {
  const button = el('button', className);
  button.type = 'button';
  button.setAttribute('data-localrank-action', 'add-to-cart');
  button.setAttribute('data-product-id', p.id);
  if (p.inStock) {
    button.textContent = 'Add to cart';
  } else {
    button.textContent = 'Sold out';
    button.disabled = true;
  }
  return button;
}

/** A listing tile: `<li data-product-id>` with a product link and an add-to-cart button. */
function createTile(p) {
  const tile = el('li', 'tile');
  tile.setAttribute('data-product-id', p.id);

  const link = el('a', 'tile-link');
  link.href = productHref(p);
  const img = el('img', 'tile-image');
  img.src = safePath(p.image, '');
  img.alt = '';
  img.width = 240;
  img.height = 240;
  img.loading = 'lazy';
  img.decoding = 'async';
  const brand = el('span', 'tile-brand', p.brand);
  brand.setAttribute('aria-hidden', 'true'); // the title already starts with the brand; keeps the link name short
  link.append(img, brand, el('span', 'tile-title', p.title));

  const foot = el('div', 'tile-foot');
  foot.append(el('span', 'tile-price', formatPrice(p.price, p.currency)), createAddButton(p, 'tile-add'));
  tile.append(link, foot);
  return tile;
}

function createSkeletonTile() {
  const tile = el('li', 'tile tile--skeleton');
  tile.setAttribute('aria-hidden', 'true');
  const img = el('div', 'tile-image');
  const foot = el('div', 'tile-foot');
  foot.append(el('span', 'tile-price'), el('span', 'tile-add-placeholder'));
  tile.append(img, el('div', 'tile-brand'), el('div', 'tile-title'), foot);
  return tile;
}

function renderSkeletons(grid, count) {
  grid.setAttribute('aria-busy', 'true');
  grid.replaceChildren(...Array.from({ length: count }, createSkeletonTile));
}

function showLoadError(grid) {
  grid.removeAttribute('aria-busy');
  grid.replaceChildren();
  const box = el('div', 'load-error');
  box.setAttribute('role', 'alert');
  box.append(el('p', '', 'We couldn’t load the products just now. Please refresh the page to try again.'));
  grid.after(box);
}

/**
 * A product grid in the shop's order, optionally reordered by LocalRank when "Personalise order" is on.
 * Tiles are reused between renders (same element per product), so images do not reload and anything observing a
 * tile keeps observing it.
 */
function createListing({ grid, listName, checkbox, note, moreButton }) {
  const tiles = new Map();
  let products = [];
  let byId = new Map();
  let personalIds = null;
  let status = 'idle'; // idle | pending | on | unavailable
  let allowPersonal = true;
  let disabledReason = '';
  let limit = PAGE_SIZE;
  let token = 0;

  const tileFor = (p) => {
    let tile = tiles.get(p.id);
    if (!tile) {
      tile = createTile(p);
      tiles.set(p.id, tile);
    }
    return tile;
  };

  function currentOrder() {
    if (allowPersonal && checkbox?.checked && personalIds) {
      return personalIds.map((id) => byId.get(id)).filter(Boolean);
    }
    return products;
  }

  function updateNote() {
    if (!note) return;
    let text = 'Shop order';
    let on = false;
    if (!allowPersonal) text = disabledReason;
    else if (!checkbox?.checked) text = 'Shop order';
    else if (status === 'on') {
      text = 'Ordered for you on this device';
      on = true;
    } else if (status === 'pending') text = 'Personalising…';
    else if (status === 'unavailable') text = 'Personalisation unavailable — shop order';
    note.textContent = text;
    note.classList.toggle('personalise-note--on', on);
  }

  function render() {
    const order = currentOrder();
    grid.removeAttribute('aria-busy');
    grid.replaceChildren(...order.slice(0, limit).map(tileFor));
    if (moreButton) {
      const rest = order.length - limit;
      moreButton.hidden = rest <= 0;
      moreButton.textContent = `Show ${Math.min(rest, PAGE_SIZE)} more`;
    }
    updateNote();
  }

  async function personalise() {
    if (!allowPersonal || !checkbox?.checked || personalIds || products.length === 0) return;
    const mine = ++token;
    status = 'pending';
    updateNote();
    const head = products.slice(0, RERANK_LIMIT).map((p) => p.id);
    const order = await personaliseOrder(head, listName);
    if (mine !== token) return; // the list changed meanwhile
    if (!order) {
      status = 'unavailable';
      updateNote();
      return;
    }
    personalIds = order.concat(products.slice(RERANK_LIMIT).map((p) => p.id));
    status = 'on';
    render();
  }

  checkbox?.addEventListener('change', () => {
    writeFlag(PERSONALISE_KEY, checkbox.checked);
    render();
    void personalise();
  });
  moreButton?.addEventListener('click', () => {
    limit += PAGE_SIZE;
    render();
  });

  return {
    /** Shows `list` (shop order) now, then the personalised order when it arrives. */
    setProducts(list, options = {}) {
      products = list;
      byId = new Map(list.map((p) => [p.id, p]));
      personalIds = null;
      status = 'idle';
      token++;
      limit = PAGE_SIZE;
      allowPersonal = options.allowPersonal !== false;
      disabledReason = options.disabledReason ?? '';
      if (checkbox) checkbox.disabled = !allowPersonal;
      render();
      void personalise();
    },
  };
}

function setupPersonaliseCheckbox() {
  const checkbox = document.getElementById('personalise');
  if (checkbox) checkbox.checked = readFlag(PERSONALISE_KEY, true);
  return checkbox;
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Search
// ---------------------------------------------------------------------------------------------------------------
const STOPWORDS = new Set(['a', 'an', 'and', 'the', 'for', 'of', 'with', 'in', 'to']);

function normalise(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function stem(token) {
  return token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token;
}

function tokenize(text) {
  return normalise(text).split(/[^a-z0-9]+/).filter(Boolean).map(stem);
}

const searchIndex = new WeakMap();
function indexOf(p) {
  let entry = searchIndex.get(p);
  if (!entry) {
    entry = {
      title: new Set(tokenize(p.title)),
      brand: new Set(tokenize(p.brand)),
      category: new Set([...tokenize(p.category), ...tokenize(categoryLabel(p.category))]),
    };
    searchIndex.set(p, entry);
  }
  return entry;
}

/** Brand beats title beats prefix; a category match adds to it, so "tea" ranks teas above tea-tree shampoo. */
function tokenScore(entry, token) {
  let score = 0;
  if (entry.brand.has(token)) score = 5;
  else if (entry.title.has(token)) score = 4;
  else if (token.length >= 2 && [...entry.title, ...entry.brand].some((word) => word.startsWith(token))) score = 2;
  if (entry.category.has(token)) score += 3;
  else if (token.length >= 2 && [...entry.category].some((word) => word.startsWith(token))) score += 1;
  return score;
}

/** Products matching every query token (or, failing that, any token), best first. */
function searchProducts(products, query) {
  let tokens = tokenize(query);
  const meaningful = tokens.filter((t) => !STOPWORDS.has(t));
  if (meaningful.length) tokens = meaningful;
  if (!tokens.length) return { results: [], partial: false };

  const scored = products.map((p) => {
    const entry = indexOf(p);
    let score = 0;
    let matched = 0;
    for (const t of tokens) {
      const s = tokenScore(entry, t);
      score += s;
      if (s > 0) matched++;
    }
    return { p, score, matched };
  });
  const byRelevance = (a, b) =>
    b.matched - a.matched ||
    b.score - a.score ||
    Number(b.p.inStock) - Number(a.p.inStock) ||
    b.p.popularity - a.p.popularity;

  const all = scored.filter((s) => s.matched === tokens.length).sort(byRelevance);
  if (all.length || tokens.length === 1) return { results: all.map((s) => s.p), partial: false };
  const some = scored.filter((s) => s.matched > 0).sort(byRelevance);
  return { results: some.map((s) => s.p), partial: some.length > 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// 8. Pages
// ---------------------------------------------------------------------------------------------------------------

function sortProducts(list, sort) {
  const copy = [...list];
  if (sort === 'price-asc') copy.sort((a, b) => a.price - b.price || a.id.localeCompare(b.id));
  else if (sort === 'price-desc') copy.sort((a, b) => b.price - a.price || a.id.localeCompare(b.id));
  else copy.sort((a, b) => Number(b.inStock) - Number(a.inStock) || b.popularity - a.popularity || a.id.localeCompare(b.id));
  return copy;
}

async function initCategory() {
  const grid = document.getElementById('product-grid');
  const label = categoryLabel(categoryParam);
  if (!grid) return;
  if (!label) {
    document.querySelector('.listing-head')?.setAttribute('hidden', '');
    document.querySelector('.toolbar')?.setAttribute('hidden', '');
    document.getElementById('crumb-current').textContent = 'Not found';
    document.getElementById('not-found').hidden = false;
    document.title = 'Category not found — Maison Demo';
    grid.hidden = true;
    return;
  }

  document.getElementById('listing-title').textContent = label;
  document.getElementById('crumb-current').textContent = label;
  document.title = `${label} — Maison Demo`;
  document.querySelector(`.cat-nav a[data-category="${CSS.escape(categoryParam)}"]`)?.setAttribute('aria-current', 'page');

  const sortSelect = document.getElementById('sort');
  const requestedSort = params.get('sort');
  if (sortSelect && [...sortSelect.options].some((o) => o.value === requestedSort)) sortSelect.value = requestedSort;

  renderSkeletons(grid, PAGE_SIZE);
  const listing = createListing({
    grid,
    listName: `category:${categoryParam}`,
    checkbox: setupPersonaliseCheckbox(),
    note: document.getElementById('personalise-note'),
    moreButton: document.getElementById('show-more'),
  });

  let catalog;
  try {
    catalog = await loadCatalog();
  } catch {
    showLoadError(grid);
    return;
  }
  const items = catalog.products.filter((p) => p.category === categoryParam);
  document.getElementById('listing-count').textContent = `${items.length} products`;

  const apply = () => {
    const sort = sortSelect?.value ?? 'popularity';
    const byPrice = sort !== 'popularity';
    listing.setProducts(sortProducts(items, sort), {
      allowPersonal: !byPrice,
      disabledReason: 'Sorted by price',
    });
  };
  sortSelect?.addEventListener('change', () => {
    const url = new URL(location.href);
    if (sortSelect.value === 'popularity') url.searchParams.delete('sort');
    else url.searchParams.set('sort', sortSelect.value);
    history.replaceState(null, '', url);
    apply();
  });
  apply();
}

async function initSearch() {
  const grid = document.getElementById('product-grid');
  const query = (params.get('q') ?? '').trim().slice(0, 100);
  const empty = document.getElementById('search-empty');
  const emptyText = document.getElementById('search-empty-text');
  const toolbar = document.getElementById('search-toolbar');
  const count = document.getElementById('listing-count');
  if (!grid) return;

  if (!query) {
    toolbar.hidden = true;
    empty.hidden = false;
    return;
  }
  document.getElementById('listing-title').textContent = `Results for “${query}”`;
  document.title = `${query} — Search — Maison Demo`;
  renderSkeletons(grid, 12);

  let catalog;
  try {
    catalog = await loadCatalog();
  } catch {
    showLoadError(grid);
    return;
  }
  const { results, partial } = searchProducts(catalog.products, query);
  if (!results.length) {
    grid.removeAttribute('aria-busy');
    grid.replaceChildren();
    toolbar.hidden = true;
    count.textContent = 'No products found';
    emptyText.textContent = `Nothing matches “${query}”. Check the spelling or try a broader word.`;
    empty.hidden = false;
    return;
  }
  count.textContent = partial
    ? `No exact matches — ${results.length} related ${results.length === 1 ? 'product' : 'products'}`
    : `${results.length} ${results.length === 1 ? 'product' : 'products'}`;

  const listing = createListing({
    grid,
    listName: 'search',
    checkbox: setupPersonaliseCheckbox(),
    note: document.getElementById('personalise-note'),
    moreButton: document.getElementById('show-more'),
  });
  listing.setProducts(results);
}

const CATEGORY_BLURBS = {
  skincare: 'A gentle, everyday formula made without added fragrance. Dermatologically tested and suitable for most skin types.',
  makeup: 'Buildable colour that stays put from morning coffee to evening plans. Cruelty-free and easy to blend.',
  haircare: 'Salon-quality care for every day, with plant oils and a fresh, light scent. Safe for colour-treated hair.',
  fragrance: 'A quietly distinctive scent, layered by independent perfumers. Top notes open bright; the base lingers softly.',
  kitchen: 'Built to be used daily and passed on. Easy to clean, comfortable in the hand, and at home on any table.',
  'coffee-tea': 'Sourced from small producers and roasted or blended in small batches for a clean, balanced cup.',
  outdoor: 'Tested on long weekends and wet trails: light to carry, quick to set up, and made to be repaired, not replaced.',
  running: 'Designed with club runners for comfortable, everyday miles — breathable, light and reflective where it counts.',
  books: 'A favourite of our booksellers this season. Printed on responsibly sourced paper.',
  stationery: 'Thoughtfully made for writing by hand: smooth paper that handles fountain-pen ink without bleeding.',
};

async function initProduct() {
  const article = document.getElementById('product');
  const notFound = document.getElementById('not-found');
  const showNotFound = () => {
    article.hidden = true;
    notFound.hidden = false;
    document.getElementById('crumb-category-item').hidden = true;
    document.getElementById('crumb-current').textContent = 'Not found';
    for (const mount of document.querySelectorAll('[data-localrank-widget="similar"]')) {
      mount.closest('.rec-section')?.setAttribute('hidden', '');
    }
    document.title = 'Product not found — Maison Demo';
  };
  if (!productIdParam) {
    showNotFound();
    return;
  }

  let catalog;
  try {
    catalog = await loadCatalog();
  } catch {
    article.hidden = true;
    showLoadError(article);
    return;
  }
  const p = catalog.byId.get(productIdParam);
  if (!p) {
    showNotFound();
    return;
  }

  const img = document.getElementById('product-image');
  img.src = safePath(p.image, '');
  img.alt = p.title;
  document.getElementById('product-brand').textContent = p.brand;
  document.getElementById('product-title').textContent = p.title;
  document.getElementById('product-price').textContent = formatPrice(p.price, p.currency);
  const stock = document.getElementById('product-stock');
  stock.textContent = p.inStock ? 'In stock — ships in 1–2 working days' : 'Out of stock — back soon';
  stock.className = `product-stock product-stock--${p.inStock ? 'in' : 'out'}`;
  const add = document.getElementById('product-add');
  add.disabled = !p.inStock;
  add.textContent = p.inStock ? 'Add to cart' : 'Sold out';
  document.getElementById('product-blurb').textContent =
    CATEGORY_BLURBS[p.category] ?? 'A well-made everyday favourite, chosen by our team.';

  const crumb = document.getElementById('crumb-category');
  const label = categoryLabel(p.category) || p.category;
  crumb.textContent = label;
  crumb.href = `/category.html?c=${encodeURIComponent(p.category)}`;
  document.getElementById('crumb-current').textContent = p.title;
  document.querySelector(`.cat-nav a[data-category="${CSS.escape(p.category)}"]`)?.setAttribute('aria-current', 'page');
  document.title = `${p.title} — Maison Demo`;
  article.removeAttribute('aria-busy');
}

async function initCart() {
  const list = document.getElementById('cart-list');
  if (!list) return;
  const stored = readCart();
  if (stored.length === 0) {
    // Known without the catalog: show the empty state right away instead of an empty summary.
    document.getElementById('cart').hidden = true;
    document.getElementById('cart-empty').hidden = false;
  } else {
    // Rows of the final size until the catalog arrives, so the summary and widgets below do not move.
    list.replaceChildren(
      ...stored.map(() => {
        const row = el('li', 'cart-row cart-row--skeleton');
        row.setAttribute('aria-hidden', 'true');
        row.append(el('div', 'cart-row-image'), el('div', 'cart-row-info'));
        return row;
      }),
    );
  }
  document.querySelector('[data-cart-pending]')?.removeAttribute('data-cart-pending');
  let catalog;
  try {
    catalog = await loadCatalog();
  } catch {
    showLoadError(list);
    return;
  }
  renderCart(catalog);

  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-cart-action]') : null;
    if (!button) return;
    const id = button.getAttribute('data-cart-id');
    const items = readCart();
    const item = items.find((i) => i.id === id);
    if (!item) return;
    const action = button.getAttribute('data-cart-action');
    if (action === 'increase') item.qty = Math.min(99, item.qty + 1);
    else if (action === 'decrease') item.qty -= 1;
    const next = action === 'remove' ? items.filter((i) => i !== item) : items.filter((i) => i.qty > 0);
    writeCart(next);
    renderCart(catalog);
    // Keep keyboard focus on the same control after the row re-renders.
    const again = list.querySelector(`[data-cart-id="${CSS.escape(id)}"][data-cart-action="${action}"]`);
    (again ?? document.getElementById('place-order'))?.focus();
  });

  addEventListener('storage', (event) => {
    if (event.key === CART_KEY) renderCart(catalog);
  });
}

function createCartRow(p, qty) {
  const row = el('li', 'cart-row');
  row.setAttribute('data-product-id', p.id);

  const img = el('img', 'cart-row-image');
  img.src = safePath(p.image, '');
  img.alt = '';
  img.width = 88;
  img.height = 88;
  img.loading = 'lazy';

  const info = el('div', 'cart-row-info');
  const link = el('a', 'cart-row-title', p.title);
  link.href = productHref(p);
  info.append(link, el('p', 'cart-row-meta', `${p.brand} · ${formatPrice(p.price, p.currency)} each`));

  const qtyBox = el('div', 'cart-row-qty');
  const button = (action, text, label) => {
    const b = el('button', action === 'remove' ? 'remove-button' : 'qty-button', text);
    b.type = 'button';
    b.setAttribute('data-cart-action', action);
    b.setAttribute('data-cart-id', p.id);
    if (label) b.setAttribute('aria-label', label);
    return b;
  };
  const value = el('span', 'qty-value', String(qty));
  value.setAttribute('aria-label', `Quantity ${qty}`);
  qtyBox.append(
    button('decrease', '−', `One less ${p.title}`),
    value,
    button('increase', '+', `One more ${p.title}`),
    button('remove', 'Remove', `Remove ${p.title}`),
  );

  row.append(img, info, qtyBox, el('span', 'cart-row-total', formatPrice(p.price * qty, p.currency)));
  return row;
}

function renderCart(catalog) {
  const list = document.getElementById('cart-list');
  const cart = document.getElementById('cart');
  const empty = document.getElementById('cart-empty');
  const thanks = document.getElementById('thank-you');
  const placeOrder = document.getElementById('place-order');

  // Products no longer in the catalog are dropped from the cart.
  const stored = readCart();
  const items = stored.filter((item) => catalog.byId.has(item.id));
  if (items.length !== stored.length) writeCart(items);
  else updateCartCount(items);

  list.replaceChildren(...items.map((item) => createCartRow(catalog.byId.get(item.id), item.qty)));

  const subtotal = items.reduce((sum, item) => sum + catalog.byId.get(item.id).price * item.qty, 0);
  const delivery = subtotal === 0 || subtotal >= FREE_DELIVERY_FROM ? 0 : DELIVERY_FEE;
  document.getElementById('cart-items').textContent = String(items.reduce((n, i) => n + i.qty, 0));
  document.getElementById('cart-subtotal').textContent = formatPrice(subtotal, catalog.currency);
  document.getElementById('cart-delivery').textContent =
    delivery === 0 ? 'Free' : formatPrice(delivery, catalog.currency);
  document.getElementById('cart-total').textContent = formatPrice(subtotal + delivery, catalog.currency);

  placeOrder.setAttribute('data-product-ids', items.map((i) => i.id).join(','));
  placeOrder.disabled = items.length === 0;
  cart.hidden = items.length === 0;
  empty.hidden = items.length > 0 || !thanks.hidden;
}

function placeOrder() {
  const items = readCart();
  if (!items.length) return;
  // Deferred so every other click listener (LocalRank's included) still sees this order's data-product-ids.
  setTimeout(async () => {
    const catalog = await loadCatalog().catch(() => null);
    const count = items.reduce((n, i) => n + i.qty, 0);
    const total = catalog
      ? items.reduce((sum, i) => sum + (catalog.byId.get(i.id)?.price ?? 0) * i.qty, 0)
      : null;
    writeCart([]);
    const thanks = document.getElementById('thank-you');
    const orderNo = `MD-${String(Math.floor(100000 + Math.random() * 900000))}`;
    document.getElementById('thank-you-text').textContent =
      `Order ${orderNo}: ${count} ${count === 1 ? 'item' : 'items'}` +
      (total !== null ? `, ${formatPrice(total, catalog.currency)}` : '') +
      '. A confirmation would be on its way — if this were a real shop.';
    thanks.hidden = false;
    if (catalog) renderCart(catalog);
    else {
      document.getElementById('cart').hidden = true;
      document.getElementById('place-order').setAttribute('data-product-ids', '');
    }
    thanks.focus();
  }, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// 9. Wiring shared by every page
// ---------------------------------------------------------------------------------------------------------------
updateCartCount();

const searchInput = document.querySelector('form[data-localrank-search] input[name="q"]');
if (searchInput && page === 'search') searchInput.value = params.get('q') ?? '';

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const add = target.closest('[data-localrank-action="add-to-cart"]');
  if (add) {
    const id = add.getAttribute('data-product-id');
    if (id && !add.disabled) addToCart(id, add);
    return;
  }
  const purchase = target.closest('[data-localrank-action="purchase"]');
  if (purchase && !purchase.disabled) placeOrder();
});

addEventListener('storage', (event) => {
  if (event.key === CART_KEY) updateCartCount();
});

const init = { category: initCategory, search: initSearch, product: initProduct, cart: initCart }[page];
init?.().catch(() => {
  /* a page script error must not take the rest of the shop down */
});
