import { Command, CommanderError } from 'commander';
import { isApiError } from '../contracts/api-error.js';
import { CliError, exitCodes } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { registerCommands } from './commands/index.js';

/** The `elevate` program: global options, every sub-command, output and errors routed through `io`. */
function buildProgram(io: CliIo): Command {
  const program = new Command('elevate')
    .description('Elevate — self-hosted Privileged Identity Management')
    .option('--json', 'print JSON (ISO 8601 times) instead of human-readable text')
    .option(
      '--server <url>',
      'server URL (default: ELEVATE_SERVER, the signed-in server, or http://127.0.0.1:8080)',
    )
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) =>
        write(`elevate: ${s.replace(/^error: /, '').trimEnd()} (add --help for usage)\n`),
    })
    .exitOverride();
  registerCommands(program, io);
  return program;
}

/**
 * Runs `elevate` with `argv` (the arguments after the command name) and returns the exit code: 0 done,
 * 1 refused by the server or a rule, 2 bad usage, 3 not signed in or no server, 4 `access check` denied.
 * Errors are one line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : exitCodes.usage;
    const { message, exitCode } = describeFailure(error);
    // An empty message means the command already reported (e.g. a broken audit chain).
    if (message !== '') io.stderr.write(`elevate: ${message.split('\n')[0]}\n`);
    return exitCode;
  }
}

function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (isApiError(error)) {
    if (error.status === 0) return { message: error.message, exitCode: exitCodes.signedOut };
    if (error.status === 401) {
      return {
        message: `${error.message.replace(/\.?$/, '.')} Sign in again with 'elevate login'.`,
        exitCode: exitCodes.signedOut,
      };
    }
    return { message: error.message, exitCode: exitCodes.failure };
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: exitCodes.failure };
}
