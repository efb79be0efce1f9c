import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { registerCommands } from './commands/index.js';

/** `elevate`: the server and an API client in one command. Human output by default, `--json` for scripts. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('elevate')
    .description('Elevate — self-hosted Privileged Identity Management')
    .option('--json', 'print JSON instead of human-readable text')
    .option(
      '--server <url>',
      'server URL (default: ELEVATE_SERVER, the logged-in server, or http://127.0.0.1:8080)',
    )
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = error instanceof CliError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`elevate: ${message.split('\n')[0]}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

process.exitCode = await main(process.argv);
