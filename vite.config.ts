import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

/**
 * long.js (tfjs-core's 64-bit integers, used only by string-hashing ops LocalRank never calls) compiles a tiny
 * WebAssembly module when it is imported, to speed up 64-bit multiply/divide. Under a Content-Security-Policy
 * without 'wasm-unsafe-eval' that compile is blocked — long.js catches it — but the browser still files a CSP
 * violation report from every training worker, even on the webgl and cpu backends. Dropping the probe makes
 * long.js use its pure-JS path; e2e/csp.spec.ts checks that no violation is left.
 */
function longWithoutWasmProbe(): Plugin {
  const probe = /wasm = new WebAssembly\.Instance\(new WebAssembly\.Module\([\s\S]*?\)\), \{\}\)\.exports;/;
  return {
    name: 'localrank:long-without-wasm-probe',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]long[\\/]src[\\/]long\.js$/.test(id)) return undefined;
      if (!probe.test(code)) {
        this.warn('long.js changed: its WebAssembly probe was not found (see longWithoutWasmProbe in vite.config.ts)');
        return undefined;
      }
      return { code: code.replace(probe, ''), map: null };
    },
  };
}

/**
 * Chrome's explicit compile hint (`//# allFunctionsCalledOnLoad`, https://v8.dev/blog/explicit-compile-hints): the
 * runtime chunk's functions are compiled eagerly, while the chunk streams in, instead of lazily when first called — in
 * the tasks of the first render. In five loads of the demo at 4× CPU throttling (a CDP trace, ad hoc harness), code
 * compilation inside main-thread tasks over 45 ms went from 98.5 to 10.7 ms with it. Browsers without the hint ignore
 * a comment. The first script carries it too since it had bytes to spare (see plainDynamicImports): over 20
 * interleaved loads per build at 4× (`.prof/load-frames.ts`), its module task was a LocalRank script over 50 ms in 2
 * loads with the hint against 4 without (medians of the tasks caught in long frames 26 against 37 ms) — suggestive,
 * not proven.
 */
function compileHint(): Plugin {
  return {
    name: 'localrank:compile-hint',
    // After minification, which drops comments (so the file name's hash, taken before, does not cover the hint).
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && (chunk.name === 'start-runtime' || chunk.isEntry)) chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
      }
    },
  };
}

/**
 * Vite wraps each dynamic `import()` in its preload helper even with `build.modulePreload: false`
 * (https://github.com/vitejs/vite/issues/18551). LocalRank's lazy chunks have no CSS and nothing to preload (every
 * call passes an empty list), yet the helper sat in the first script (0.6 KB gzip), created a `<link>` element at
 * module evaluation to test `relList.supports('modulepreload')`, and on a failed import dispatched `vite:preloadError`
 * on the host's window, where a host page built with Vite may listen for it to reload itself. This plugin serves the
 * helper's module as what it does with an empty list: run the import. A failed import rejects as before
 * (LR_RUNTIME_LOAD for the runtime chunk; e2e/misconfiguration.spec.ts).
 */
function plainDynamicImports(): Plugin {
  const helper = /^\0?vite\/preload-helper(\.js)?$/;
  return {
    name: 'localrank:plain-dynamic-imports',
    enforce: 'pre',
    resolveId(id) {
      return helper.test(id) ? '\0vite/preload-helper.js' : undefined;
    },
    load(id) {
      return helper.test(id) ? 'export const __vitePreload = (load) => load();' : undefined;
    },
  };
}

/**
 * One ES-module entry (`dist/localrank.js`) that a shop loads with `<script type="module">`, plus lazily
 * imported chunks in `dist/chunks/`. An ES build keeps dynamic `import()`s as separate chunks (an IIFE library
 * build would inline them, see ../shared/BROWSER-NOTES.md); it is an app build with a script input rather than
 * library mode because library mode does not minify whitespace in ES output. `public/` (the demo shop) is copied
 * beside the bundle so `vite preview` serves both. Size budgets are enforced by scripts/check-size.mjs.
 */
export default defineConfig({
  // Relative base: chunks are imported relative to localrank.js, wherever the shop hosts it.
  base: './',
  publicDir: 'public',
  plugins: [plainDynamicImports(), compileHint()],
  define: {
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: true,
    sourcemap: false,
    minify: true,
    modulePreload: false,
    rollupOptions: {
      input: 'src/embed/localrank.ts',
      // The entry exports nothing, so Rolldown may move modules shared with lazy chunks into it (one request
      // fewer on page load) instead of emitting a separate common chunk.
      preserveEntrySignatures: 'allow-extension',
      output: {
        format: 'es',
        entryFileNames: 'localrank.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  worker: {
    // The training worker is a module worker: it can import tfjs backends lazily (separate chunks).
    format: 'es',
    plugins: () => [longWithoutWasmProbe()],
    rollupOptions: {
      output: {
        entryFileNames: 'chunks/[name]-[hash].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
        // Name the backend chunks after their package, so the size report (and a shop's CDN log) says what is what.
        // tfjs-core, layers and the other libraries of the worker get their own group first (and the cpu kernels,
        // which webgl and wasm both import, theirs): otherwise a backend group captures them as dependencies of its
        // members and the worker imports that backend's chunk statically — every training shopper would download the
        // webgl and the wasm backend, and a failing webgl chunk would stop the worker instead of falling back to wasm.
        // The `.wasm?url` modules (tiny, imported by the worker itself) stay out of the wasm group.
        codeSplitting: {
          groups: [
            { name: 'tfjs-core', test: /[\\/]node_modules[\\/](?!@tensorflow[\\/]tfjs-backend-)/, priority: 10 },
            { name: 'tfjs-backend-webgl', test: /tfjs-backend-webgl[\\/]dist[\\/].*\.js$/ },
            { name: 'tfjs-backend-wasm', test: /tfjs-backend-wasm[\\/]dist[\\/].*\.js$/ },
            { name: 'tfjs-backend-cpu', test: /tfjs-backend-cpu[\\/]/, priority: 5 },
          ],
        },
      },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
  },
});
