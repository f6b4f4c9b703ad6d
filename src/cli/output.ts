/** How commands end: one line on stderr for bad input (exit 2), a stack for internal errors (exit 1). */
import { ConfigError } from "../model/parse.js";

/** Prints an error the way the CLI reports it and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`advtransfer: invalid config: ${err.message}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`advtransfer: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(`advtransfer: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** A bad command line (unknown flag or command). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
