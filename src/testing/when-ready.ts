/**
 * What the QA helpers need of `window.LocalRank`, typed here so that `localrank/testing` compiles on its own
 * (its declarations must not pull in LocalRank's sources). Structurally a subset of `LocalRankApi`
 * (src/embed/localrank-api.ts); e2e/qa-kit.spec.ts runs every helper against the real one.
 */
import type { Page } from '@playwright/test';

/** An `error` event / `status().errors` entry. */
export interface LocalRankErrorLike {
  readonly code: string;
  readonly message: string;
  readonly recoverable?: boolean;
}

/** `status().model`. */
export interface ModelStatusLike {
  readonly state: 'none' | 'training' | 'ready' | 'failed';
  readonly source?: 'indexeddb' | 'base' | 'trained';
  readonly origin?: string;
  readonly eventsSeen: number;
  readonly trainedAt: number | undefined;
  readonly runs: number;
  readonly [key: string]: unknown;
}

/** The parts of `status()` the helpers read or report. */
export interface StatusLike {
  readonly state: 'loading' | 'ready' | 'error';
  readonly storage: string;
  readonly ranker: string;
  readonly events: number;
  readonly pendingWrites: number;
  readonly widgets: number;
  readonly backend: string;
  readonly backendReason: string;
  readonly model: ModelStatusLike;
  readonly privacy: { readonly personalised: boolean; readonly consent: string; readonly paused: boolean };
  readonly error?: LocalRankErrorLike;
  readonly errors: readonly LocalRankErrorLike[];
}

/** The members of `window.LocalRank` the helpers call. */
export interface LocalRankLike {
  readonly ready: Promise<unknown>;
  track(event: unknown): boolean;
  flush(): Promise<void>;
  status(): StatusLike;
  forgetMe(): Promise<void>;
  on(name: 'error', callback: (error: LocalRankErrorLike) => void): () => void;
}

/** `window`, as the helpers see it inside `page.evaluate`. */
export interface LocalRankWindow {
  LocalRank?: LocalRankLike;
  LocalRankConfig?: unknown;
}

/**
 * Waits until `window.LocalRank` exists and `LocalRank.ready` has settled.
 * @throws an `Error` naming the cause when the script is not on the page within `timeout` ms, when `ready`
 *   rejects (a misconfigured tag: the message carries LocalRank's error code), or when it does not settle in time
 */
export async function whenReady(page: Page, timeout: number, caller: string): Promise<void> {
  const start = Date.now();
  try {
    await page.waitForFunction(() => !!(window as unknown as LocalRankWindow).LocalRank, undefined, { timeout });
  } catch {
    throw new Error(`${caller}: window.LocalRank did not appear within ${timeout} ms on ${page.url()}. Is the LocalRank script tag on this page?`);
  }
  const left = Math.max(1, timeout - (Date.now() - start));
  const outcome = await page.evaluate(
    (ms) =>
      Promise.race([
        (window as unknown as LocalRankWindow).LocalRank!.ready.then(
          () => ({ ok: true as const }),
          (e: unknown) => ({ ok: false as const, code: String((e as { code?: unknown })?.code), message: String((e as { message?: unknown })?.message ?? e) }),
        ),
        new Promise<{ ok: false; code: string; message: string }>((resolve) =>
          setTimeout(() => resolve({ ok: false, code: 'timeout', message: `LocalRank.ready did not settle within ${ms} ms` }), ms),
        ),
      ]),
    left,
  );
  if (!outcome.ok) {
    // A LocalRankError's message already reads "[localrank] CODE: …".
    const reason = outcome.message.includes(outcome.code) ? outcome.message.replace(/^\[localrank\] /, '') : `${outcome.code}: ${outcome.message}`;
    throw new Error(`${caller}: LocalRank is not ready (${reason}).`);
  }
}
