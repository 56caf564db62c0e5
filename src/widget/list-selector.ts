/** Containers whose product children LocalRank reorders; `data-localrank-rerank="off"` opts a list out. */
export const LIST_SELECTOR = '[data-localrank-rerank]:not([data-localrank-rerank="off"])';
