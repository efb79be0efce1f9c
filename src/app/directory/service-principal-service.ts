import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import { canManageApplications, requirePermission } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { DB, ServicePrincipalRow } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { hashSecret } from '../auth/auth-service.js';
import type { AppDeps, CallContext } from '../context.js';
import { changedProperties, directoryAudit } from './directory-audit.js';

/** A client secret's public part: what Graph's `passwordCredentials` lists (never the secret). */
export interface PasswordCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly hint: string;
  readonly startDateTime: Date;
  readonly endDateTime: Date;
}

/** A secret just made: `secretText` is shown to the caller once and stored only as its hash. */
export type NewPasswordCredential = PasswordCredential & { readonly secretText: string };

export interface ServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly accountEnabled: boolean;
  readonly createdDateTime: Date;
  readonly passwordCredentials: readonly PasswordCredential[];
}

export interface NewServicePrincipal {
  /** The application (client) id; a new one is made when absent. */
  readonly appId?: string;
  readonly displayName: string;
  readonly accountEnabled?: boolean;
}

export interface ServicePrincipalPatch {
  readonly displayName?: string;
  readonly accountEnabled?: boolean;
  /** Refused: the appId is the client id tokens are issued for. */
  readonly appId?: string;
}

const permissionRoles = 'Application Administrator, Cloud Application Administrator or Global Administrator';
const yearMs = 365 * 86_400_000;

type SecretRow = {
  id: string;
  service_principal_id: string;
  display_name: string | null;
  hint: string;
  start_at: Date;
  end_at: Date;
};

const toCredential = (s: SecretRow): PasswordCredential => ({
  keyId: s.id,
  displayName: s.display_name,
  hint: s.hint,
  startDateTime: s.start_at,
  endDateTime: s.end_at,
});

