// What the browser test's page runs (loaded from the fake origin of test/browser/chromium.ts).
import * as lib from "../../dist/browser/advtransfer.js";
import { probe } from "../fixtures/crossRuntimeProbe.mjs";

/** The cross-runtime probe's results, as JSON text. */
export async function probeInPage() {
  return JSON.stringify(await probe(lib));
}

/** A small sweep's figure as SVG, and the message of a bad config. */
export async function figureAndError() {
  const result = await lib.runSweep({
    scenario: { d: 60, s: 6 },
    replicates: 5,
    methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.1 }],
    sweep: [{ param: "methods.linf.eps", values: [0.1, 0.3], name: "eps" }],
  });
  const svg = await lib.figureSvg(lib.figureSpec(result, { metric: "sinTheta" }));
  let error = "";
  try {
    await lib.run({ scenario: { r: 30 } });
  } catch (e) {
    error = `${e.name}: ${e.message}`;
  }
  return { svg, error };
}
