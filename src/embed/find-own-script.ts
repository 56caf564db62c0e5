/**
 * Finds the `<script>` element that loaded this module. `document.currentScript` is `null` for module scripts,
 * so the element is found by matching its resolved `src` against `import.meta.url`; failing that, the first
 * script with a `data-catalog` attribute.
 */
export function findOwnScript(moduleUrl: string): HTMLScriptElement | undefined {
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'));
  return scripts.find((s) => s.src === moduleUrl) ?? scripts.find((s) => s.hasAttribute('data-catalog'));
}
