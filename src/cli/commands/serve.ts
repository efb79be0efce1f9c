import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { startServer } from '../../main.js';

/** `elevate serve [--demo]`: runs the server until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the server (embedded PGlite unless ELEVATE_DATABASE_URL is set)')
    .option('--demo', 'seed the demo tenant once (Adam, Steve, Stan, Grace, Pat, two emergency accounts)')
    .option('--port <port>', 'port (overrides ELEVATE_PORT)')
    .option('--host <host>', 'address (overrides ELEVATE_HOST)')
    .action(async (opts: { demo?: boolean; port?: string; host?: string }) => {
      const config = loadConfig({
        ...process.env,
        ...(opts.port ? { ELEVATE_PORT: opts.port } : {}),
        ...(opts.host ? { ELEVATE_HOST: opts.host } : {}),
      });
      const server = await startServer(config, {
        demo: opts.demo,
        announce: (lines) => process.stdout.write(`${lines.join('\n')}\n`),
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('Stopping…\n');
      await server.stop();
    });
}
