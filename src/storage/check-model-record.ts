/**
 * Checks a model record read from IndexedDB before anything uses it. Stored bytes can be damaged (a partial write,
 * an older release, disk trouble, another script on the origin) and a damaged record must not become the model the
 * device fine-tunes forever: NaN weights stay NaN through training, so every run would be rejected.
 *
 * Sound means: an object with a string `key`, a topology object, `weightSpecs` of float32 tensors with
 * non-negative integer shapes, `weightData` an ArrayBuffer of exactly their size with every weight finite, and
 * `schema` and `meta` objects. Does not judge whether the schema fits this catalog (that is `LR_MODEL_SCHEMA`).
 * @returns why the record is unusable, or `undefined` when it is sound
 */
export function checkModelRecord(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the record is not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.key !== 'string') return 'the record has no key';
  if (typeof r.modelTopology !== 'object' || r.modelTopology === null) return 'the topology is not an object';
  if (typeof r.schema !== 'object' || r.schema === null) return 'the feature schema is not an object';
  if (typeof r.meta !== 'object' || r.meta === null) return 'the metadata is not an object';
  if (!Array.isArray(r.weightSpecs) || r.weightSpecs.length === 0) return 'the weight specs are not a list';
  let floats = 0;
  for (const spec of r.weightSpecs as unknown[]) {
    const s = spec as { name?: unknown; shape?: unknown; dtype?: unknown } | null;
    if (typeof s !== 'object' || s === null || typeof s.name !== 'string' || s.dtype !== 'float32') return 'a weight spec is not a named float32 tensor';
    if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0)) return `weight ${s.name} has an invalid shape`;
    floats += s.shape.reduce((a: number, b: number) => a * b, 1);
  }
  if (!(r.weightData instanceof ArrayBuffer)) return 'the weight data is not an ArrayBuffer';
  if (r.weightData.byteLength !== floats * 4) return `the weight data has ${r.weightData.byteLength} bytes, the specs need ${floats * 4}`;
  const weights = new Float32Array(r.weightData);
  for (let i = 0; i < weights.length; i++) if (!Number.isFinite(weights[i]!)) return 'the weights contain NaN or Infinity';
  return undefined;
}
