/**
 * A throwaway worker that pays the page's first-`Intl` cost off the main thread (see `loadLocaleData`), for a page
 * whose catalog comes inline (`LocalRankConfig.products`); with a catalog URL the catalog's worker does it.
 */
import { loadLocaleData } from './load-locale-data';

postMessage(loadLocaleData());
