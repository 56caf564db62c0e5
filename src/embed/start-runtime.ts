import { createRuntime } from '../widget/create-runtime';
import type { Runtime } from '../widget/create-runtime';
import { loadCatalog } from '../widget/load-catalog';
import type { LoadCatalogDeps } from '../widget/load-catalog';
import type { RuntimeDeps } from '../widget/runtime-types';
import { createModelPlatform } from './create-model-platform';

/**
 * The runtime chunk's entry: loads the catalog ({@link loadCatalog}), creates the model's browser hooks and the
 * runtime. The entry script imports this one module instead of three (catalog loading, model platform, runtime): each
 * dynamic import of a chunk not yet requested starts its request on the page's main thread (Blink's
 * `ResourceFetcher::requestResource`, where a trace put the time). In instrumented loads of the demo at 4× CPU
 * throttling, a task that only started such an import took 0.2–53 ms, with or without DevTools' network agent, and
 * those tasks were among LocalRank's longest at load. Never rejects for the catalog: its failure reaches the runtime,
 * which reports it.
 * @param catalog where the catalog comes from (see {@link LoadCatalogDeps})
 * @param deps the runtime's dependencies but the catalog and the model platform, which this adds
 */
export function startRuntime(catalog: LoadCatalogDeps, deps: Omit<RuntimeDeps, 'catalog' | 'modelPlatform'>): Promise<Runtime> {
  const loaded = loadCatalog(catalog);
  loaded.catch(() => {}); // handled by the runtime
  return createRuntime({ ...deps, catalog: loaded, modelPlatform: createModelPlatform() });
}
