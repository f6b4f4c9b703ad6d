/**
 * Fuzzing the config parsers of every family with whole configs (test/fuzz/arbitraries.ts):
 * - every valid config parses, and its echo parses back to the same config;
 * - every mutation either parses (its echo then round-trips too) or throws a ConfigError naming
 *   the mutated field, never another error;
 * - small valid configs run to finite metrics or reported failures;
 * - no key path reaches an object prototype.
 * `npm run fuzz` runs the same properties with FUZZ_RUNS (default here: a few seconds' worth).
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { isConfigError } from "../../src/core/config/parse.js";
import type { Family } from "../../src/experiment/family.js";
import { runReplicate } from "../../src/experiment/replicate.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { mixtureConfigArb, mutationArb, twoLayerConfigArb } from "./arbitraries.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// About 10 ms a config on this project's 2-core CI machine when a share of them run; the suite's
// 60 s default is for the in-suite count, and longer runs scale it.
const TIMEOUT = Math.max(60_000, RUNS * 40);
const registry = createDefaultRegistry();
const counts = { tried: 0, parsed: 0, rejected: 0, ran: 0 };

function roundTrip(family: Family, config: unknown): void {
  const echo = JSON.parse(JSON.stringify(family.echo(config)));
  expect(family.parse(echo)).toEqual(config);
}

const cases: [string, fc.Arbitrary<{ [key: string]: unknown }>, number][] = [
  ["mixture", mixtureConfigArb as never, 1],
  ["two-layer", twoLayerConfigArb as never, 0.2],
];

describe.each(cases)("fuzzing the %s config parser", (name, arb, runShare) => {
  const family = registry.family(name);

  it("parses every valid config, round-trips its echo, and runs small ones to finite metrics or reported failures", () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 1000 }), (raw, seed) => {
        counts.tried += 1;
        const config = family.parse(raw);
        counts.parsed += 1;
        roundTrip(family, config);
        if (seed / 1000 < runShare) {
          const result = runReplicate(family, config, seed, 0);
          for (const o of result.outcomes) {
            for (const v of Object.values(o.metrics)) expect(Number.isFinite(v)).toBe(true);
            if (!o.ok) expect(o.reason).toBeTruthy();
          }
          counts.ran += 1;
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it("rejects every hostile mutation with a ConfigError naming the mutated field, or parses it (and round-trips)", () => {
    fc.assert(
      fc.property(arb.chain((raw) => mutationArb(raw as never)), (mutation) => {
        counts.tried += 1;
        let config: unknown;
        try {
          config = family.parse(mutation.config);
        } catch (e) {
          if (!isConfigError(e)) throw e;
          expect(e.field).toBe(mutation.field);
          counts.rejected += 1;
          return;
        }
        counts.parsed += 1;
        expect(mutation.kind).toBe("value");
        roundTrip(family, config);
      }),
      { numRuns: RUNS * 2 },
    );
    // No key path reached a prototype.
    expect(({} as { sigma?: unknown }).sigma).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  }, TIMEOUT);
});

afterAll(() => {
  console.log(`config fuzzing: ${counts.tried} configs tried, ${counts.parsed} parsed, ${counts.rejected} rejected with a ConfigError on the mutated field, ${counts.ran} run`);
});
