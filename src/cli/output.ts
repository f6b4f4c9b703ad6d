/** How commands end: one line on stderr for bad input (exit 2), a stack for internal errors (exit 1). */
import { isConfigError } from "../core/config/parse.js";

/** Prints an error the way the CLI reports it and returns the exit code. */
export function reportError(err: unknown): number {
  if (isConfigError(err)) {
    process.stderr.write(`advtransfer: invalid config: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CommandExit) {
    process.stderr.write(`advtransfer: ${err.message}\n`);
    return err.code;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`advtransfer: ${err.message}\n`);
    return 2;
  }
  if (isFileSystemError(err)) {
    process.stderr.write(`advtransfer: ${err.message.split("\n")[0]}\n`);
    return 2;
  }
  process.stderr.write(`advtransfer: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/**
 * A failed file-system call (Node's errors carry a code such as EACCES, ENOTDIR, ENOSPC and the
 * syscall): an unwritable or missing directory, a path that is a file, a full disk. These are
 * the user's environment, not bugs: one line, exit code 2.
 */
function isFileSystemError(err: unknown): err is Error & { code: string; syscall: string } {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; syscall?: unknown };
  return typeof e.code === "string" && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === "string";
}

/** A bad command line (unknown flag or command). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A command that ends early on purpose (e.g. interrupted by a signal) with its own exit code. */
export class CommandExit extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = "CommandExit";
    this.code = code;
  }
}
