import { SCORE_KERNEL } from './score-kernel';

/**
 * Compiles the SIMD score kernel's bytes (see `createScoreKernel`); `undefined` when WebAssembly or its SIMD
 * instructions are unavailable, or a Content-Security-Policy refuses the compile. Never rejects. The training worker
 * calls it once it runs tfjs on wasm, and hands the module to the page (see `connectModel`).
 */
export async function compileScoreKernel(): Promise<WebAssembly.Module | undefined> {
  try {
    return await WebAssembly.compile(Uint8Array.from(atob(SCORE_KERNEL), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
