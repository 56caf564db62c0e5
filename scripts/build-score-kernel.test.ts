import { describe, expect, it } from 'vitest';
import { SCORE_KERNEL } from '../src/core/score-kernel';
// @ts-expect-error: a plain .mjs build script without types
import { assembleScoreKernel } from './build-score-kernel.mjs';

describe('the committed SIMD score kernel', () => {
  it('is the assembly of scripts/score-kernel-wat.mjs (run `npm run kernel` after changing it)', async () => {
    expect(await assembleScoreKernel()).toBe(SCORE_KERNEL);
  });

  it('is valid WebAssembly with SIMD', () => {
    expect(WebAssembly.validate(Uint8Array.from(atob(SCORE_KERNEL), (c) => c.charCodeAt(0)))).toBe(true);
  });
});