/** Service principals and their client secrets; application administrators write, everyone reads. */
export function createServicePrincipalService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;

  /** Every principal, or those with `only` ids (unknown ids skipped), each with its credentials' public parts. */
  async function load(only?: readonly string[]): Promise<ServicePrincipal[]> {
    if (only?.length === 0) return [];
    let query = db.selectFrom('service_principals').selectAll();
    if (only) query = query.where('id', 'in', only);
    const sps = await query.orderBy('id').execute();
    if (sps.length === 0) return [];
    let secretQuery = db
      .selectFrom('service_principal_secrets')
      .select(['id', 'service_principal_id', 'display_name', 'hint', 'start_at', 'end_at']);
    if (only) secretQuery = secretQuery.where('service_principal_id', 'in', only);
    const secrets = await secretQuery.orderBy('start_at').orderBy('id').execute();
    return sps.map((r: ServicePrincipalRow) => ({
      id: r.id,
      appId: r.app_id,
      displayName: r.display_name,
      accountEnabled: r.account_enabled,
      createdDateTime: r.created_at,
      passwordCredentials: secrets.filter((c) => c.service_principal_id === r.id).map(toCredential),
    }));
  }

  async function get(id: string): Promise<ServicePrincipal> {
    const [sp] = await load([id]);
    if (!sp) throw notFound('Service principal', id);
    return sp;
  }

  async function assertAppIdFree(trx: Transaction<DB>, appId: string) {
    const clash = await trx
      .selectFrom('service_principals')
      .select('id')
      .where('app_id', '=', appId)
      .executeTakeFirst();
    if (clash) {
      throw new ElevateError(
        'resource.conflict',
        `Another object with the same value for property appId already exists: '${appId}'.`,
      );
    }
  }

  const target = (sp: { id: string; displayName: string }) =>
    ({ id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' }) as const;

  async function createServicePrincipalUnchecked(
    ctx: CallContext,
    input: NewServicePrincipal,
  ): Promise<ServicePrincipal> {
    const now = clock.now();
    const id = ids.newId();
    const appId = (input.appId ?? ids.newId()).toLowerCase();
    await db.transaction().execute(async (trx) => {
      await assertAppIdFree(trx, appId);
      await trx
        .insertInto('service_principals')
        .values({
          id,
          app_id: appId,
          display_name: input.displayName,
          account_enabled: input.accountEnabled ?? true,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await audit.append(trx, [
        directoryAudit(ctx, {
          id: ids.newId(),
          at: now,
          activity: 'Add service principal',
          operationType: 'Add',
          target: target({ id, displayName: input.displayName }),
          modifiedProperties: [{ displayName: 'AppId', oldValue: null, newValue: JSON.stringify(appId) }],
        }),
      ]);
    });
    return get(id);
  }

  /**
   * Makes a client secret valid from now until `endDateTime` (a year by default, two at most). The secret
   * is returned once; only its SHA-256 is stored, and the audit record names the key, never the secret.
   */
  async function addSecretUnchecked(
    ctx: CallContext,
    id: string,
    input: { displayName?: string | null; endDateTime?: Date },
  ): Promise<NewPasswordCredential> {
    const sp = await get(id);
    const now = clock.now();
    const end = input.endDateTime ?? new Date(now.getTime() + yearMs);
    if (end.getTime() <= now.getTime()) {
      throw new ElevateError(
        'request.invalid',
        `passwordCredential.endDateTime must be in the future; got ${end.toISOString()}.`,
      );
    }
    if (end.getTime() > now.getTime() + 2 * yearMs) {
      throw new ElevateError(
        'request.invalid',
        `passwordCredential.endDateTime must be at most two years from now (${new Date(now.getTime() + 2 * yearMs).toISOString()}); got ${end.toISOString()}.`,
      );
    }
    const secretText = randomBytes(30).toString('base64url');
    const credential: NewPasswordCredential = {
      keyId: ids.newId(),
      displayName: input.displayName ?? null,
      hint: secretText.slice(0, 3),
      startDateTime: now,
      endDateTime: end,
      secretText,
    };
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('service_principal_secrets')
        .values({
          id: credential.keyId,
          service_principal_id: sp.id,
          display_name: credential.displayName,
          hint: credential.hint,
          secret_hash: hashSecret(secretText),
          start_at: now,
          end_at: end,
        })
        .execute();
      await audit.append(trx, [
        directoryAudit(ctx, {
          id: ids.newId(),
          at: now,
          activity: 'Add service principal credentials',
          operationType: 'Update',
          target: target(sp),
          modifiedProperties: [
            { displayName: 'KeyDescription', oldValue: null, newValue: keyDescription(credential) },
          ],
        }),
      ]);
    });
    return credential;
  }

  return {
    get,
    list: (): Promise<ServicePrincipal[]> => load(),
    /** The principals with these ids; unknown ids are skipped. */
    listByIds: (spIds: readonly string[]): Promise<ServicePrincipal[]> => load(spIds),

    async create(ctx: CallContext, input: NewServicePrincipal): Promise<ServicePrincipal> {
      requirePermission(canManageApplications(ctx.actor), 'create service principals', permissionRoles);
      return createServicePrincipalUnchecked(ctx, input);
    },

    /** For the demo seed: no permission check. */
    createServicePrincipalUnchecked,

    async update(ctx: CallContext, id: string, patch: ServicePrincipalPatch): Promise<void> {
      requirePermission(canManageApplications(ctx.actor), 'update service principals', permissionRoles);
      const before = await get(id);
      if (patch.appId !== undefined && patch.appId.toLowerCase() !== before.appId) {
        throw new ElevateError(
          'request.invalid',
          'appId cannot be changed after creation: it is the client id tokens are issued for.',
        );
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('service_principals')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(patch.accountEnabled !== undefined && { account_enabled: patch.accountEnabled }),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        const changed: AuditModifiedProperty[] = changedProperties(before, patch, [
          'displayName',
          'accountEnabled',
        ] as const);
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Update service principal',
            operationType: 'Update',
            target: target(before),
            modifiedProperties: changed,
          }),
        ]);
      });
    },

    /** Deletes the principal and its secrets, takes it out of every group, and ends its live schedules. */
    async remove(ctx: CallContext, id: string): Promise<void> {
      requirePermission(canManageApplications(ctx.actor), 'delete service principals', permissionRoles);
      const before = await get(id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('group_relationships').where('principal_id', '=', id).execute();
        await revokeLiveSchedules(trx, id, now);
        await trx.deleteFrom('service_principal_secrets').where('service_principal_id', '=', id).execute();
        await trx.deleteFrom('service_principals').where('id', '=', id).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Delete service principal',
            operationType: 'Delete',
            target: target(before),
          }),
        ]);
      });
    },

    async addPassword(
      ctx: CallContext,
      id: string,
      input: { displayName?: string | null; endDateTime?: Date },
    ): Promise<NewPasswordCredential> {
      requirePermission(
        canManageApplications(ctx.actor),
        'add service principal credentials',
        permissionRoles,
      );
      return addSecretUnchecked(ctx, id, input);
    },

    /** For the demo seed: no permission check. */
    addSecretUnchecked,

    async removePassword(ctx: CallContext, id: string, keyId: string): Promise<void> {
      requirePermission(
        canManageApplications(ctx.actor),
        'remove service principal credentials',
        permissionRoles,
      );
      const sp = await get(id);
      const credential = sp.passwordCredentials.find((c) => c.keyId === keyId);
      if (!credential) throw notFound('Password credential', keyId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('service_principal_secrets').where('id', '=', keyId).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Remove service principal credentials',
            operationType: 'Update',
            target: target(sp),
            modifiedProperties: [
              { displayName: 'KeyDescription', oldValue: keyDescription(credential), newValue: null },
            ],
          }),
        ]);
      });
    },
  };
}

export type ServicePrincipalService = ReturnType<typeof createServicePrincipalService>;

/** Entra's audit spelling of a key: which key, never its value. */
const keyDescription = (c: PasswordCredential): string =>
  JSON.stringify(
    `[KeyIdentifier=${c.keyId},KeyType=Password,KeyUsage=Verify,DisplayName=${c.displayName ?? ''}]`,
  );

/**
 * Ends a deleted principal's live schedules: running ones end now, future ones are revoked unstarted.
 * The same steps as deleting a user.
 */
export async function revokeLiveSchedules(
  trx: Transaction<DB>,
  principalId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('schedules')
    .set({ status: 'Revoked', end_at: now, modified_at: now })
    .where('principal_id', '=', principalId)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('start_at', '<', now)
    .execute();
  await trx
    .updateTable('schedules')
    .set({ status: 'Revoked', modified_at: now })
    .where('principal_id', '=', principalId)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .execute();
}
