import { availableParallelism } from 'node:os';
import type { Config } from '../config/config.js';
import { createLogger } from '../http/logger.js';
import { listeningLines, prepareDatabase, type RunningServer, startServer } from '../main.js';
import { type ClusterPrimary, startClusterPrimary } from './cluster-primary.js';
import { type ClusterWorker, joinCluster } from './worker-link.js';

/**
 * How many server processes ELEVATE_WORKERS asks for: `auto` is one per core on PostgreSQL and 1 on the
 * embedded database, which lives in one process (an explicit number above 1 there is refused by loadConfig).
 */
export function workerCount(config: Pick<Config, 'workers' | 'databaseUrl'>): {
  count: number;
  note?: string;
} {
  if (config.workers !== 'auto') return { count: config.workers };
  if (!config.databaseUrl)
    return {
      count: 1,
      note: '  Workers: 1 (ELEVATE_WORKERS=auto; the embedded database lives in one process)',
    };
  return { count: availableParallelism() };
}

/**
 * The primary of `workers` server processes: migrates, seeds and reconciles once, forks the workers, and
 * announces the URL once they all listen. Rejects (after stopping the others) if a worker dies starting.
 */
export async function runClusterPrimary(
  config: Config,
  options: { workers: number; demo?: boolean; announce: (lines: string[]) => void },
): Promise<ClusterPrimary> {
  const logger = createLogger(config.logLevel);
  const welcome = await prepareDatabase(config, { demo: options.demo, logger });
  const primary = startClusterPrimary({
    workers: options.workers,
    logger,
    onListening: (url) =>
      options.announce(
        listeningLines(url, config, welcome, [
          `  Workers: ${options.workers} processes (node:cluster), each with its own access index; primary pid ${process.pid}`,
        ]),
      ),
  });
  try {
    await primary.started;
  } catch (error) {
    await primary.stop();
    throw error;
  }
  return primary;
}

/** One worker of the cluster: joins the primary (which assigns its role), then runs the server. */
export async function runClusterWorker(
  config: Config,
): Promise<{ server: RunningServer; link: ClusterWorker }> {
  const logger = createLogger(config.logLevel);
  const link = await joinCluster((error) => logger.warn({ err: error }, error.message));
  try {
    return { server: await startServer(config, { worker: link }), link };
  } catch (error) {
    // Without its channel to the primary the process can end, and the primary sees it exit.
    link.leave();
    throw error;
  }
}
