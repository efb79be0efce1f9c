import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { createAccessService } from './app/access/access-service.js';
import { createAuditQueryService } from './app/audit/audit-query-service.js';
import { createAuditWriter } from './app/audit/audit-writer.js';
import { createAuthService } from './app/auth/auth-service.js';
import { createMfaService } from './app/auth/mfa-service.js';
import { createOidcService, type OidcSettings } from './app/auth/oidc-service.js';
import { createPersonalAccessTokenService } from './app/auth/personal-access-token-service.js';
import { createSecretBox } from './app/auth/secret-box.js';
import { createStepUpService } from './app/auth/step-up-service.js';
import { createAdministrativeUnitService } from './app/directory/administrative-unit-service.js';
import { createGroupService } from './app/directory/group-service.js';
import { createRoleDefinitionService } from './app/directory/role-definition-service.js';
import { createServicePrincipalService } from './app/directory/service-principal-service.js';
import { createUserService } from './app/directory/user-service.js';
import { createPolicyService } from './app/policies/policy-service.js';
import type { Clock } from './app/ports/clock.js';
import type { IdGenerator } from './app/ports/ids.js';
import { createApprovalService } from './app/requests/approval-service.js';
import { createScheduleRequestService } from './app/requests/schedule-request-service.js';
import { createScheduleService } from './app/requests/schedule-service.js';
import { createResourceServices } from './app/resources/resource-services.js';
import { createSchedulerService } from './app/schedules/scheduler-service.js';
import type { Services } from './app/services.js';
import { createSetupService } from './app/setup/setup-service.js';
import { createLookupService } from './app/shared/lookup-service.js';
import { loadTenantSettings } from './app/tenant/tenant-settings.js';
import type { Config } from './config/config.js';
import { createOpenIdClientProvider } from './connectors/oidc/openid-client-provider.js';
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
}

/** Wires every service over an open, migrated database. */
export async function composeServices(database: Database, options: ComposeOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  const { db } = database;
  const tenant = await loadTenantSettings(db, options.tenantId);
  const audit = createAuditWriter();
  const base = { db, clock, ids, tenantId: tenant.tenantId };
  const servicePrincipals = createServicePrincipalService({ ...base, audit });
  const stepUpMaxAgeSeconds = options.stepUpMaxAgeSeconds ?? 300;
  // TOTP seeds are sealed under a key derived from the tenant key kept in the database (secret-box.ts).
  const secrets = createSecretBox(tenant.signingKey, 'totp-seed');
  const personalAccessTokens = createPersonalAccessTokenService({ ...base, audit });
  const auth = createAuthService({
    ...base,
    audit,
    signingKey: tenant.signingKey,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    issuer: options.issuer ?? 'elevate',
    stepUpMaxAgeSeconds,
    secrets,
    personalAccessTokens,
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
      secrets: createSecretBox(tenant.signingKey, 'oidc-state'),
      settings: options.oidc,
      issueToken: auth.issueToken,
      stepUpMaxAgeSeconds,
      acrFallback,
    }),
    mfa: createMfaService({ ...base, audit, secrets }),
    stepUp: createStepUpService({ ...base, audit, secrets, maxAgeSeconds: stepUpMaxAgeSeconds }),
    personalAccessTokens,
    users: createUserService({ ...base, audit }),
    policies: createPolicyService({ ...base, audit }),
    groups: createGroupService({ ...base, audit, servicePrincipals }),
    servicePrincipals,
    administrativeUnits: createAdministrativeUnitService({ ...base, audit }),
    roleDefinitions: createRoleDefinitionService({ ...base, audit }),
    lookups: createLookupService(base),
    requests: createScheduleRequestService({ ...base, audit, stepUpMaxAgeSeconds, acrFallback }),
    approvals: createApprovalService({ ...base, audit }),
    schedules: createScheduleService(base),
    access: createAccessService(base),
    scheduler: createSchedulerService({ ...base, audit }),
    setup: createSetupService(base, () => services),
    resources: createResourceServices({ ...base, audit, requests: () => services.requests }),
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
