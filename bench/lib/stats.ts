/** The median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * Median of the per-round ratios a[r] / b[r]: the cases of one round run seconds apart, so a
 * ratio within a round cancels most of the drift between rounds.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return Number.NaN;
  return median(a.map((value, round) => value / (b[round] ?? Number.NaN)));
}

export const integer = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
export const fixed = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';
export const times = (value: number): string => `${fixed(value)}×`;
export const mebibytes = (bytes: number): string => `${fixed(bytes / 1024 / 1024, 1)} MiB`;
/** "min–max" of a list. */
export const range = (values: readonly number[], format: (value: number) => string): string =>
  values.length === 0 ? '–' : `${format(Math.min(...values))}–${format(Math.max(...values))}`;
