import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend } from './choose-backend';

/** What Chromium throws when a page's CSP has no 'wasm-unsafe-eval'. */
const cspError = (): Error =>
  new WebAssembly.CompileError(
    "WebAssembly.compile(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"",
  );

describe('chooseBackend', () => {
  afterEach(() => vi.restoreAllMocks());

  it('uses a configured cpu backend without a fallback', async () => {
    const choice = await chooseBackend('cpu');
    expect(choice).toMatchObject({ backend: 'cpu', reason: 'configured: cpu' });
    expect(choice.fallback).toBeUndefined();
  });

  it('falls back to cpu when a CSP blocks WebAssembly, and says how to fix it', async () => {
    vi.spyOn(WebAssembly, 'compile').mockRejectedValue(cspError());
    const choice = await chooseBackend('wasm');
    expect(choice.backend).toBe('cpu');
    expect(choice.reason).toBe('configured wasm is unavailable; cpu instead');
    expect(choice.fallback?.from).toBe('wasm');
    expect(choice.fallback?.error).toContain("add 'wasm-unsafe-eval' to its script-src");
  });

  it('auto without WebGL and with WebAssembly blocked ends on cpu and reports the wasm failure', async () => {
    vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new Error('no wasm here'));
    const choice = await chooseBackend('auto');
    expect(choice).toMatchObject({ backend: 'cpu', fallback: { from: 'wasm', error: 'WebAssembly is unavailable (Error: no wasm here)' } });
    expect(choice.reason).toBe('no WebGL2; wasm instead, but wasm failed; cpu instead');
  });
});
