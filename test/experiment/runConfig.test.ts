import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/config/parse.js";
import { echoRun, parseRunConfig as parseWith } from "../../src/experiment/runConfig.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import type { MixtureConfig } from "../../src/families/mixture/config.js";
import { demoConfig } from "../../src/families/mixture/demo.js";
import type { PseudoLabelParams } from "../../src/families/mixture/estimators/pseudoLabel.js";

const registry = createDefaultRegistry();
const parseRunConfig = (raw: unknown) => parseWith(raw, registry);

describe("parseRunConfig", () => {
  it.each([
    [{ replicates: 0 }, "replicates"],
    [{ seed: -1 }, "seed"],
    [{ family: "deep" }, "family"],
    [{ methods: [{ attack: "linf" }] }, "methods[0].eps"],
    [{ methods: [{ eps: 0.1 }] }, "methods[0].eps"],
    [{ methods: [{ label: "a" }, { label: "a" }] }, "methods[1].label"],
    [{ methods: [{ ssl: {} }] }, "methods[0].ssl.m"],
    [{ methods: [{ ssl: { m: 10, rounds: 2 } }] }, "methods[0].ssl.rounds"],
    [{ methods: [{ ssl: { m: 10, eps: 0.1 } }] }, "methods[0].ssl.eps"],
    [{ methods: [{ ssl: { m: 10, teacher: 1 } }] }, "methods[0].ssl.teacher"],
    [{ methods: [] }, "methods"],
    [{ sampler: "fast" }, "sampler"],
    [{ evaluation: { eps: -0.1 } }, "evaluation.eps"],
    [{ bogus: 1 }, "bogus"],
  ])("rejects %j naming %s", (raw, field) => {
    let caught: unknown;
    try {
      parseRunConfig(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe(field);
  });

  it("echoes the run with every default filled in, and the echo parses back to the same run", () => {
    const run = parseRunConfig({ scenario: { d: 60, s: 8, r: 2, T: 6, m: 50 }, methods: [{ label: "a", ssl: {} }], seed: 4 });
    const echo = echoRun(run);
    expect(echo).toMatchObject({ family: "mixture", replicates: 100, seed: 4 });
    expect(parseRunConfig(JSON.parse(JSON.stringify(echo)))).toEqual(run);
  });

  it("defaults the student's radius to eps sqrt(n / (n + weight m)) (MODEL §3.3)", () => {
    const run = parseRunConfig(demoConfig());
    const method = (run.config as MixtureConfig).methods.find((m) => m.label === "ssl+linf");
    expect((method?.params as PseudoLabelParams).student.params.eps).toBeCloseTo(0.3 * Math.sqrt(40 / 1040), 15);
  });
});
