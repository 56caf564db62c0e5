import type { Section } from '../types';
import { bytes } from './bytes';
import { rerank } from './rerank';
import { scaling } from './scaling';

/** Every benchmark section, in the order they run. */
export const SECTIONS: readonly Section[] = [bytes, rerank, scaling];
