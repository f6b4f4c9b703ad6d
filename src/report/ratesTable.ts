/** Plain-text tables of log-log rate checks: measured sinTheta and bounds along a sweep, and slopes. */
import type { RateResult, SlopeFit } from "../families/mixture/analysis/rates.js";
import { formatMeanSe, textTable } from "./table.js";

function num(x: number | null): string {
  if (x === null) return "-";
  return `${Number(x.toPrecision(4))}`;
}

function localSlope(a: number | null, b: number | null, va: number, vb: number): string {
  if (a === null || b === null || !(a > 0) || !(b > 0)) return "-";
  return (Math.log(b / a) / Math.log(vb / va)).toFixed(3);
}

function fit(f: SlopeFit | null): string {
  if (f === null) return "-";
  return f.se > 0 ? `${f.slope.toFixed(3)} ± ${f.se.toFixed(3)} (${f.points} points)` : `${f.slope.toFixed(3)} (${f.points} points)`;
}

/**
 * One row per grid value: for standard and l-inf training, the measured sinTheta (mean ± SE),
 * the mean bound formula ("-" where undefined on some replicate) and the local log-log slopes
 * from the previous grid value; then the fitted slopes.
 */
export function formatRates(result: RateResult): string {
  const p = result.parameter;
  const rows = result.points.map((pt, i) => {
    const prev = i > 0 ? result.points[i - 1] : null;
    const cells = [String(pt.value)];
    pt.methods.forEach((m, j) => {
      const pm = prev === null ? null : prev.methods[j];
      if (m.method === "linf") cells.push(num(m.eps));
      cells.push(
        formatMeanSe(m.sinTheta.mean, m.sinTheta.se),
        num(m.boundMean),
        pm === null ? "-" : localSlope(pm.sinTheta.mean, m.sinTheta.mean, prev!.value, pt.value),
        pm === null ? "-" : localSlope(pm.boundMean, m.boundMean, prev!.value, pt.value),
      );
    });
    return cells;
  });
  const table = textTable(
    [p, "std sinTheta", "B2", "slope", "B2 slope", "linf eps", "linf sinTheta", "B3", "slope", "B3 slope"],
    rows,
  );
  const fits = result.fits
    .map((f) => `${f.method}: measured slope ${fit(f.measured)}; on ${f.bound}'s range ${fit(f.measuredOnBoundRange)}; ${f.bound} slope ${fit(f.predicted)}`)
    .join("\n");
  return `${table}\n\n${fits}`;
}
