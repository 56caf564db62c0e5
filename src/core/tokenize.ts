/** Lower-cased word tokens of at least two characters (Unicode letters and digits), for search-query affinity. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}
