import { describe, expect, it } from 'vitest';
import type { LocalRankErrorInfo } from '../core/errors';
import type { Interaction } from '../core/interaction';
import { parseConfig } from '../core/parse-config';
import type { Ranker } from '../core/ranker';
import { testCatalog } from '../model/test-shopper';
import type { FromWorker, ToWorker, TrainProgress } from '../model/worker-protocol';
import type { EventLog } from '../storage/event-log';
import { CATALOG_PART, connectModel, MAX_WORKER_FAILURES } from './connect-model';
import { createRandom } from '../core/create-random';
import { createScoreKernel } from '../core/create-score-kernel';
import { weightNames } from '../core/create-scorer';
import { defaultSchema, sparseFields } from '../core/feature-schema';
import { SCORE_KERNEL } from '../core/score-kernel';

/** A training worker driven by the test: records what it is sent, answers what the test makes it answer. */
class FakeWorker extends EventTarget {
  readonly sent: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: FromWorker): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  /** Fires the `error` event a failed script load or an uncaught worker error fires; returns whether it was cancelled. */
  fail(message?: string): boolean {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(event);
    return event.defaultPrevented;
  }
}

/** A few macrotask turns: the controller starts the worker and posts to it in separate tasks. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function setup(busy?: () => boolean, perCategory = 4) {
  const products = testCatalog(perCategory);
  const parsed = parseConfig({ catalog: '/catalog.json', backend: 'webgl' }, undefined);
  if (!parsed.ok) throw new Error('config');
  // Five engaged products: a first training run is due.
  const events: Interaction[] = products.slice(0, 5).map((p, i) => ({ type: 'click', productId: p.id, time: 1_700_000_000_000 + i * 60_000, context: { page: 'home' } }));
  const workers: FakeWorker[] = [];
  const trains: TrainProgress[] = [];
  const errors: LocalRankErrorInfo[] = [];
  const rankers: (Ranker | undefined)[] = [];
  const model = connectModel({
    config: parsed.config,
    log: { database: () => Promise.resolve(undefined) } as unknown as EventLog,
    products,
    byId: new Map(products.map((p) => [p.id, p])),
    fallback: { name: 'heuristic', rank: () => [] } satisfies Ranker,
    setRanker: (ranker) => rankers.push(ranker),
    state: () => ({ events, counters: [] }),
    platform: {
      createWorker: () => {
        const worker = new FakeWorker();
        workers.push(worker);
        return worker as unknown as Worker;
      },
      whenIdle: () => Promise.resolve(),
      onInput: () => () => {},
      withLock: async (_name, task) => {
        await task();
        return true;
      },
      scoreKernel: (module) => Promise.resolve(createScoreKernel(module)),
    },
    emitTrain: (p) => trains.push(p),
    emitError: (e) => errors.push(e),
    busy,
  });
  return { model, workers, trains, errors, events, rankers, products };
}

/** A model the worker could send: the default schema's shapes, random weights. */
function randomModel() {
  const schema = defaultSchema(['a']);
  const rng = createRandom(5);
  const input = 3 * sparseFields(schema) * schema.dim + schema.dense.length;
  const [h1, h2] = schema.hidden as [number, number];
  const shapes = [schema.vocab * schema.dim, input * h1, h1, h1 * h2, h2, h2, 1, schema.dense.length];
  const weights: Record<string, Float32Array> = {};
  weightNames(schema).forEach((name, i) => (weights[name] = Float32Array.from({ length: shapes[i]! }, () => (rng() - 0.5) * 0.3)));
  const meta = { version: 1, schemaHash: '', backend: 'wasm', eventsSeen: 5, trainedAt: 1, origin: 'scratch', params: 0, bytes: 0 } as never;
  return { type: 'model' as const, weights, schema, meta, saved: true };
}

const trainRequests = (worker: FakeWorker) => worker.sent.filter((m) => m.type === 'train');

