import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { FeatureSchema } from '../core/feature-schema';
import { sparseFields } from '../core/feature-schema';
import { HashedEmbedding } from './hashed-embedding';

/**
 * Defines the LocalRank reranker (tfjs layers): one shared embedding of hashed sparse ids (category, brand, price
 * band, title tokens) for the candidate and for the shopper, concatenated as
 * `[item, shopper, item ⊙ shopper, dense features]`, then ReLU layers `schema.hidden` and a linear score (logit);
 * with `schema.wide`, plus a linear term over the dense features that starts as one of them (wide & deep): the
 * stage-1 score for a shop's base model (`start`, default), the heuristic's score for a device without neighbour
 * lists — so an untrained model ranks like the baseline it would replace, and training learns corrections.
 * Weights are initialised from `seed`, so a run is reproducible. The same maths runs without tfjs in
 * `core/create-scorer.ts`.
 */
export function defineModel(schema: FeatureSchema, seed: number, start: 'stage1' | 'heuristic' = 'stage1'): tfl.LayersModel {
  const fields = sparseFields(schema);
  const item = tfl.input({ shape: [fields], dtype: 'int32', name: 'item' });
  const user = tfl.input({ shape: [fields], dtype: 'int32', name: 'user' });
  const dense = tfl.input({ shape: [schema.dense.length], name: 'dense' });
  const embedding = new HashedEmbedding({ inputDim: schema.vocab, outputDim: schema.dim, seed, name: 'embedding' });
  const flatItem = tfl.layers.flatten().apply(embedding.apply(item)) as tfl.SymbolicTensor;
  const flatUser = tfl.layers.flatten().apply(embedding.apply(user)) as tfl.SymbolicTensor;
  const both = tfl.layers.multiply().apply([flatItem, flatUser]) as tfl.SymbolicTensor;
  let x = tfl.layers.concatenate().apply([flatItem, flatUser, both, dense]) as tfl.SymbolicTensor;
  schema.hidden.forEach((units, i) => {
    x = tfl.layers
      .dense({ units, activation: 'relu', name: `hidden${i + 1}`, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i + 1 }) })
      .apply(x) as tfl.SymbolicTensor;
  });
  const deep = tfl.layers
    .dense({
      units: 1,
      name: 'score',
      // Wide & deep starts from the wide term alone (deep output 0); the deep part then learns corrections.
      kernelInitializer: schema.wide ? 'zeros' : tfl.initializers.glorotUniform({ seed: seed + 99 }),
    })
    .apply(x) as tfl.SymbolicTensor;
  if (!schema.wide) return tfl.model({ inputs: [item, user, dense], outputs: deep, name: 'localrank' });
  const wideLayer = tfl.layers.dense({ units: 1, name: 'wide', useBias: false, kernelInitializer: 'zeros' });
  const wide = wideLayer.apply(dense) as tfl.SymbolicTensor;
  const score = tfl.layers.add({ name: 'logit' }).apply([deep, wide]) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: [item, user, dense], outputs: score, name: 'localrank' });
  // Set after building, then disposed: a tensor handed to the layer as `weights` is never freed by tfjs-layers
  // (two tensors left behind per model, found by the tensor-count diagnostics).
  const init = new Float32Array(schema.dense.length);
  const first = schema.dense.indexOf(start);
  if (first >= 0) init[first] = 1;
  const kernel = tf.tensor2d(init, [schema.dense.length, 1]);
  wideLayer.setWeights([kernel]);
  kernel.dispose();
  return model;
}

/** Number of weights (parameters) of a model. */
export function countParams(model: tfl.LayersModel): number {
  return model.weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** Disposes a model and its optimizer state (`model.dispose()` alone leaves Adam's slots). */
export function disposeModel(model: tfl.LayersModel, optimizer?: tf.Optimizer): void {
  optimizer?.dispose();
  model.dispose();
}
