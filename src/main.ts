import type { Clock } from './app/ports/clock.js';
import type { Services } from './app/services.js';
import {
  composeDeliveryChannels,
  composeServices,
  oidcSettingsFrom,
  openMigratedDatabase,
  outboxOptionsFrom,
} from './compose.js';
import type { Config } from './config/config.js';
import type { Database } from './db/connect.js';
import { listenForOutboxCommits } from './db/outbox-listener.js';
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
  logger: ReturnType<typeof createLogger>,
): Promise<RunningServer> {
  const services = await composeServices(database, {
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
  });
  const seeded = options.demo
    ? await services.setup.seedDemoTenant(config.demoPassword)
    : await services.setup.bootstrap();
  const demoScim =
    options.demo && config.demoScim ? await services.provisioning.linkDemoApplication(config.demoScim) : [];

  // Invariant 6: whatever passed its end while the server was down is ended before anyone is served.
  const reconciled = await services.scheduler.tick();
  if (reconciled.total > 0) logger.info({ reconciled }, 'ended what expired while the server was down');
  await services.notifications.runDue();

  const app = await buildHttpServer({ services, logger, publicUrl: config.publicUrl });
  try {
    return await listenAndRun(
      app,
      services,
      database,
      config,
      logger,
      seeded.lines.concat(demoScim),
      options,
    );
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
  logger: ReturnType<typeof createLogger>,
  welcome: readonly string[],
  options: StartOptions,
): Promise<RunningServer> {
  const announce = options.announce ?? ((lines) => logger.info(lines.join('\n')));
  const address = await app.listen({ host: config.host, port: config.port });
  const url = config.publicUrl ?? address;
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

  announce([
    `Elevate is listening on ${url}`,
    `  Graph API: ${url}/v1.0   OpenAPI: ${url}/openapi.json   Health: ${url}/healthz`,
    `  Database: ${database.dialect === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
    ...welcome,
  ]);

  return {
    url,
    services,
    async stop() {
      await unlisten();
      await dispatcher.stop();
      await scheduler.stop();
      await app.close();
      await database.close();
    },
  };
}