describe('connectModel when the training worker breaks', () => {
  it('a lost WebGL context fails the run (nothing saved), restarts the worker on wasm and retries the run', async () => {
    const { model, workers, trains, errors } = setup();
    model.start();
    await settle();
    const [first] = workers;
    expect(first!.sent[0]).toMatchObject({ type: 'init', backend: 'webgl' });
    expect(trainRequests(first!)).toHaveLength(1);
    first!.reply({ type: 'backend', choice: { backend: 'webgl', reason: 'configured: webgl', webglVersion: 2 } });
    first!.reply({ type: 'progress', progress: { phase: 'start', origin: 'scratch', epochs: 12 } });

    first!.reply({ type: 'context-lost', message: 'the WebGL context of the training worker was lost' });
    expect(first!.terminated).toBe(true);
    expect(trains.map((p) => p.phase)).toEqual(['start', 'failed']);
    expect(trains[1]).toMatchObject({ origin: 'scratch', message: expect.stringContaining('nothing was saved') });
    expect(errors.map((e) => e.code)).toEqual(['LR_MODEL_TRAIN']);
    expect(model.status().backendReason).toBe('the WebGL context was lost during training; restarting without WebGL');

    // Not a verdict on the data: the same run is retried at the next idle time, in a new worker without WebGL.
    await settle();
    const second = workers[1]!;
    expect(workers).toHaveLength(2);
    expect(second.sent[0]).toMatchObject({ type: 'init', backend: 'wasm' });
    expect(trainRequests(second)).toHaveLength(1);
    second.reply({ type: 'backend', choice: { backend: 'wasm', reason: 'configured: wasm' } });
    expect(model.status()).toMatchObject({ backend: 'wasm', backendReason: 'the WebGL context was lost during training; wasm instead' });
    second.reply({ type: 'trained', id: (trainRequests(second)[0] as { id: number }).id, accepted: false, stopped: false });
    await settle();
    expect(model.status().model.runs).toBe(2);
    expect(workers).toHaveLength(2); // rejected on its merits: no third run until new products are engaged
  });

  it('a worker that fails to load is reported (cancelled, never re-thrown in the page) and given up after repeated failures', async () => {
    const { model, workers, trains, errors } = setup();
    model.start();
    await settle();
    expect(workers[0]!.fail()).toBe(true);
    expect(trains).toEqual([expect.objectContaining({ phase: 'failed', message: expect.stringContaining('could not be loaded') })]);
    expect(errors).toEqual([expect.objectContaining({ code: 'LR_MODEL_TRAIN', message: expect.stringContaining('restarted when training is next due') })]);
    await settle();
    expect(model.status().model).toMatchObject({ state: 'failed', runs: 1 });
    expect(workers).toHaveLength(1); // the failed run is not retried at once

    // Diagnostics start a new worker; when it fails too, they resolve (no hang) and no further worker is started.
    const diagnosed = model.memoryCycles(10);
    expect(workers).toHaveLength(MAX_WORKER_FAILURES);
    expect(workers[1]!.fail('boom')).toBe(true);
    expect(await diagnosed).toBeUndefined();
    expect(errors.at(-1)!.message).toMatch(/\(boom\); it is not restarted on this page/);
    expect(await model.memoryCycles(10)).toBeUndefined();
    expect(await model.loseContext()).toBeUndefined();
    expect(workers).toHaveLength(MAX_WORKER_FAILURES);
    expect(model.status().backendReason).toBe('the training worker failed; not restarted on this page');
  });

  it('forgetting during a run ends the run instead of leaving training stuck: the next history trains again', async () => {
    const { model, workers, events } = setup();
    model.start();
    await settle();
    expect(model.status().model.state).toBe('training');
    const history = events.splice(0); // forgetMe clears the log, then resets the model
    model.reset();
    await settle();
    expect(workers[0]!.terminated).toBe(true);
    expect(model.status().model.state).toBe('none');
    events.push(...history);
    model.observe(history.at(-1)!);
    await settle();
    expect(workers).toHaveLength(2);
    expect(trainRequests(workers[1]!)).toHaveLength(1);
  });
});

