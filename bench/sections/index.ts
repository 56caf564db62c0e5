import type { Section } from '../types';
import { bytes } from './bytes';
import { memory } from './memory';
import { training } from './training';

/** Every benchmark section, in the order they run. */
export const SECTIONS: readonly Section[] = [bytes, training, memory];
