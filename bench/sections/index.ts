import type { Section } from '../types';
import { bytes } from './bytes';
import { memory } from './memory';
import { pageLoad } from './page-load';
import { rerank } from './rerank';
import { scaling } from './scaling';
import { tracking } from './tracking';
import { training } from './training';

/** Every benchmark section, in the order they run. */
export const SECTIONS: readonly Section[] = [bytes, pageLoad, tracking, rerank, training, memory, scaling];
