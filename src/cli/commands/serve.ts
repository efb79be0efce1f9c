import cluster from 'node:cluster';
import type { Command } from 'commander';
import { runClusterPrimary, runClusterWorker, workerCount } from '../../cluster/serve-cluster.js';
import { type Config, loadConfig } from '../../config/config.js';
import { startServer } from '../../main.js';
import { CliError } from '../cli-error.js';

interface ServeOptions {
  demo?: boolean;
  port?: string;
  host?: string;
  workers?: string;
}

/** The configuration with the command's overrides; a bad value is one line naming the variable. */
function serveConfig(opts: ServeOptions): Config {
  try {
    return loadConfig({
      ...process.env,
      ...(opts.port ? { ELEVATE_PORT: opts.port } : {}),
      ...(opts.host ? { ELEVATE_HOST: opts.host } : {}),
      ...(opts.workers ? { ELEVATE_WORKERS: opts.workers } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
  }
}

/** Resolves on SIGINT or SIGTERM (or `also`). */
function stopSignal(also?: Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    void also?.then(resolve);
  });
}

/** `elevate serve [--demo] [--workers N|auto]`: runs the server until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the server (embedded PGlite unless ELEVATE_DATABASE_URL is set)')
    .option('--demo', 'seed the demo tenant once (Adam, Steve, Stan, Grace, Pat, two emergency accounts)')
    .option('--port <port>', 'port (overrides ELEVATE_PORT)')
    .option('--host <host>', 'address (overrides ELEVATE_HOST)')
    .option(
      '--workers <n>',
      'server processes sharing the port, a number or auto (overrides ELEVATE_WORKERS; PostgreSQL only)',
    )
    .action(async (opts: ServeOptions) => {
      const config = serveConfig(opts);
      const announce = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
      if (cluster.isWorker) {
        // Forked by the primary below with the same command line: serve until the primary (or a signal) says stop.
        const { server, link } = await runClusterWorker(config);
        await stopSignal(link.stopRequested);
        await server.stop();
        link.leave();
        return;
      }
      const { count, note } = workerCount(config);
      if (count > 1) {
        const primary = await runClusterPrimary(config, { workers: count, demo: opts.demo, announce });
        await stopSignal();
        process.stdout.write('Stopping…\n');
        await primary.stop();
        return;
      }
      const server = await startServer(config, { demo: opts.demo, announce, notes: note ? [note] : [] });
      await stopSignal();
      process.stdout.write('Stopping…\n');
      await server.stop();
    });
}
