import type { Logger } from 'pino';
import type { Clock } from './app/ports/clock.js';
import type { Services } from './app/services.js';
import type { ClusterWorker } from './cluster/worker-link.js';
import {
  type ComposeOptions,
  composeDeliveryChannels,
  composeServices,
  oidcSettingsFrom,
  openMigratedDatabase,
  outboxOptionsFrom,
} from './compose.js';
import type { Config } from './config/config.js';
import type { Database } from './db/connect.js';
import { listenForOutboxCommits } from './db/outbox-listener.js';
import { refreshPlannerStatistics } from './db/planner-statistics.js';
import { createLogger } from './http/logger.js';
import { buildHttpServer } from './http/server.js';
import { createOutboxDispatcher } from './workers/outbox-dispatcher.js';
import { startScheduler } from './workers/scheduler.js';

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Seeds the demo tenant once (what `npm start` runs). */
  readonly demo?: boolean;
  /** Called with what a person must read once: the URL and the credentials of the seeded accounts. */
  readonly announce?: (lines: string[]) => void;
  /** Tests only: a clock to move by hand. */
  readonly clock?: Clock;
  /** Tests only: `false` silences the log. */
  readonly log?: boolean;
  /** Lines announced after the database's (how many processes serve). */
  readonly notes?: readonly string[];
  /**
   * One worker of several (src/cluster): the primary has migrated and seeded, so this process does neither; it
   * runs the background jobs only when its role says so, and tells the other workers of its commits.
   */
  readonly worker?: ClusterWorker;
}

/** What compose needs from the configuration (the server's and the cluster primary's). */
function composeOptionsFrom(config: Config, options: StartOptions): ComposeOptions {
  return {
    tokenTtlSeconds: config.tokenTtlSeconds,
    stepUpMaxAgeSeconds: config.stepUpMaxAgeSeconds,
    oidc: oidcSettingsFrom(config),
    acrFallback: config.acrFallback,
    publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    webauthnRpId: config.webauthnRpId,
    secretsKey: config.secretsKey,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    tenantId: config.tenantId,
    outbox: outboxOptionsFrom(config),
    scimRatePerSecond: config.scimRatePerSecond,
    email: config.email,
    clock: options.clock,
    ...(options.worker ? { accessIndex: { afterCommit: options.worker.afterCommit } } : {}),
  };
}

/** The bootstrap administrator or the demo tenant, once; returns what a person must read (credentials). */
async function seed(services: Services, config: Config, demo: boolean | undefined): Promise<string[]> {
  const seeded = demo
    ? await services.setup.seedDemoTenant(config.demoPassword)
    : await services.setup.bootstrap();
  const demoScim =
    demo && config.demoScim ? await services.provisioning.linkDemoApplication(config.demoScim) : [];
  return seeded.lines.concat(demoScim);
}

/**
 * The cluster primary's part of start-up (src/cluster): migrate, seed and end what expired while the server was
 * down (invariant 6, before any worker serves), once, then close — without loading the access index, which
 * only the workers hold. Returns what a person must read (credentials).
 */
export async function prepareDatabase(
  config: Config,
  options: Pick<StartOptions, 'demo'> & { readonly logger: Logger },
): Promise<string[]> {
  const database = await openMigratedDatabase(config);
  try {
    const services = await composeServices(database, {
      ...composeOptionsFrom(config, {}),
      accessIndex: { load: false },
    });
    const welcome = await seed(services, config, options.demo);
    const reconciled = await services.scheduler.tick();
    if (reconciled.total > 0)
      options.logger.info({ reconciled }, 'ended what expired while the server was down');
    return welcome;
  } finally {
    await database.close();
  }
}

