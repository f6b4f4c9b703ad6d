/** Plain-text tables of log-log rate checks: measured sinTheta and bounds along a sweep, and slopes. */
import type { SlopeFit } from "../core/stats.js";
import type { RateResult } from "../experiment/rates.js";
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
 * One row per grid value: for each method, its radius (if it has one), the measured quantity
 * (mean ± SE), the mean bound formula ("-" where undefined on some replicate) and the local
 * log-log slopes from the previous grid value; then the fitted slopes.
 */
export function formatRates(result: RateResult): string {
  const p = result.parameter;
  const rows = result.points.map((pt, i) => {
    const prev = i > 0 ? result.points[i - 1] : null;
    const cells = [String(pt.value)];
    pt.methods.forEach((m, j) => {
      const pm = prev === null ? null : prev.methods[j];
      if (m.eps > 0 || result.points.some((q) => q.methods[j].eps > 0)) cells.push(num(m.eps));
      cells.push(
        formatMeanSe(m.sinTheta.mean, m.sinTheta.se),
        num(m.boundMean),
        pm === null ? "-" : localSlope(pm.sinTheta.mean, m.sinTheta.mean, prev!.value, pt.value),
        pm === null ? "-" : localSlope(pm.boundMean, m.boundMean, prev!.value, pt.value),
      );
    });
    return cells;
  });
  const first = result.points[0]?.methods ?? [];
  const header = [p];
  first.forEach((m, j) => {
    if (result.points.some((q) => q.methods[j].eps > 0)) header.push(`${m.method} eps`);
    header.push(`${m.method} sinTheta`, m.bound, "slope", `${m.bound} slope`);
  });
  const table = textTable(header, rows);
  const fits = result.fits
    .map((f) => `${f.method}: measured slope ${fit(f.measured)}; on ${f.bound}'s range ${fit(f.measuredOnBoundRange)}; ${f.bound} slope ${fit(f.predicted)}`)
    .join("\n");
  return `${table}\n\n${fits}`;
}
