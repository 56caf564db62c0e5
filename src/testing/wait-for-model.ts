import type { Page } from '@playwright/test';
import type { LocalRankWindow, ModelStatusLike, StatusLike } from './when-ready.js';

/** Where the model in use should come from: see `status().model.source`; `any` accepts every source. */
export type ModelSource = 'trained' | 'base' | 'indexeddb' | 'any';

/** Options of {@link waitForModel}. */
export interface WaitForModelOptions {
  /**
   * `trained` (default): a model trained on this page has been accepted. `base`: the shop's base model
   * (`data-model`) ranks. `indexeddb`: a model stored by an earlier page ranks (after a reload). `any`: any of them.
   */
  readonly source?: ModelSource;
  /** Milliseconds before giving up (default 120,000: training on a software-rendered or busy CI machine is slow). */
  readonly timeout?: number;
}

/** How often the status is read. */
const POLL_MS = 250;

/** A one-line account of a status, for error messages. */
export function describeStatus(status: StatusLike | undefined): string {
  if (!status) return 'window.LocalRank is not on the page';
  const { model } = status;
  const parts = [
    `state ${status.state}`,
    `model ${JSON.stringify({ state: model.state, source: model.source, origin: model.origin, eventsSeen: model.eventsSeen, runs: model.runs, validation: model.validation })}`,
    `backend ${status.backend} (${status.backendReason})`,
    `ranker ${status.ranker}`,
    `events ${status.events}`,
    `personalised ${status.privacy.personalised}`,
  ];
  const errors = status.errors.slice(-3).map((e) => `${e.code}: ${e.message}`);
  if (errors.length > 0) parts.push(`last errors [${errors.join(' | ')}]`);
  return parts.join(', ');
}

/** Whether `model` is a ready model from `source`. */
export function modelMatches(model: ModelStatusLike, source: ModelSource): boolean {
  return model.state === 'ready' && model.source !== undefined && (source === 'any' || model.source === source);
}

/**
 * Waits until LocalRank ranks with a model from `source` (default `trained`: a model trained on this page and
 * accepted) and no training run is in progress, by reading `LocalRank.status()` every 250 ms. A run that is
 * rejected (it did not beat the ranking it would replace) leaves the source unchanged: the wait goes on until the
 * timeout, and the error then shows `model.runs` (finished runs) next to the source still in use.
 *
 * The carousels on screen keep their order when a model arrives (no reshuffle under the shopper's eyes): they
 * use it after the shopper's next action or on the next page (`page.reload()`, after which the source is
 * `indexeddb`). `LocalRank.rerank()` uses it at once.
 *
 * @param page a Playwright page with LocalRank on it
 * @returns `status().model` at that moment
 * @throws at once when LocalRank stopped on a misconfiguration; after `timeout` ms with what the status was
 */
export async function waitForModel(page: Page, options: WaitForModelOptions = {}): Promise<ModelStatusLike> {
  const source = options.source ?? 'trained';
  const timeout = options.timeout ?? 120_000;
  const deadline = Date.now() + timeout;
  let last: StatusLike | undefined;
  for (;;) {
    try {
      last = await page.evaluate(() => (window as unknown as LocalRankWindow).LocalRank?.status());
    } catch (error) {
      // A navigation destroyed the context between two reads: read again on the new page.
      if (!/context was destroyed|navigation/i.test(String(error))) throw error;
    }
    if (last?.state === 'error') {
      throw new Error(`waitForModel: LocalRank stopped (${last.error ? `${last.error.code}: ${last.error.message}` : 'state error'}); no model will come.`);
    }
    if (last && modelMatches(last.model, source)) return last.model;
    if (Date.now() >= deadline) {
      throw new Error(`waitForModel: no ${source === 'any' ? '' : `${source} `}model within ${timeout} ms. Status then: ${describeStatus(last)}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
