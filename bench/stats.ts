/** Statistics and number formatting shared by the benchmark scripts. */

export interface Stats {
  median: number;
  min: number;
  p25: number;
  p75: number;
  samples: number[];
}

export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** The nearest-rank percentile (p in [0, 1]). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    samples,
  };
}

/**
 * Paired ratio: the median over rounds of a[r] / b[r]. Both ran in the same round, seconds apart,
 * so a load spike hitting one round cancels out instead of skewing one side's median.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, r) => x / (b[r] ?? Number.NaN)));
}

/** Interquartile range over the median, as a fraction: how noisy a cell is. */
export function spread(s: Stats): number {
  return (s.p75 - s.p25) / s.median;
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function fmtX(x: number): string {
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}

export const fmt = (value: number, digits = 2): string => value.toFixed(digits);

export const signed = (value: number, digits: number): string =>
  `${value >= 0 ? "+" : ""}${fmt(value, digits)}`;

export const pct = (fraction: number): string => `${(fraction * 100).toFixed(0)}%`;

/** A Markdown table: first column left-aligned, the others right-aligned, padded to line up. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
