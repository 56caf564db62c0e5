import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url';

describe('safeUrl', () => {
  it('keeps http(s) and relative URLs', () => {
    for (const u of ['https://shop.example/p/1', 'http://x.y/', '/img/a.svg', 'img/a.svg', '?id=1', '#top', '//cdn.example/a.png']) {
      expect(safeUrl(u)).toBe(u);
    }
  });
  it('refuses script-capable and odd schemes, control characters and backslashes', () => {
    for (const u of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '\\\\evil', 42, undefined, '']) {
      expect(safeUrl(u)).toBeUndefined();
    }
  });
});
