/** One series of a small line chart: values per x (missing values are skipped). */
export interface ChartSeries {
  readonly values: readonly (number | undefined)[];
}

/** A series laid out for SVG: its `<polyline points>` and the value range it was scaled to. */
export interface ChartLine {
  readonly points: string;
  readonly min: number;
  readonly max: number;
}

/**
 * Lays out series for an SVG of `width` × `height` (pure): x is the index over `slots` slots (at least the longest
 * series, so a run's planned epochs can fix the axis), y is each series scaled to its own finite min–max (a flat
 * series sits in the middle). Non-finite values are skipped. A series without finite values gives empty `points`.
 */
export function chartLines(series: readonly ChartSeries[], slots: number, width: number, height: number, pad = 4): ChartLine[] {
  const n = Math.max(slots, ...series.map((s) => s.values.length), 2);
  const x = (i: number): number => pad + (i * (width - 2 * pad)) / (n - 1);
  return series.map(({ values }) => {
    const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (finite.length === 0) return { points: '', min: 0, max: 0 };
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    const y = (v: number): number => (max === min ? height / 2 : pad + ((max - v) * (height - 2 * pad)) / (max - min));
    const points = values
      .map((v, i) => (v !== undefined && Number.isFinite(v) ? `${round(x(i))},${round(y(v))}` : ''))
      .filter(Boolean)
      .join(' ');
    return { points, min, max };
  });
}

const round = (v: number): number => Math.round(v * 10) / 10;
