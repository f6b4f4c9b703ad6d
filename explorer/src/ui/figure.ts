/**
 * Draws Vega-Lite specs with vega (SVG renderer), the same libraries the CLI renders its SVG
 * figures with. A figure keeps one view; drawing again replaces it.
 */
import { View, parse } from "vega";
import { compile } from "vega-lite";

export class Figure {
  readonly element: HTMLElement;
  private view: View | null = null;
  private generation = 0;

  constructor(element: HTMLElement) {
    this.element = element;
  }

  /** Draws `spec` (a Vega-Lite spec); `label` is the figure's accessible name. */
  async draw(spec: object, label: string): Promise<void> {
    const generation = ++this.generation;
    const vg = compile(spec as Parameters<typeof compile>[0]).spec;
    const holder = document.createElement("div");
    const view = new View(parse(vg), { renderer: "svg", container: holder, hover: true });
    await view.runAsync();
    if (generation !== this.generation) {
      view.finalize();
      return;
    }
    this.view?.finalize();
    this.view = view;
    holder.setAttribute("role", "img");
    holder.setAttribute("aria-label", label);
    this.element.replaceChildren(holder);
  }

  clear(): void {
    this.generation += 1;
    this.view?.finalize();
    this.view = null;
    this.element.replaceChildren();
  }
}
