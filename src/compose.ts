import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { createAccessService } from './app/access/access-service.js';
import { type WireAccessIndexOptions, wireAccessIndex } from './app/access/wire-access-index.js';
import { createAuditQueryService } from './app/audit/audit-query-service.js';
import { type AuditWriter, createAuditWriter } from './app/audit/audit-writer.js';
import { createAuthService } from './app/auth/auth-service.js';
import { createIdentityLinkService } from './app/auth/identity-links.js';
import { createMfaService } from './app/auth/mfa-service.js';
import { createOidcService, type OidcSettings } from './app/auth/oidc-service.js';
import { createPasskeyService } from './app/auth/passkey-service.js';
import { createPersonalAccessTokenService } from './app/auth/personal-access-token-service.js';
import { createPortalSessionService } from './app/auth/portal-sessions.js';
import { createSecretBox } from './app/auth/secret-box.js';
import { createStepUpService } from './app/auth/step-up-service.js';
import { relyingPartyFrom } from './app/auth/webauthn.js';
import type { AppDeps } from './app/context.js';
import { createAdministrativeUnitService } from './app/directory/administrative-unit-service.js';
import { createGroupService } from './app/directory/group-service.js';
import { createRoleDefinitionService } from './app/directory/role-definition-service.js';
import { createServicePrincipalService } from './app/directory/service-principal-service.js';
import { createUserService } from './app/directory/user-service.js';
import { createAnnouncer } from './app/events/announcer.js';
import { createEmailPlanner, type EmailPlannerDeps } from './app/notifications/email-planner.js';
import { createNotificationService } from './app/notifications/notification-service.js';
import type { DeliveryChannel, DeliveryPlanner } from './app/outbox/delivery-ports.js';
import { createEventPublisher, type EventPublisher } from './app/outbox/event-publisher.js';
import { createOutboxService } from './app/outbox/outbox-service.js';
import { createPolicyService } from './app/policies/policy-service.js';
import type { Clock } from './app/ports/clock.js';
import type { IdGenerator } from './app/ports/ids.js';
import { createProvisioningService } from './app/provisioning/provisioning-service.js';
import { createScimPlanner } from './app/provisioning/scim-planner.js';
import { createAdminReportService } from './app/reports/admin-report-service.js';
import { createBulkAssignmentService } from './app/reports/bulk-assignment-service.js';
import { createApprovalService } from './app/requests/approval-service.js';
import { createRequestListService } from './app/requests/request-list-service.js';
import { createScheduleRequestService } from './app/requests/schedule-request-service.js';
import { createScheduleService } from './app/requests/schedule-service.js';
import { createResourceServices } from './app/resources/resource-services.js';
import { createSchedulerService } from './app/schedules/scheduler-service.js';
import type { Services } from './app/services.js';
import { createSetupService } from './app/setup/setup-service.js';
import { createLookupService } from './app/shared/lookup-service.js';
import { loadTenantSettings } from './app/tenant/tenant-settings.js';
import { webhookPlanner } from './app/webhooks/webhook-planner.js';
import { createWebhookService } from './app/webhooks/webhook-service.js';
import type { Config } from './config/config.js';
import { createOpenIdClientProvider } from './connectors/oidc/openid-client-provider.js';
import { createScimProvisioner } from './connectors/scim/scim-provisioner.js';
import { createSmtpChannel, type EmailSettings } from './connectors/smtp/smtp-channel.js';
import { createWebhookAddressGuard } from './connectors/webhook/address-guard.js';
import { newWebhookSecret } from './connectors/webhook/standard-webhooks.js';
import { createWebhookChannel } from './connectors/webhook/webhook-channel.js';
import type { RetryPolicy } from './core/outbox/retry-schedule.js';
import type { AcrFallback } from './core/requests/decision.js';
import { type Database, openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';

/** The system clock: the only place Elevate reads the real time. */
export const systemClock: Clock = { now: () => new Date() };

/** UUID v7 ids: the only place Elevate makes random ids for rows. */
export const uuidV7Ids: IdGenerator = { newId: () => uuidv7() };

export interface ComposeOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly tokenTtlSeconds?: number;
  /** ELEVATE_STEP_UP_MAX_AGE: how old a step-up (or, for admin rules, an MFA sign-in) may be; 300 s. */
  readonly stepUpMaxAgeSeconds?: number;
  readonly issuer?: string;
  readonly tenantId?: string;
  /** OIDC single sign-on (ELEVATE_OIDC_*); none by default. */
  readonly oidc?: OidcSettings;
  /** ELEVATE_OIDC_ACR_FALLBACK: `mfa` by default. */
  readonly acrFallback?: AcrFallback;
  /** ELEVATE_PUBLIC_URL (else http://HOST:PORT): the portal's origin, for passkeys; http://localhost by default. */
  readonly publicUrl?: string;
  /** ELEVATE_SECRETS_KEY: when set, new sealed secrets use a key derived from it, not the tenant key. */
  readonly secretsKey?: string;
  /** ELEVATE_WEBAUTHN_RP_ID: the passkeys' RP id; the public URL's host by default. */
  readonly webauthnRpId?: string;
  /** ELEVATE_SESSION_IDLE_MINUTES and ELEVATE_SESSION_MAX_HOURS: portal session timeouts (30 min, 12 h). */
  readonly sessionIdleMinutes?: number;
  readonly sessionMaxHours?: number;
  /** The outbox's retry policy (ELEVATE_OUTBOX_*) and jitter source; defaults in `defaultRetryPolicy`. */
  readonly outbox?: {
    readonly retry?: RetryPolicy;
    readonly random?: () => number;
    /** ELEVATE_WEBHOOK_ALLOWED_NETWORKS: private addresses webhooks may call anyway (none by default). */
    readonly webhookAllowedNetworks?: readonly string[];
    /** ELEVATE_WEBHOOK_TIMEOUT in milliseconds (10 s by default). */
    readonly webhookTimeoutMs?: number;
  };
  /** ELEVATE_SCIM_RATE_PER_SECOND: requests per second to one SCIM application (10 by default). */
  readonly scimRatePerSecond?: number;
  /** ELEVATE_SMTP_URL and ELEVATE_MAIL_FROM: e-mail notifications are planned and sent only when set. */
  readonly email?: EmailSettings;
  /** The access index's commit hook and load (app/access/wire-access-index.ts): a cluster worker's, a seeder's. */
  readonly accessIndex?: WireAccessIndexOptions;
}

