import type { Browser, BrowserContext, Page } from '@playwright/test';

/** A machine profile the benchmark runs under. */
export type Profile = 'unthrottled' | 'cpu-4x';

/** Median and p95 of repeated measurements (nearest-rank p95), with the raw runs. */
export interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly runs: readonly number[];
}

/** One measured figure, next to its baseline from the same run and its target (reported, never asserted). */
export interface Figure {
  /** Stable key, e.g. `rerank.model.200.p95` is not used: keys are `section.name`, e.g. `rerank.200`. */
  readonly key: string;
  readonly label: string;
  readonly unit: 'ms' | 'KB' | 'count' | 'events/s' | 'MB' | 'score' | 'ratio';
  readonly value: Summary;
  /** The naive baseline measured in the same run (e.g. the page without LocalRank), when there is one. */
  readonly baseline?: { readonly label: string; readonly value: Summary };
  /** The target for this figure, and whether the median / p95 met it. */
  readonly target?: { readonly stat: 'median' | 'p95'; readonly max: number; readonly met: boolean };
}

/** What a section returns. */
export interface SectionResult {
  readonly figures: readonly Figure[];
  /** Caveats in one sentence each (e.g. "CDP throttling does not slow dedicated workers"). */
  readonly notes: readonly string[];
}

/** What a section gets to run with. */
export interface BenchContext {
  readonly browser: Browser;
  /** Base URL of the production build served by `vite preview` on 127.0.0.1. */
  readonly baseURL: string;
  readonly profile: Profile;
  /** How many times to repeat a measurement (sections may use fewer for slow figures and say so in a note). */
  readonly repeats: number;
  /** A fresh context (empty IndexedDB) and page, with the profile's CPU throttling applied to the page. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Absolute path of the built `dist/` folder. */
  readonly dist: string;
  /** Progress line on stderr. */
  log(message: string): void;
}

/** A benchmark section: `bytes`, `page-load`, `tracking`, `training`, `rerank`, `memory`, `scaling`. */
export interface Section {
  readonly name: string;
  /** Sections that do not depend on CPU speed (bytes) run once, not per profile. */
  readonly profileIndependent?: boolean;
  run(ctx: BenchContext): Promise<SectionResult>;
}
