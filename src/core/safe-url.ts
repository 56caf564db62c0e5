/**
 * Returns `value` when it is safe to put into `href`/`src`: an absolute http(s) URL or a relative URL
 * (path, query or fragment). Everything else (`javascript:`, `data:`, `vbscript:`, other schemes, control
 * characters, non-strings) yields `undefined`. Pure: checks the scheme syntactically, no URL resolution needed.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 2048) return undefined;
  // Browsers strip tabs/newlines inside URLs ("java\tscript:"), so any control character is refused outright.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    return name === 'http' || name === 'https' ? trimmed : undefined;
  }
  // Protocol-relative ("//host/x") inherits http(s) from the page, which is fine; backslashes are refused
  // because some parsers treat "\\" as "//".
  if (trimmed.includes('\\')) return undefined;
  return trimmed;
}
