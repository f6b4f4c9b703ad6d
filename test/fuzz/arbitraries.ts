/**
 * fast-check arbitraries of whole configs, per family: valid configs near the edges of their
 * ranges, and hostile mutations of them (a value replaced by one no field accepts, an unknown or
 * reserved key added). The in-suite properties (configs.test.ts) and `npm run fuzz` use them.
 */
import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A valid mixture method (MODEL §3): standard, l2, l-inf, hard threshold, pseudo-labelling, joint ERM. */
export function mixtureMethodArb(d: number, m: number): fc.Arbitrary<{ [key: string]: Json }> {
  const eps = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true }), fc.constant(1e6));
  const ssl = fc.record({ m: fc.integer({ min: 1, max: 40 }), weight: fc.oneof(fc.constant(1), fc.double({ min: 1e-3, max: 10, noNaN: true })) }, { requiredKeys: [] });
  const withSsl = (base: fc.Arbitrary<{ [key: string]: Json }>) =>
    fc.tuple(base, fc.option(ssl, { nil: undefined })).map(([b, s]) => (s === undefined || (m === 0 && s.m === undefined) ? b : { ...b, ssl: s }));
  const columns = fc.constantFrom("normalised", "unnormalised");
  return fc.oneof(
    withSsl(fc.record({ columns }, { requiredKeys: [] })),
    withSsl(fc.record({ attack: fc.constantFrom("l2", "linf"), eps, columns }, { requiredKeys: ["attack", "eps"] })),
    withSsl(fc.oneof(fc.record({ rule: fc.constant("hard-threshold"), k: fc.integer({ min: 1, max: d }) }), fc.record({ rule: fc.constant("hard-threshold"), level: eps }))),
    fc.constant({ estimator: "joint-erm" }),
  );
}

/** A valid mixture config with 1-4 methods, small enough to run a replicate in milliseconds. */
export const mixtureConfigArb: fc.Arbitrary<{ [key: string]: Json }> = fc
  .integer({ min: 1, max: 30 })
  .chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 1, max: d })))
  .chain(([d, s]) => fc.tuple(fc.constant(d), fc.constant(s), fc.integer({ min: 1, max: Math.min(s, 5) })))
  .chain(([d, s, r]) =>
    fc.record({
      scenario: fc.record(
        {
          d: fc.constant(d),
          s: fc.constant(s),
          r: fc.constant(r),
          T: fc.integer({ min: r, max: r + 6 }),
          n: fc.integer({ min: 1, max: 30 }),
          m: fc.integer({ min: 0, max: 30 }),
          n0: fc.integer({ min: 1, max: 20 }),
          sigma: fc.oneof(fc.constant(1e-100), fc.constant(1e100), fc.double({ min: 0.01, max: 10, noNaN: true })),
          snr: fc.oneof(fc.constant(1e-100), fc.constant(1e100), fc.double({ min: 0.01, max: 10, noNaN: true })),
          target: fc.constantFrom("random", "weakest"),
          diversity: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: r, maxLength: r }),
        },
        { requiredKeys: ["d", "s", "r"] },
      ),
      sampler: fc.constantFrom("exact", "sample"),
      evaluation: fc.record({ eps: fc.double({ min: 0, max: 2, noNaN: true }), bounds: fc.record({ t: fc.double({ min: 0, max: 4, noNaN: true }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    }, { requiredKeys: ["scenario"] }).chain((c) => {
      const m = (c.scenario as { m?: number }).m ?? 0;
      return fc.array(mixtureMethodArb(d, m), { minLength: 1, maxLength: 4 }).map((methods) => ({ ...c, methods: methods.map((x, i) => ({ label: `m${i}`, ...x })) }));
    }),
  );

/** A valid two-layer config: tiny networks, few steps. */
export const twoLayerConfigArb: fc.Arbitrary<{ [key: string]: Json }> = fc
  .integer({ min: 2, max: 12 })
  .chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 1, max: d })))
  .chain(([d, s]) =>
    fc.record({
      scenario: fc.record({
        d: fc.constant(d),
        s: fc.constant(s),
        r: fc.integer({ min: 1, max: Math.min(s, 3) }),
        T: fc.integer({ min: 1, max: 4 }),
        n: fc.integer({ min: 1, max: 12 }),
        m: fc.integer({ min: 1, max: 12 }),
        n0: fc.constant(4),
        activation: fc.constantFrom("relu", "tanh", "quadratic", "identity"),
        labels: fc.constantFrom("regression", "classification"),
      }),
      training: fc.record({ steps: fc.integer({ min: 0, max: 5 }), optimiser: fc.constantFrom("adam", "gd") }),
      evaluation: fc.record({ testSize: fc.integer({ min: 2, max: 30 }), steps: fc.integer({ min: 1, max: 2 }) }),
      methods: fc.array(fc.constantFrom("standard", "linf", "l2", "ssl", "ssl+linf", "fgsm-l2"), { minLength: 1, maxLength: 3 }).map((ms) => [...new Set(ms)]),
    }),
  );

