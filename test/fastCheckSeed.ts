/**
 * Property tests run on a fixed fast-check seed, so the suite is reproducible run to run;
 * FC_SEED=<integer> npm test explores other random instances (a failure prints its seed and
 * counterexample).
 */
import fc from "fast-check";

const seed = Number(process.env.FC_SEED ?? 20211206);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED = ${process.env.FC_SEED}: must be an integer`);
fc.configureGlobal({ seed });
