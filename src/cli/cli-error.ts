/**
 * The exit codes of `elevate`: 0 done, 1 refused by the server or a rule, 2 bad usage, 3 not signed in or no
 * server, 4 `access check` answered DENY.
 */
export const exitCodes = {
  failure: 1,
  usage: 2,
  signedOut: 3,
  denied: 4,
} as const;

/** An error the CLI reports as one line with a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called (exit 2). */
export const usageError = (message: string): CliError => new CliError(message, exitCodes.usage);

/** No usable credentials or no server to talk to (exit 3). */
export const signedOutError = (message: string): CliError => new CliError(message, exitCodes.signedOut);
