/**
 * Registries: families by name, and within a family its estimators and any other named parts it
 * lets users extend (the mixture family's per-task rules). Generic code never imports a family;
 * it takes a Registry as an argument. `families/index.ts` builds the registry of the built-in
 * families, and plugins (runtime/plugins.ts) add to it.
 */
import { ConfigError } from "../core/config/parse.js";
import type { Estimator } from "./estimator.js";
import type { Family } from "./family.js";

/** Something registered by name. */
export interface Named {
  readonly name: string;
}

/** Names a registry accepts: letters, digits and - _ + . ( ), starting with a letter. */
const NAME = /^[A-Za-z][A-Za-z0-9_+.()-]*$/;

/**
 * A mutable map from names to items, in registration order. Lookups that fail are ConfigErrors
 * naming the field and the known names (a user typed the name).
 */
export class NamedRegistry<T extends Named> {
  /** What the items are, for messages ("estimator", "per-task rule"). */
  readonly kind: string;
  private readonly items = new Map<string, T>();

  constructor(kind: string, items: readonly T[] = []) {
    this.kind = kind;
    for (const item of items) this.register(item);
  }

  /**
   * Adds `item` under its name.
   * @throws RangeError when the name is taken (pass `replace: true` to override on purpose) or not a valid name.
   */
  register(item: T, options: { readonly replace?: boolean } = {}): void {
    if (typeof item?.name !== "string" || !NAME.test(item.name)) {
      throw new RangeError(`${this.kind} name ${JSON.stringify(item?.name)}: must start with a letter and use letters, digits, - _ + . ( )`);
    }
    if (this.items.has(item.name) && options.replace !== true) {
      throw new RangeError(`a ${this.kind} named "${item.name}" is already registered (pass { replace: true } to replace it)`);
    }
    this.items.set(item.name, item);
  }

  has(name: string): boolean {
    return this.items.has(name);
  }

  /** The item called `name`; a ConfigError on `field` listing the known names otherwise. */
  get(name: unknown, field: string): T {
    const item = typeof name === "string" ? this.items.get(name) : undefined;
    if (item === undefined) {
      throw new ConfigError(field, name, `must be one of ${this.names().map((n) => JSON.stringify(n)).join(", ")} (registered ${this.kind}s)`);
    }
    return item;
  }

  names(): string[] {
    return [...this.items.keys()];
  }

  values(): T[] {
    return [...this.items.values()];
  }
}

/** The families a run can use, and through them their estimators and extensions. */
export class Registry {
  readonly families = new NamedRegistry<Family>("family");

  constructor(families: readonly Family[] = []) {
    for (const f of families) this.registerFamily(f);
  }

  registerFamily(family: Family, options: { readonly replace?: boolean } = {}): void {
    this.families.register(family, options);
  }

  /** The family called `name`; a ConfigError on `field` (default "family") otherwise. */
  family(name: unknown, field = "family"): Family {
    return this.families.get(name, field);
  }

  /** Adds an estimator to family `familyName`'s estimators. */
  registerEstimator(familyName: string, estimator: Estimator, options: { readonly replace?: boolean } = {}): void {
    this.familyOrThrow(familyName).estimators.register(estimator, options);
  }

  /** Adds `item` to the extension registry `kind` of family `familyName` (e.g. "mixture", "perTaskRules"). */
  registerExtension(familyName: string, kind: string, item: Named, options: { readonly replace?: boolean } = {}): void {
    const family = this.familyOrThrow(familyName);
    const registry = family.extensions[kind];
    if (registry === undefined) {
      throw new RangeError(`family "${familyName}" has no extension registry "${kind}"; it has ${Object.keys(family.extensions).join(", ") || "none"}`);
    }
    registry.register(item, options);
  }

  private familyOrThrow(name: string): Family {
    if (!this.families.has(name)) throw new RangeError(`no family "${name}"; registered: ${this.families.names().join(", ")}`);
    return this.families.get(name, "family");
  }
}
