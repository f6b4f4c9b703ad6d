import { parseRunConfig } from "./dist/src/experiment/config.js";
import { runReplicates } from "./dist/src/experiment/run.js";
import { Rng } from "./dist/src/random/rng.js";
import seedrandom from "seedrandom";
const a = new Rng("k"), b = seedrandom.alea("k"); let same = true; for (let i=0;i<1000;i++) if (a.int32() !== b.int32()) same=false; console.log("same as seedrandom", same);
const eps=0.25;
for (const sampler of ["sample","exact"]) {
const R = sampler==="sample"?8:200;
const run = parseRunConfig({ replicates: R, seed: 1, sampler, methods: [
    { label: "standard" }, { label: "linf", attack: "linf", eps }, { label: "l2", attack: "l2", eps },
    { label: "ssl", ssl: { m: 1000 } }, { label: "ssl+linf", attack: "linf", eps, ssl: { m: 1000 } }] });
const t0 = performance.now(); runReplicates(run); console.log(sampler, "s/rep", (performance.now()-t0)/R/1000);
}
