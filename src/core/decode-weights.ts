import type { ModelWeights } from './create-scorer';
import { weightNames } from './create-scorer';
import type { FeatureSchema } from './feature-schema';

/** A weight entry of a tfjs weights manifest (the part LocalRank needs). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}

/**
 * Decodes tfjs weight data (`weightSpecs` + one `ArrayBuffer`, float32) into named arrays without tfjs, mapping
 * by position onto {@link weightNames} (tfjs may suffix variable names, `hidden1/kernel_1`, so names are not
 * reliable). Throws when shapes do not fit the schema.
 */
export function decodeWeights(specs: readonly WeightSpec[], data: ArrayBuffer, schema: FeatureSchema): ModelWeights {
  const names = weightNames(schema);
  if (specs.length !== names.length) throw new Error(`expected ${names.length} weight tensors, got ${specs.length}`);
  const out: Record<string, Float32Array> = {};
  let offset = 0;
  specs.forEach((spec, i) => {
    if (spec.dtype !== 'float32') throw new Error(`unsupported weight dtype ${spec.dtype}`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > data.byteLength) throw new Error('weight data is truncated');
    out[names[i]!] = new Float32Array(data.slice(offset, offset + size * 4));
    offset += size * 4;
  });
  return out;
}