/** Outbox retries: 12 attempts, 5 s doubling up to an hour (about 4.5 hours in all before a delivery is dead). */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000 };

/** The outbox's options from ELEVATE_OUTBOX_* and ELEVATE_WEBHOOK_*. */
export function outboxOptionsFrom(config: Pick<Config, 'outbox'>): NonNullable<ComposeOptions['outbox']> {
  const o = config.outbox;
  return {
    retry: {
      maxAttempts: o.maxAttempts,
      baseDelayMs: o.retryBaseSeconds * 1000,
      maxDelayMs: o.retryMaxSeconds * 1000,
    },
    webhookAllowedNetworks: o.webhookAllowedNetworks,
    webhookTimeoutMs: o.webhookTimeoutSeconds * 1000,
  };
}

/**
 * The outbox's planners, one per channel: each runs in the transaction of every change that publishes events
 * and decides that channel's deliveries. Email and outbound SCIM add theirs to this list.
 */
function deliveryPlanners(email?: EmailPlannerDeps): DeliveryPlanner[] {
  return [webhookPlanner, createScimPlanner(), ...(email ? [createEmailPlanner(email)] : [])];
}

/**
 * The outbox's channels, one per planner's `channel`: the dispatcher (workers/outbox-dispatcher.ts) hands each
 * claimed delivery to the channel of its name. Email and outbound SCIM add theirs to this list.
 */
export function composeDeliveryChannels(services: Services): DeliveryChannel[] {
  return [services.webhooks.channel, services.provisioning.channel, ...services.notifications.channels];
}

/**
 * Webhook subscriptions and their channel: URLs checked by one address guard (at registration and at every
 * delivery), secrets sealed under the `webhook-secret` purpose key, timestamps from the injected clock.
 */
function wireWebhooks(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
    audit: AuditWriter;
    sealing: Parameters<typeof createSecretBox>[0];
    outbox: ComposeOptions['outbox'];
  },
) {
  const guard = createWebhookAddressGuard({ allowedNetworks: deps.outbox?.webhookAllowedNetworks ?? [] });
  return createWebhookService({
    ...deps,
    secrets: createSecretBox(deps.sealing, 'webhook-secret'),
    urlPolicy: guard,
    newSecret: newWebhookSecret,
    channel: (endpoint) =>
      createWebhookChannel({
        endpoint,
        guard,
        nowSeconds: () => Math.floor(deps.clock.now().getTime() / 1000),
        timeoutMs: deps.outbox?.webhookTimeoutMs ?? 10_000,
      }),
  });
}

