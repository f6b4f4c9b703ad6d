/**
 * Comparing the probe's results (test/fixtures/crossRuntimeProbe.mjs) between runtimes: the same
 * structure (keys, strings, booleans, nulls, integers) and numbers that are bit for bit equal, or,
 * where the runtime's Math functions differ from Node's in the last bit, how far apart they are.
 */

/** How two JSON values compare. */
export interface Agreement {
  /** Numbers compared. */
  numbers: number;
  /** Numbers that differ at all. */
  differing: number;
  /** Largest |a - b| / max(|a|, |b|) over the numbers. */
  maxRelative: number;
  /** Largest distance in units in the last place. */
  maxUlps: number;
  /** Differences that are not a number's last bits: keys, types, strings, booleans, nulls. */
  structural: string[];
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance of two finite doubles of the same sign in units in the last place. */
export function ulps(a: number, b: number): number {
  if (a === b) return 0;
  if (Math.sign(a) !== Math.sign(b)) return Number.POSITIVE_INFINITY;
  f64[0] = a;
  const x = i64[0];
  f64[0] = b;
  const y = i64[0];
  return Number(x > y ? x - y : y - x);
}

export function compareJson(a: unknown, b: unknown): Agreement {
  const out: Agreement = { numbers: 0, differing: 0, maxRelative: 0, maxUlps: 0, structural: [] };
  const walk = (x: unknown, y: unknown, path: string) => {
    if (out.structural.length > 20) return;
    if (typeof x === "number" && typeof y === "number") {
      out.numbers++;
      if (Object.is(x, y)) return;
      out.differing++;
      out.maxRelative = Math.max(out.maxRelative, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
      out.maxUlps = Math.max(out.maxUlps, ulps(x, y));
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) out.structural.push(`${path}: length ${x.length} vs ${y.length}`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (x !== null && y !== null && typeof x === "object" && typeof y === "object" && !Array.isArray(x) && !Array.isArray(y)) {
      const kx = Object.keys(x);
      const ky = Object.keys(y);
      if (kx.join() !== ky.join()) out.structural.push(`${path}: keys ${kx.join()} vs ${ky.join()}`);
      for (const k of kx) if (k in (y as object)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    if (!Object.is(x, y)) out.structural.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  walk(a, b, "");
  return out;
}

/** Per Math function of the probe, the share of the fixed inputs where two runtimes differ. */
export function mathDifferences(a: Record<string, number[]>, b: Record<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(a)) {
    let d = 0;
    a[name].forEach((x, i) => {
      if (!Object.is(x, b[name][i])) d++;
    });
    if (d > 0) out[name] = d / a[name].length;
  }
  return out;
}

/** One line for the test log: how the numbers of a runtime agree with Node's. */
export function describeAgreement(runtime: string, agreement: Agreement, math: Record<string, number>): string {
  const fns = Object.entries(math).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`);
  if (agreement.differing === 0) return `${runtime}: all ${agreement.numbers} numbers bit for bit equal to Node's`;
  return (
    `${runtime}: ${agreement.differing} of ${agreement.numbers} numbers differ from Node's, by at most ${agreement.maxUlps} ulp ` +
    `(${agreement.maxRelative.toExponential(2)} relative); its Math functions differ from Node's on these shares of the probe's inputs: ${fns.join(", ") || "none"}`
  );
}

/**
 * The assertion every runtime test makes: the same structure always; bit for bit equal numbers
 * when the runtime's Math functions agree with Node's on the probe's inputs; otherwise numbers
 * within `tolerance` relative (the last-bit differences of exp, log, ... carried through a run; on
 * the probe they reach 3e-14 under Deno 2.9 and Chromium 156, so 1e-10 leaves room for the probe to
 * grow without hiding a real discrepancy, which would show in the 4th digit or earlier).
 */
export function agreementProblems(node: { math: Record<string, number[]> }, other: { math: Record<string, number[]> }, tolerance = 1e-10): string[] {
  const { math: mn, ...rn } = node;
  const { math: mo, ...ro } = other;
  const a = compareJson(rn, ro);
  const m = mathDifferences(mn, mo);
  const problems = [...a.structural];
  if (Object.keys(m).length === 0 && a.differing > 0) problems.push(`the Math functions agree with Node's, yet ${a.differing} numbers differ`);
  if (a.maxRelative > tolerance) problems.push(`numbers differ by up to ${a.maxRelative} relative (> ${tolerance})`);
  return problems;
}
