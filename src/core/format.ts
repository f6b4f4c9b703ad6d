/** Number formatting shared by every text output (tables, reports, prose). */

/**
 * "mean ± se" with the standard error to two significant digits and the mean to the same
 * decimal place (at most 6 decimals); a zero or undefined (null) standard error prints the mean
 * to 4 significant digits.
 * @example formatMeanSe(0.85951, 0.00291) // "0.8595 ± 0.0029"
 */
export function formatMeanSe(mean: number, se: number | null): string {
  if (se === null || !(se > 0)) return `${Number(mean.toPrecision(4))}`;
  const decimals = Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(se))));
  return `${mean.toFixed(decimals)} ± ${se.toFixed(decimals)}`;
}

/**
 * A left-aligned text table from a header and rows of cells (two spaces between columns, a rule
 * of dashes under the header).
 * @example textTable(["a", "bb"], [["1", "2"]]) // "a  bb\n-  --\n1  2"
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * A GitHub-flavoured Markdown table.
 * @example markdownTable(["a", "b"], [["1", "2"]]) // "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n") + "\n";
}
