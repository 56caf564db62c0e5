import { describe, expect, it } from 'vitest';
import type { StatusLike } from './when-ready.js';
import { describeStatus, modelMatches } from './wait-for-model.js';

const status = (model: Partial<StatusLike['model']>, errors: StatusLike['errors'] = []): StatusLike => ({
  state: 'ready',
  storage: 'indexeddb',
  ranker: 'heuristic',
  events: 12,
  pendingWrites: 0,
  widgets: 2,
  backend: 'wasm',
  backendReason: 'configured: wasm',
  model: { state: 'none', eventsSeen: 0, trainedAt: undefined, runs: 0, ...model },
  privacy: { personalised: true, consent: 'granted', paused: false },
  errors,
});

describe('modelMatches', () => {
  it('wants a ready model from the asked source; any takes every source', () => {
    expect(modelMatches(status({ state: 'ready', source: 'trained' }).model, 'trained')).toBe(true);
    expect(modelMatches(status({ state: 'ready', source: 'base' }).model, 'trained')).toBe(false);
    expect(modelMatches(status({ state: 'training', source: 'trained' }).model, 'trained')).toBe(false);
    expect(modelMatches(status({ state: 'ready', source: 'indexeddb' }).model, 'any')).toBe(true);
    expect(modelMatches(status({ state: 'none' }).model, 'any')).toBe(false);
  });
});

describe('describeStatus', () => {
  it('says what the model, backend and last errors were', () => {
    const text = describeStatus(
      status({ state: 'ready', source: 'base', origin: 'base', runs: 1, validation: { model: 0.2, heuristic: 0.3, cases: 3 } }, [
        { code: 'LR_MODEL_SCHEMA', message: 'refused' },
      ]),
    );
    expect(text).toBe(
      'state ready, model {"state":"ready","source":"base","origin":"base","eventsSeen":0,"runs":1,"validation":{"model":0.2,"heuristic":0.3,"cases":3}}, ' +
        'backend wasm (configured: wasm), ranker heuristic, events 12, personalised true, last errors [LR_MODEL_SCHEMA: refused]',
    );
    expect(describeStatus(undefined)).toBe('window.LocalRank is not on the page');
  });
});
