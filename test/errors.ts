/** The error a call throws, checked to be of the expected class (the tests then read its field and message). */
import { ConfigError } from "../src/core/config/parse.js";

/** The error of class `kind` that `f` throws; fails the test when it throws nothing or something else. */
export function thrownBy<E extends Error>(f: () => unknown, kind: abstract new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    if (e instanceof kind) return e;
    throw e;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** The ConfigError `f` throws. */
export function configErrorOf(f: () => unknown): ConfigError {
  return thrownBy(f, ConfigError);
}
