import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { createAuditQueryService } from './app/audit/audit-query-service.js';
import { createAuditWriter } from './app/audit/audit-writer.js';
import { createAuthService } from './app/auth/auth-service.js';
import { createMfaService } from './app/auth/mfa-service.js';
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
import { createSchedulerService } from './app/schedules/scheduler-service.js';
import type { Services } from './app/services.js';
import { createSetupService } from './app/setup/setup-service.js';
import { createLookupService } from './app/shared/lookup-service.js';
import { loadTenantSettings } from './app/tenant/tenant-settings.js';
import type { Config } from './config/config.js';
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
    auth: createAuthService({
      ...base,
      audit,
      signingKey: tenant.signingKey,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      issuer: options.issuer ?? 'elevate',
      stepUpMaxAgeSeconds,
      secrets,
      personalAccessTokens,
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
    requests: createScheduleRequestService({ ...base, audit, stepUpMaxAgeSeconds }),
    approvals: createApprovalService({ ...base, audit }),
    schedules: createScheduleService(base),
    scheduler: createSchedulerService({ ...base, audit }),
    setup: createSetupService(base, () => services),
  };
  return services;
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
