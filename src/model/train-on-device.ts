import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Counter } from '../core/counter';
import { buildTrainingSet, meanReciprocalRank } from '../core/build-training-set';
import type { ModelWeights } from '../core/create-scorer';
import { createScorer, weightsAreFinite } from '../core/create-scorer';
import { heuristicColumn } from '../core/featurize';
import type { FeatureSchema } from '../core/feature-schema';
import type { Interaction } from '../core/interaction';
import type { NeighbourIndex } from '../core/neighbour-index';
import type { Product } from '../core/product';
import type { ModelMeta } from '../storage/model-record';
import { defineModel } from './define-model';
import { readWeights, trainModel } from './train-model';
import type { TrainProgress } from './worker-protocol';

/** Training settings. From scratch: all weights; fine-tuning: the dense head only, pulled toward the old weights. */
export const SCRATCH = { epochs: 12, learningRate: 0.01, batchSize: 32 } as const;
/** See {@link SCRATCH}. */
export const FINE_TUNE = { epochs: 6, learningRate: 0.003, batchSize: 32, l2sp: 0.01 } as const;

/** Input of {@link trainOnDevice}. */
export interface DeviceTrainInput {
  /** The current model (base or earlier device model) to fine-tune, or undefined to train from scratch. */
  readonly model: tfl.LayersModel | undefined;
  readonly origin: TrainProgress['origin'];
  readonly events: readonly Interaction[];
  readonly counters: readonly Counter[];
  readonly catalog: readonly Product[];
  readonly schema: FeatureSchema;
  readonly halfLifeMs: number;
  readonly seed: number;
  /** The shop's neighbour index (from the base model), if any. */
  readonly index?: NeighbourIndex;
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (p: TrainProgress) => void;
}

/** Output of {@link trainOnDevice}. */
export interface DeviceTrainOutput {
  readonly accepted: boolean;
  readonly stopped: boolean;
  /** The trained model when accepted (the input model, changed in place, or a new one); else the input model, unchanged. */
  readonly model: tfl.LayersModel | undefined;
  /** Accepted weights, as typed arrays. */
  readonly weights?: ModelWeights;
  readonly validation?: ModelMeta['validation'];
  readonly examples: number;
  readonly losses: readonly number[];
  /** Why training failed (tfjs error), when it did; the previous model is kept. */
  readonly error?: string;
}

/**
 * One on-device training run, the same in the browser worker and the offline evaluator: builds examples from the
 * shopper's own log (no look-ahead), trains from scratch or fine-tunes the head with L2-SP, keeps the best epoch on
 * the shopper's most recent positives, and accepts the result only if it ranks them at least as well as what it
 * would replace (the model before the run, or the heuristic for a new model). Rejected or stopped runs leave the
 * input model exactly as it was. Never throws for tfjs failures: they come back as `error`.
 */
export async function trainOnDevice(input: DeviceTrainInput): Promise<DeviceTrainOutput> {
  const { schema, origin } = input;
  const set = buildTrainingSet(input.events, input.counters, input.catalog, { schema, halfLifeMs: input.halfLifeMs, seed: input.seed, index: input.index });
  if (set.train.size === 0) {
    input.onProgress?.({ phase: 'rejected', origin, examples: 0, message: 'no training examples yet' });
    return { accepted: false, stopped: false, model: input.model, examples: 0, losses: [] };
  }
  const fresh = !input.model;
  // A new model starts as the ranking it must beat: stage 1 with the shop's neighbour lists, else the heuristic.
  const current = input.model ?? defineModel(schema, input.seed, input.index ? 'stage1' : 'heuristic');
  const previous = fresh ? undefined : current.getWeights().map((w) => w.clone());
  const score = () => createScorer(readWeights(current, schema), schema);
  const heuristic = meanReciprocalRank(set.validation, (b) => heuristicColumn(b, schema));
  const before = fresh ? 0 : meanReciprocalRank(set.validation, score());
  const settings = fresh ? SCRATCH : FINE_TUNE;
  // A new model's starting point (the baseline's ranking) competes with its epochs: if every epoch is worse, the
  // start is kept. (A fine-tune keeps its best epoch, then must not be worse than before the run.)
  let best: { mrr: number; weights: tf.Tensor[] } = fresh ? { mrr: meanReciprocalRank(set.validation, score()), weights: current.getWeights().map((w) => w.clone()) } : { mrr: -1, weights: [] };
  input.onProgress?.({ phase: 'start', origin, epochs: settings.epochs, examples: set.train.size });
  try {
    const result = await trainModel(current, set.train, {
      schema,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: input.seed,
      ...(fresh ? {} : { fineTune: { l2sp: FINE_TUNE.l2sp, trainable: 'head' as const } }),
      shouldStop: input.shouldStop,
      onEpoch: (epoch, loss) => {
        // Early stopping on the shopper's own most recent positives: remember the best epoch's weights.
        const mrr = meanReciprocalRank(set.validation, score());
        if (mrr > best.mrr) {
          tf.dispose(best.weights);
          best = { mrr, weights: current.getWeights().map((w) => w.clone()) };
        }
        input.onProgress?.({ phase: 'epoch', origin, epoch: epoch + 1, epochs: settings.epochs, loss, validation: { model: mrr, heuristic, cases: set.validation.length } });
      },
    });
    if (best.weights.length) current.setWeights(best.weights);
    const weights = readWeights(current, schema);
    const after = meanReciprocalRank(set.validation, createScorer(weights, schema));
    const validation = { model: after, heuristic, ...(fresh ? {} : { before }), cases: set.validation.length };
    // A few events must not wreck a good model; a new model must beat the heuristic it would replace.
    const accepted = !result.stopped && weightsAreFinite(weights) && after >= (fresh ? heuristic : before);
    if (!accepted) {
      if (previous) current.setWeights(previous);
      else current.dispose();
      input.onProgress?.({ phase: result.stopped ? 'stopped' : 'rejected', origin, validation, examples: set.train.size });
      return { accepted: false, stopped: result.stopped, model: input.model, validation, examples: set.train.size, losses: result.losses };
    }
    return { accepted: true, stopped: false, model: current, weights, validation, examples: set.train.size, losses: result.losses };
  } catch (error) {
    if (previous) current.setWeights(previous);
    else current.dispose();
    input.onProgress?.({ phase: 'failed', origin, message: String(error) });
    return { accepted: false, stopped: false, model: input.model, examples: set.train.size, losses: [], error: String(error) };
  } finally {
    tf.dispose(previous ?? []);
    tf.dispose(best.weights);
  }
}
