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
  it('refuses obfuscated script schemes that browsers would still run', () => {
    for (const u of ['\u2028javascript:alert(1)', '\ufeffjavascript:alert(1)', '\u0001javascript:x', 'JAVASCRIPT:x', 'javascript\n:x', 'java\rscript:x', 'data:image/svg+xml;base64,PHN2Zz4=', 'DaTa:text/html,x', 'vbScript:x', 'blob:https://a/b', 'filesystem:x']) {
      expect(safeUrl(u)).toBeUndefined();
    }
  });
  it('keeps look-alikes that a browser resolves as relative paths (no scheme), which cannot run script', () => {
    // "&colon;" is not decoded in a DOM-set attribute, and U+200B or a full-width colon end no scheme.
    for (const u of ['javascript&colon;x', '\u200bjavascript:x', 'javascript\uff1ax']) {
      const kept = safeUrl(u);
      expect(kept).toBe(u);
      expect(new URL(kept!, 'https://shop.example/').protocol).toBe('https:');
    }
  });
});
