import * as tf from '@tensorflow/tfjs-core';

/** Backend choice as configured (`data-backend`). */
export type BackendRequest = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** What was chosen and why (reported in `LocalRank.status()`). */
export interface BackendChoice {
  readonly backend: 'webgl' | 'wasm' | 'cpu';
  readonly reason: string;
  /** 1 or 2 when the WebGL backend is used. */
  readonly webglVersion?: number;
  /** Unmasked WebGL renderer string, when WebGL exists. */
  readonly renderer?: string;
  /**
   * Set when a backend that should have been used could not start (e.g. WebAssembly blocked by the page's
   * Content-Security-Policy) and another one is used instead: which, and why, for the `LR_MODEL_BACKEND` error.
   */
  readonly fallback?: { readonly from: 'webgl' | 'wasm'; readonly error: string };
}

/** URLs of the wasm binaries, as emitted by the bundler. */
export type WasmPaths = Readonly<Record<string, string>>;

interface WebglProbe {
  readonly available: boolean;
  readonly renderer?: string;
  readonly software: boolean;
}

/** Looks at WebGL2 on an OffscreenCanvas: whether it exists and whether it is a software renderer. */
export function probeWebgl(): WebglProbe {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { available: false, software: false };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { available: false, software: false };
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer, software: /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) };
  } catch {
    return { available: false, software: false };
  }
}

/** The smallest valid wasm module (magic number + version). */
const EMPTY_WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

/** Why a backend could not start, in words for the shop owner. */
type Failure = string;

async function tryWebgl(): Promise<Failure | undefined> {
  try {
    await import('@tensorflow/tfjs-backend-webgl');
    return (await tf.setBackend('webgl')) ? undefined : 'tfjs could not initialise WebGL';
  } catch (error) {
    return String(error);
  }
}

async function tryWasm(paths: WasmPaths | undefined): Promise<Failure | undefined> {
  // Compile an empty module first: under a Content-Security-Policy without 'wasm-unsafe-eval' this fails at once
  // (one violation report), instead of tfjs's loader failing three times and logging five console warnings.
  try {
    await WebAssembly.compile(EMPTY_WASM);
  } catch (error) {
    const csp = /content.security/i.test(String(error));
    return csp ? "WebAssembly is blocked by the page's Content-Security-Policy; add 'wasm-unsafe-eval' to its script-src" : `WebAssembly is unavailable (${String(error)})`;
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (paths) wasm.setWasmPaths(paths as Record<string, string> as never);
    return (await tf.setBackend('wasm')) ? undefined : 'tfjs could not initialise the wasm backend';
  } catch (error) {
    return String(error);
  }
}

async function useCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
}

/**
 * Chooses and initialises the tfjs backend. `auto`: WebGL when it is hardware-accelerated; wasm when WebGL is
 * software-rendered (SwiftShader — measured slower than wasm for our small model) or missing; cpu last.
 * A forced backend that fails falls back the same way, and the reason says so; whenever a backend that should
 * have been used fails, `fallback` says which and why (reported as `LR_MODEL_BACKEND`). Never throws unless the
 * cpu backend itself cannot load.
 */
export async function chooseBackend(request: BackendRequest, wasmPaths?: WasmPaths): Promise<BackendChoice> {
  const gl = probeWebgl();
  const renderer = gl.renderer ? { renderer: gl.renderer } : {};
  let fallback: BackendChoice['fallback'];
  const failed = (from: 'webgl' | 'wasm', error: Failure): undefined => {
    fallback ??= { from, error };
    return undefined;
  };
  const withFallback = (choice: BackendChoice): BackendChoice => (fallback ? { ...choice, fallback } : choice);
  const webgl = async (reason: string): Promise<BackendChoice | undefined> => {
    const error = await tryWebgl();
    return error === undefined ? withFallback({ backend: 'webgl', reason, webglVersion: tf.env().getNumber('WEBGL_VERSION'), ...renderer }) : failed('webgl', error);
  };
  const wasm = async (reason: string): Promise<BackendChoice | undefined> => {
    const error = await tryWasm(wasmPaths);
    return error === undefined ? withFallback({ backend: 'wasm', reason, ...renderer }) : failed('wasm', error);
  };
  const cpu = async (reason: string): Promise<BackendChoice> => {
    await useCpu();
    return withFallback({ backend: 'cpu', reason, ...renderer });
  };

  if (request === 'cpu') return cpu('configured: cpu');
  if (request === 'webgl') {
    return (await webgl('configured: webgl')) ?? (await wasm('configured webgl is unavailable; wasm instead')) ?? cpu('configured webgl is unavailable; cpu instead');
  }
  if (request === 'wasm') return (await wasm('configured: wasm')) ?? cpu('configured wasm is unavailable; cpu instead');
  if (gl.available && !gl.software) {
    const chosen = await webgl(`hardware-accelerated WebGL2 (${gl.renderer ?? 'unknown renderer'})`);
    if (chosen) return chosen;
  }
  const why = gl.available ? `WebGL is software-rendered (${gl.renderer}); wasm is faster` : 'no WebGL2; wasm instead';
  return (await wasm(why)) ?? cpu(`${why}, but wasm failed; cpu instead`);
}
