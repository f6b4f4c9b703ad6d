// Run by test/deno/deno.test.ts as `deno run test/deno/probe.mjs` (no flags): the library as a
// Deno user in a clone imports it, and the cross-runtime probe's results as JSON on stdout.
import * as lib from "advtransfer";
import { probe } from "../fixtures/crossRuntimeProbe.mjs";

console.log(JSON.stringify(await probe(lib)));
