import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { FeatureSchema } from '../src/core/feature-schema';
import type { NeighbourIndex } from '../src/core/neighbour-index';
import { encodeNeighbourIndex } from '../src/core/neighbour-index';
import { joinWeightData } from '../src/model/create-record-handler';

/** Bytes of each file written by {@link writeModelFiles}. */
export type ModelFileSizes = Record<string, number>;

/**
 * Writes what the widget loads through `data-model="<dir>/"`: `model.json` + `weights.bin` (tfjs layers format),
 * `feature-schema.json`, and `neighbours.json` when an index is given. Creates `dir` if needed.
 * @returns bytes per file
 */
export async function writeModelFiles(dir: string, model: tfl.LayersModel, schema: FeatureSchema, index: NeighbourIndex | undefined, generatedBy: string): Promise<ModelFileSizes> {
  mkdirSync(dir, { recursive: true });
  const sizes: ModelFileSizes = {};
  const write = (name: string, data: string | Buffer): void => {
    writeFileSync(join(dir, name), data);
    sizes[name] = Buffer.byteLength(data);
  };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeightData(artifacts.weightData!);
      write('weights.bin', Buffer.from(weights));
      write(
        'model.json',
        JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  write('feature-schema.json', JSON.stringify(schema, null, 2) + '\n');
  if (index) write('neighbours.json', JSON.stringify(encodeNeighbourIndex(index)));
  return sizes;
}
