/** One `layout-shift` entry as recorded in the page. */
export interface RecordedShift {
  readonly value: number;
  readonly hadRecentInput: boolean;
  /** Whether each of the entry's sources is inside a LocalRank mount point (`[data-localrank-widget]`, shadow DOM included). */
  readonly sourcesInWidget: readonly boolean[];
}

/**
 * Layout-shift score of a page load: the sum of shift values without recent input (the definition; on a
 * load without input it is at least the largest CLS session window), and the part of it whose entries have a
 * source inside a LocalRank mount point. An entry's value cannot be split between its sources, so an entry with
 * any source in a widget counts whole (an upper bound for the widget's own shifts). A widget that grows beyond its
 * reserved space moves the content below it, whose sources are outside: that shows in the total against the page
 * without LocalRank, not in `widget`.
 */
export function sumLayoutShifts(shifts: readonly RecordedShift[]): { total: number; widget: number } {
  let total = 0;
  let widget = 0;
  for (const s of shifts) {
    if (s.hadRecentInput) continue;
    total += s.value;
    if (s.sourcesInWidget.some(Boolean)) widget += s.value;
  }
  return { total, widget };
}
