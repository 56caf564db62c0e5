import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LabelledBatch } from '../core/build-training-set';
import { createRandom } from '../core/create-random';
import type { ModelWeights } from '../core/create-scorer';
import { weightNames } from '../core/create-scorer';
import type { FeatureBatch } from '../core/featurize';
import type { FeatureSchema } from '../core/feature-schema';
import { sparseFields } from '../core/feature-schema';

/** Options of {@link trainModel}. */
export interface TrainOptions {
  readonly schema: FeatureSchema;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /**
   * Fine-tuning: which weights adapt (`head` = the dense layers, embeddings frozen) and how strongly they are
   * pulled back toward the base model's weights (L2-SP). Omit to train everything from scratch.
   */
  readonly fineTune?: { readonly l2sp: number; readonly trainable: 'head' | 'all' };
  /** Called after each epoch with the mean training loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void | Promise<void>;
  /** Checked between batches; training stops early when it returns true. */
  readonly shouldStop?: () => boolean;
}

/** Result of {@link trainModel}. */
export interface TrainResult {
  readonly losses: number[];
  readonly stopped: boolean;
}

/** Builds the model's three input tensors for rows `rows` of a batch (all rows when omitted). */
export function toInputs(batch: FeatureBatch, schema: FeatureSchema, rows?: Int32Array): tf.Tensor[] {
  const fields = sparseFields(schema);
  const d = schema.dense.length;
  if (!rows) {
    return [tf.tensor2d(batch.item, [batch.size, fields], 'int32'), tf.tensor2d(batch.user, [batch.size, fields], 'int32'), tf.tensor2d(batch.dense, [batch.size, d])];
  }
  const n = rows.length;
  const item = new Int32Array(n * fields);
  const user = new Int32Array(n * fields);
  const dense = new Float32Array(n * d);
  rows.forEach((r, i) => {
    item.set(batch.item.subarray(r * fields, (r + 1) * fields), i * fields);
    user.set(batch.user.subarray(r * fields, (r + 1) * fields), i * fields);
    dense.set(batch.dense.subarray(r * d, (r + 1) * d), i * d);
  });
  return [tf.tensor2d(item, [n, fields], 'int32'), tf.tensor2d(user, [n, fields], 'int32'), tf.tensor2d(dense, [n, d])];
}

/**
 * Trains (or fine-tunes) the model with Adam on binary cross-entropy over logits, in seeded mini-batches.
 * Every tensor is owned: inputs and intermediates are disposed per batch, the optimizer at the end, so
 * `tf.memory().numTensors` is the same before and after. Yields to the event loop between epochs.
 */
export async function trainModel(model: tfl.LayersModel, data: LabelledBatch, options: TrainOptions): Promise<TrainResult> {
  const { schema } = options;
  const random = createRandom(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const all = model.trainableWeights;
  const trainable = options.fineTune?.trainable === 'head' ? all.filter((w) => !w.originalName.startsWith('embedding')) : all;
  const vars = trainable.map((w) => w.read() as tf.Variable);
  const anchors = options.fineTune ? vars.map((v) => tf.keep(v.clone())) : [];
  const losses: number[] = [];
  let stopped = false;
  try {
    const order = Int32Array.from({ length: data.size }, (_, i) => i);
    for (let epoch = 0; epoch < options.epochs && !stopped; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let total = tf.scalar(0);
      let batches = 0;
      for (let start = 0; start < order.length; start += options.batchSize) {
        if (options.shouldStop?.()) {
          stopped = true;
          break;
        }
        const rows = order.subarray(start, start + options.batchSize);
        const inputs = toInputs(data, schema, rows);
        const labels = tf.tensor2d(Float32Array.from(rows, (r) => data.labels[r]!), [rows.length, 1]);
        const cost = optimizer.minimize(
          () => {
            const logits = model.apply(inputs, { training: true }) as tf.Tensor;
            let loss = tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
            if (options.fineTune && options.fineTune.l2sp > 0) {
              const pull = tf.addN(vars.map((v, k) => tf.sum(tf.square(tf.sub(v, anchors[k]!)))));
              loss = tf.add(loss, tf.mul(pull, options.fineTune.l2sp)) as tf.Scalar;
            }
            return loss;
          },
          true,
          vars,
        );
        tf.dispose([...inputs, labels]);
        if (cost) {
          const next = tf.add(total, cost) as tf.Scalar;
          tf.dispose([total, cost]);
          total = next;
        }
        batches++;
      }
      const loss = (await total.data())[0]! / Math.max(1, batches);
      total.dispose();
      if (!stopped) {
        losses.push(loss);
        await options.onEpoch?.(epoch, loss);
      }
    }
  } finally {
    optimizer.dispose();
    tf.dispose(anchors);
  }
  return { losses, stopped };
}

/** Reads the model's weights into named typed arrays (see `core/create-scorer.ts`), in definition order. */
export function readWeights(model: tfl.LayersModel, schema: FeatureSchema): ModelWeights {
  const names = weightNames(schema);
  const out: Record<string, Float32Array> = {};
  model.getWeights().forEach((w, i) => {
    out[names[i]!] = w.dataSync() as Float32Array;
  });
  return out;
}