/** The lines announced once the server listens: where it is, on which database, `notes`, then `welcome`. */
export function listeningLines(
  url: string,
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  welcome: readonly string[],
  notes: readonly string[] = [],
): string[] {
  return [
    `Elevate is listening on ${url}`,
    `  Graph API: ${url}/v1.0   OpenAPI: ${url}/openapi.json   Health: ${url}/healthz`,
    `  Database: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`}`,
    ...notes,
    ...welcome,
  ];
}

/** compose → end what expired while the server was down → open HTTP → start the scheduler. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(options.log === false ? 'silent' : config.logLevel);
  const database = await openMigratedDatabase(config);
  try {
    return await serveOn(database, config, options, logger);
  } catch (error) {
    // A start that fails (a port taken, a bad setting) must not leave the process held open by the database.
    await database.close();
    throw error;
  }
}

async function serveOn(
  database: Database,
  config: Config,
  options: StartOptions,
  logger: Logger,
): Promise<RunningServer> {
  const services = await composeServices(database, composeOptionsFrom(config, options));
  await options.worker?.attach(services.accessIndex);
  // In a cluster the primary seeded before forking the workers.
  const welcome = options.worker ? [] : await seed(services, config, options.demo);

  // Invariant 6: whatever passed its end while the server was down is ended before anyone is served (in a
  // cluster the primary did it before forking; the background worker's pass finds nothing left).
  if (options.worker?.background ?? true) {
    const reconciled = await services.scheduler.tick();
    if (reconciled.total > 0) logger.info({ reconciled }, 'ended what expired while the server was down');
    await services.notifications.runDue();
  }

  const app = await buildHttpServer({ services, logger, publicUrl: config.publicUrl });
  try {
    return await listenAndRun(app, services, database, config, logger, welcome, options);
  } catch (error) {
    await app.close();
    throw error;
  }
}

async function listenAndRun(
  app: Awaited<ReturnType<typeof buildHttpServer>>,
  services: Services,
  database: Database,
  config: Config,
  logger: Logger,
  welcome: readonly string[],
  options: StartOptions,
): Promise<RunningServer> {
  const announce = options.announce ?? ((lines) => logger.info(lines.join('\n')));
  const worker = options.worker;
  if (worker) {
    // Which worker answered, on every response: tests and operators can tell them apart.
    const id = String(worker.id);
    app.server.prependListener('request', (_request, response) => response.setHeader('x-elevate-worker', id));
  }
  const address = await app.listen({ host: config.host, port: config.port });
  const url = config.publicUrl ?? address;
  const jobs =
    (worker?.background ?? true) ? await startBackgroundJobs(services, database, config, logger) : undefined;

  if (worker) worker.listening(url);
  else announce(listeningLines(url, config, welcome, options.notes));

  return {
    url,
    services,
    async stop() {
      await jobs?.stop();
      await app.close();
      await database.close();
    },
  };
}

/** How often embedded PGlite's planner statistics are refreshed (PostgreSQL's autovacuum does its own). */
const plannerStatisticsIntervalMs = 6 * 3_600_000;

/**
 * The scheduler (with reminders after each tick), the outbox dispatcher and, on PGlite, the refresh of the
 * planner's statistics: one process of a cluster runs them.
 */
async function startBackgroundJobs(
  services: Services,
  database: Database,
  config: Config,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const scheduler = startScheduler({
    tick: () => services.scheduler.tick(),
    afterTick: () => services.notifications.runDue(),
    intervalMs: config.schedulerIntervalSeconds * 1000,
    onError: (error) => logger.error({ err: error }, 'scheduler tick failed'),
  });
  // The outbox: woken by every publishing commit (LISTEN), polled for retries; pending work from before a
  // restart goes out at once.
  const dispatcher = createOutboxDispatcher({
    outbox: services.outbox,
    channels: composeDeliveryChannels(services),
    pollIntervalMs: config.outbox.pollIntervalSeconds * 1000,
    leaseMs: Math.max(60_000, config.outbox.webhookTimeoutSeconds * 3000),
    onError: (error) => logger.error({ err: error }, 'outbox dispatch failed'),
    onAttempt: (d, outcome) => {
      if (outcome && outcome.kind !== 'delivered')
        logger.warn(
          { delivery: d.id, event: d.eventId, channel: d.channel, attempt: d.attempt, outcome: outcome.kind },
          `outbox delivery failed: ${outcome.error}`,
        );
    },
  });
  const unlisten = await listenForOutboxCommits(database, config.databaseUrl, () => dispatcher.wake());
  dispatcher.start();
  // PostgreSQL's autovacuum keeps the planner's statistics current; embedded PGlite has none.
  const statistics =
    database.dialect === 'pglite'
      ? startScheduler({
          tick: () => refreshPlannerStatistics(database.db),
          intervalMs: plannerStatisticsIntervalMs,
          onError: (error) => logger.error({ err: error }, "refreshing the planner's statistics failed"),
        })
      : undefined;
  return {
    async stop() {
      await statistics?.stop();
      await unlisten();
      await dispatcher.stop();
      await scheduler.stop();
    },
  };
}