/** Wires every service over an open, migrated database. */
export async function composeServices(database: Database, options: ComposeOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  // Every use case writes through `db`, so the access index sees each commit before the next check.
  const { db, accessIndex } = await wireAccessIndex(database, options.accessIndex);
  const tenant = await loadTenantSettings(db, options.tenantId);
  const audit = createAuditWriter();
  const base = { db, clock, ids, tenantId: tenant.tenantId };
  // Use cases publish what changed in their own transaction; the planners turn it into deliveries there.
  const email = options.email && {
    ...base,
    ...options.email,
    portalUrl: options.publicUrl ?? 'http://localhost:8080',
  };
  const events: EventPublisher = createEventPublisher({ clock, ids, planners: deliveryPlanners(email) });
  const announcer = createAnnouncer({ ...base, events });
  const servicePrincipals = createServicePrincipalService({ ...base, audit });
  const stepUpMaxAgeSeconds = options.stepUpMaxAgeSeconds ?? 300;
  // TOTP seeds and other secrets are sealed under a key derived from the tenant key kept in the database, or
  // from ELEVATE_SECRETS_KEY kept outside it (secret-box.ts).
  const sealing = {
    tenantKey: tenant.signingKey,
    ...(options.secretsKey ? { secretsKey: Buffer.from(options.secretsKey, 'utf8') } : {}),
  };
  const secrets = createSecretBox(sealing, 'totp-seed');
  const personalAccessTokens = createPersonalAccessTokenService({ ...base, audit });
  const rp = relyingPartyFrom(options.publicUrl ?? 'http://localhost', options.webauthnRpId);
  const sessions = createPortalSessionService({
    ...base,
    audit,
    masterKey: tenant.signingKey,
    idleMinutes: options.sessionIdleMinutes ?? 30,
    maxHours: options.sessionMaxHours ?? 12,
  });
  const auth = createAuthService({
    ...base,
    audit,
    announcer,
    signingKey: tenant.signingKey,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    issuer: options.issuer ?? 'elevate',
    stepUpMaxAgeSeconds,
    secrets,
    personalAccessTokens,
    rp,
    sessions,
    accessIndex,
  });
  const acrFallback = options.acrFallback ?? 'mfa';
  const services: Services = {
    clock,
    ids,
    tenantId: tenant.tenantId,
    audit,
    auditLog: createAuditQueryService({ db }),
    health: {
      async check() {
        await sql`select 1`.execute(db);
      },
    },
    auth,
    oidc: createOidcService({
      ...base,
      audit,
      secrets: createSecretBox(sealing, 'oidc-state'),
      settings: options.oidc,
      issueToken: auth.issueToken,
      startSession: sessions.start,
      stepUpMaxAgeSeconds,
      acrFallback,
    }),
    mfa: createMfaService({ ...base, audit, secrets }),
    stepUp: createStepUpService({ ...base, audit, secrets, maxAgeSeconds: stepUpMaxAgeSeconds, rp }),
    passkeys: createPasskeyService({ ...base, audit, rp }),
    identityLinks: createIdentityLinkService({ ...base, audit }),
    personalAccessTokens,
    users: createUserService({ ...base, audit }),
    policies: createPolicyService({ ...base, audit, announcer }),
    groups: createGroupService({ ...base, audit, servicePrincipals }),
    servicePrincipals,
    administrativeUnits: createAdministrativeUnitService({ ...base, audit }),
    roleDefinitions: createRoleDefinitionService({ ...base, audit }),
    lookups: createLookupService(base),
    requests: createScheduleRequestService({ ...base, audit, stepUpMaxAgeSeconds, acrFallback, announcer }),
    requestLists: createRequestListService(base),
    approvals: createApprovalService({ ...base, audit, announcer }),
    schedules: createScheduleService(base),
    access: createAccessService({ ...base, index: accessIndex }),
    accessIndex,
    scheduler: createSchedulerService({ ...base, audit, announcer }),
    setup: createSetupService(base, () => services),
    resources: createResourceServices({ ...base, audit, announcer, requests: () => services.requests }),
    events,
    webhooks: wireWebhooks({ ...base, audit, sealing, outbox: options.outbox }),
    notifications: createNotificationService({
      ...base,
      events,
      email,
      channel: email && createSmtpChannel(email),
    }),
    outbox: createOutboxService({
      ...base,
      audit,
      retry: options.outbox?.retry ?? defaultRetryPolicy,
      random: options.outbox?.random ?? Math.random,
    }),
    adminReports: createAdminReportService({ ...base, lookups: createLookupService(base) }),
    bulkAssignments: createBulkAssignmentService({ ...base, requests: () => services.requests }),
    provisioning: createProvisioningService({
      ...base,
      audit,
      // SCIM bearer tokens are sealed like TOTP seeds, under their own purpose key, bound to the link's id.
      secrets: createSecretBox(sealing, 'scim-token'),
      scim: createScimProvisioner({ defaultRatePerSecond: options.scimRatePerSecond ?? 10 }),
    }),
  };
  return services;
}

/**
 * Single sign-on from ELEVATE_OIDC_*: openid-client against the configured issuer, with Elevate's callback at
 * `<public URL>/api/auth/oidc/callback` (ELEVATE_PUBLIC_URL, else http://HOST:PORT). Undefined without an issuer.
 */
export function oidcSettingsFrom(
  config: Pick<Config, 'oidc' | 'publicUrl' | 'host' | 'port'>,
): OidcSettings | undefined {
  const oidc = config.oidc;
  if (!oidc) return undefined;
  const base = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
  return {
    provider: createOpenIdClientProvider({
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      scopes: oidc.scopes,
      redirectUri: `${base}/api/auth/oidc/callback`,
    }),
    matchClaim: oidc.matchClaim,
    createUsers: oidc.createUsers,
  };
}

/** Opens the configured database (PGlite by default) and runs migrations before anything else. */
export async function openMigratedDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
