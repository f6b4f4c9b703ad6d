/**
 * Headless SVG rendering of Vega-Lite specs: vega-lite compiles to a Vega spec, a Vega View with
 * the "none" renderer evaluates it, and view.toSVG() writes the SVG text. No canvas and no
 * browser; text widths are vega's estimates, which is enough for axis titles and legends.
 */
import { View, parse } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The SVG text of a Vega-Lite spec (data inline; nothing is fetched). */
export async function renderSvg(spec: object): Promise<string> {
  const vegaSpec = compile(spec as TopLevelSpec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