describe('connectModel and the catalog', () => {
  const parts = (worker: FakeWorker) => worker.sent.filter((m): m is Extract<ToWorker, { type: 'catalog-part' }> => m.type === 'catalog-part');
  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('sends the worker its catalog in parts after init, in later tasks, every product once and in order', async () => {
    const { model, workers, products } = setup(undefined, 240); // 1,200 products
    model.start();
    await settle();
    const [worker] = workers;
    expect(worker!.sent[0]).toMatchObject({ type: 'init', catalogParts: Math.ceil(products.length / CATALOG_PART) });
    expect(worker!.sent[0]).not.toHaveProperty('catalog');
    // Not in the task that started the worker: the first part waits for the shared queue.
    expect(parts(worker!)).toHaveLength(0);
    const count = Math.ceil(products.length / CATALOG_PART);
    await until(() => parts(worker!).length >= count);
    const sizes = parts(worker!).map((m) => m.products.length);
    expect(sizes).toHaveLength(count);
    expect(sizes.slice(0, -1).every((n) => n === CATALOG_PART)).toBe(true);
    expect(sizes.at(-1)).toBe(products.length - (count - 1) * CATALOG_PART);
    expect(parts(worker!).flatMap((m) => m.products.map((p) => p.id))).toEqual(products.map((p) => p.id));
  });

  it('a worker dropped before its catalog is sent gets none of it', async () => {
    const { model, workers } = setup(undefined, 240);
    model.start();
    await settle();
    const [worker] = workers;
    model.reset(); // forget: the worker is dropped
    expect(worker!.terminated).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(parts(worker!)).toHaveLength(0);
  });
});

describe('connectModel scheduling', () => {
  it('holds a due training run back while the widgets are busy, and starts it once they are not', async () => {
    let busy = true;
    const { model, workers } = setup(() => busy);
    model.start();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(workers).toHaveLength(0);
    expect(model.status().model.state).toBe('none');
    busy = false;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await settle();
    expect(workers).toHaveLength(1);
    expect(trainRequests(workers[0]!)).toHaveLength(1);
  });
});

describe('connectModel and the SIMD score kernel', () => {
  const module = new WebAssembly.Module(Uint8Array.from(atob(SCORE_KERNEL), (c) => c.charCodeAt(0)));

  it("ranks with the worker's compiled kernel once it arrives, and a kernel arriving after forget brings no model back", async () => {
    const { model, workers, rankers } = setup();
    model.start();
    await settle();
    const worker = workers[0]!;
    worker.reply({ type: 'backend', choice: { backend: 'wasm', reason: 'configured: wasm' } });
    worker.reply(randomModel());
    expect(model.status().model).toMatchObject({ state: 'ready', scorer: 'plain' });
    expect(rankers).toHaveLength(1);
    worker.reply({ type: 'kernel', module });
    await settle();
    expect(model.status().model.scorer).toBe('simd');
    expect(rankers).toHaveLength(2);
    expect((rankers[1] as Ranker & { simd: boolean }).simd).toBe(true);

    // Forgotten before a (second) kernel or the neighbour lists arrive: the model must stay gone.
    const { model: other, workers: otherWorkers, rankers: otherRankers } = setup();
    other.start();
    await settle();
    otherWorkers[0]!.reply(randomModel());
    other.reset();
    otherWorkers[0]!.reply({ type: 'kernel', module });
    await settle();
    expect(otherRankers.length).toBeGreaterThanOrEqual(2);
    expect(otherRankers.at(-1)).toBeUndefined();
  });
});

describe('connectModel diagnostics', () => {
  it("tensorMemory reads the worker's tf.memory(), and never starts a worker to do so", async () => {
    const { model, workers } = setup();
    expect(await model.tensorMemory()).toBeUndefined();
    expect(workers).toHaveLength(0);

    model.start();
    await settle();
    const [worker] = workers;
    const asked = model.tensorMemory();
    const request = worker!.sent.find((m) => m.type === 'tensor-memory') as { id: number } | undefined;
    expect(request).toBeDefined();
    const memory = { numTensors: 12, numBytes: 110_596, numDataBuffers: 12, backend: 'wasm' };
    worker!.reply({ type: 'tensor-memory', id: request!.id, memory });
    expect(await asked).toEqual(memory);

    // A worker that goes away before answering resolves the request as "no answer".
    const lost = model.tensorMemory();
    model.reset();
    expect(await lost).toBeUndefined();
  });
});
