import { describe, expect, it } from 'vitest';
import { checkModelRecord } from './check-model-record';

const specs = [
  { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
  { name: 'dense/bias', shape: [2], dtype: 'float32' },
];
const sound = (data = new Float32Array([0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0, 1]).buffer) => ({
  key: 'current',
  modelTopology: { class_name: 'Functional' },
  weightSpecs: specs,
  weightData: data,
  schema: { version: 3 },
  meta: { modelVersion: 1 },
});

describe('checkModelRecord', () => {
  it('accepts a sound record', () => {
    expect(checkModelRecord(sound())).toBeUndefined();
  });

  it('refuses wrong field types', () => {
    expect(checkModelRecord(null)).toMatch(/not an object/);
    expect(checkModelRecord({ ...sound(), modelTopology: 'x' })).toMatch(/topology/);
    expect(checkModelRecord({ ...sound(), weightSpecs: 17 })).toMatch(/weight specs/);
    expect(checkModelRecord({ ...sound(), weightData: 'AAAA' })).toMatch(/ArrayBuffer/);
    expect(checkModelRecord({ ...sound(), meta: 42 })).toMatch(/metadata/);
    expect(checkModelRecord({ ...sound(), schema: null })).toMatch(/schema/);
    expect(checkModelRecord({ ...sound(), weightSpecs: [{ ...specs[0], dtype: 'int32' }, specs[1]] })).toMatch(/float32/);
    expect(checkModelRecord({ ...sound(), weightSpecs: [{ ...specs[0], shape: [3, -2] }, specs[1]] })).toMatch(/shape/);
  });

  it('refuses truncated or oversized weight data', () => {
    expect(checkModelRecord(sound(new Float32Array(5).buffer))).toMatch(/20 bytes, the specs need 32/);
    expect(checkModelRecord(sound(new Float32Array(9).buffer))).toMatch(/36 bytes/);
  });

  it('refuses NaN and Infinity weights', () => {
    expect(checkModelRecord(sound(new Float32Array([0, 0, 0, NaN, 0, 0, 0, 0]).buffer))).toMatch(/NaN/);
    expect(checkModelRecord(sound(new Float32Array([0, 0, 0, 0, 0, 0, 0, -Infinity]).buffer))).toMatch(/Infinity/);
  });
});