/** Every path to a value in a JSON object, as ConfigError fields write them: "scenario.d", "methods[0].eps". */
export function leafPaths(value: Json, prefix = ""): { path: string; keys: (string | number)[] }[] {
  const out: { path: string; keys: (string | number)[] }[] = [];
  const walk = (v: Json, path: string, keys: (string | number)[]) => {
    if (path !== "") out.push({ path, keys });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, [...keys, i]));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, path === "" ? k : `${path}.${k}`, [...keys, k]);
  };
  walk(value, prefix, []);
  return out;
}

/**
 * Values the field at a path cannot accept, by the kind of value it holds: null is never a value;
 * an object field takes no array or string, an array field no object or string, a string field no
 * array or number (a string may also stand for an object, as the two-layer method shorthands do,
 * so no object), a number or boolean field no object, array or text.
 */
export function hostileValues(current: Json): Json[] {
  if (isObject(current)) return [null, [], "not an object"];
  if (Array.isArray(current)) return [null, {}, "not an array"];
  if (typeof current === "string") return [null, [], 12345];
  return [null, {}, [], "not a number"];
}

/** A mutation: the path it touched (the field an error must name) and the mutated config. */
export interface Mutation {
  readonly field: string;
  readonly config: { [key: string]: Json };
  readonly kind: "value" | "unknown key" | "reserved key";
}

/** Mutations of a valid config: one value replaced by a hostile one, or an unknown or reserved key added to an object. */
export function mutationArb(config: { [key: string]: Json }): fc.Arbitrary<Mutation> {
  const paths = leafPaths(config);
  const objects = [{ path: "", keys: [] as (string | number)[] }, ...paths.filter((p) => isObject(get(config, p.keys)))];
  const replace = fc
    .constantFrom(...paths)
    .chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(...hostileValues(get(config, p.keys)))))
    .map(([p, v]): Mutation => ({ field: p.path, config: set(config, p.keys, v), kind: "value" }));
  const addKey = fc.tuple(fc.constantFrom(...objects), fc.constantFrom("zzUnknown", "__proto__", "constructor")).map(([p, key]): Mutation => {
    const copy = structuredClone(config);
    const target = p.keys.length === 0 ? copy : (get(copy, p.keys) as { [key: string]: Json });
    Object.defineProperty(target, key, { value: { sigma: 3 }, enumerable: true, configurable: true, writable: true });
    return { field: p.path === "" ? key : `${p.path}.${key}`, config: copy, kind: key === "zzUnknown" ? "unknown key" : "reserved key" };
  });
  return fc.oneof(replace, addKey);
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function get(v: Json, keys: readonly (string | number)[]): Json {
  let cur: Json = v;
  for (const k of keys) cur = (cur as { [key: string]: Json })[k as string];
  return cur;
}

function set(config: { [key: string]: Json }, keys: readonly (string | number)[], value: Json): { [key: string]: Json } {
  const copy = structuredClone(config);
  let cur: Json = copy;
  for (const k of keys.slice(0, -1)) cur = (cur as { [key: string]: Json })[k as string];
  (cur as { [key: string]: Json })[keys[keys.length - 1] as string] = value;
  return copy;
}
