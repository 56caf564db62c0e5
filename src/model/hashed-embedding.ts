import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Config of {@link HashedEmbedding}. */
export interface HashedEmbeddingConfig {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly seed: number;
  readonly name?: string;
}

/**
 * `gather(table, ids)` whose gradient is a `scatterND` (which sums duplicate ids) instead of tfjs's default
 * `unsortedSegmentSum`: tfjs's cpu kernel runs that as one `equal`/`mul`/`sum` per vocabulary row, 2,048 kernel
 * dispatches per batch (~38 s per epoch of 459 rows here, against well under a second this way).
 */
const lookup = tf.customGrad(((ids: tf.Tensor, table: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids]);
  return {
    value: tf.gather(table, ids),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const idx = tf.expandDims(saved[0]!, 1);
      return [tf.zerosLike(saved[0]!), tf.scatterND(idx, dy as tf.Tensor, table.shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (ids: tf.Tensor, table: tf.Tensor) => tf.Tensor;

/** An embedding layer over hashed ids with a fast gradient (see `lookup`). Same maths as `tf.layers.embedding`. */
export class HashedEmbedding extends tfl.layers.Layer {
  static readonly className = 'HashedEmbedding';
  private readonly inputDim: number;
  private readonly outputDim: number;
  private readonly seed: number;
  private embeddings: tfl.LayerVariable | undefined;

  constructor(config: HashedEmbeddingConfig) {
    super(config.name ? { name: config.name } : {});
    this.inputDim = config.inputDim;
    this.outputDim = config.outputDim;
    this.seed = config.seed;
  }

  override build(): void {
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      'float32',
      tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: this.seed }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape, this.outputDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(Array.isArray(inputs) ? inputs[0]! : inputs, 'int32');
      const rows = lookup(tf.reshape(ids, [-1]), this.embeddings!.read());
      return tf.reshape(rows, [...ids.shape, this.outputDim]);
    });
  }

  /**
   * Releases the table with the model. The layer is shared by the item and the shopper input, so tfjs-layers
   * counts two applications while the model's `dispose()` releases one, which left the table behind (one
   * 2,048 × 8 tensor per model, found by the worker's tensor-count diagnostics). A HashedEmbedding belongs to
   * exactly one model (defined or loaded), so one dispose frees it.
   */
  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    if (this._refCount !== null && this._refCount > 1) this._refCount = 1;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, seed: this.seed };
  }

  /** Rebuilds the layer from a saved model's config. */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config as never);
  }
}

tf.serialization.registerClass(HashedEmbedding);
