import { randomBytes } from 'node:crypto';
import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import { canManageUsers, requirePermission } from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { UserRow } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { hashPassword } from '../auth/password-hashing.js';
import type { AppDeps, CallContext } from '../context.js';
import { changedProperties, directoryAudit } from './directory-audit.js';

export interface User {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly jobTitle: string | null;
  readonly accountEnabled: boolean;
  readonly isEmergencyAccess: boolean;
  readonly createdDateTime: Date;
}

export interface NewUser {
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mail?: string | null;
  readonly givenName?: string | null;
  readonly surname?: string | null;
  readonly jobTitle?: string | null;
  readonly accountEnabled?: boolean;
  readonly password?: string | null;
  readonly isEmergencyAccess?: boolean;
}

export type UserPatch = Partial<Omit<NewUser, 'isEmergencyAccess'>>;

const toUser = (r: UserRow): User => ({
  id: r.id,
  userPrincipalName: r.user_principal_name,
  displayName: r.display_name,
  mail: r.mail,
  givenName: r.given_name,
  surname: r.surname,
  jobTitle: r.job_title,
  accountEnabled: r.account_enabled,
  isEmergencyAccess: r.is_emergency_access,
  createdDateTime: r.created_at,
});

/** Directory users: Graph-shaped CRUD; User Administrators and Global Administrators write, everyone reads. */
export function createUserService(deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter }) {
  const { db, clock, ids, audit } = deps;

  async function get(id: string): Promise<User> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('User', id);
    return toUser(row);
  }

  async function assertUpnFree(upn: string, exceptId?: string) {
    const clash = await db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['user_principal_name']), '=', upn.toLowerCase()))
      .executeTakeFirst();
    if (clash && clash.id !== exceptId) {
      throw new ElevateError(
        'resource.conflict',
        `Another object with the same value for property userPrincipalName already exists: '${upn}'.`,
      );
    }
  }

  return {
    get,
    async getByUpnOrId(key: string): Promise<User> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where((eb) =>
          /^[0-9a-f-]{36}$/i.test(key)
            ? eb('id', '=', key.toLowerCase())
            : eb(eb.fn('lower', ['user_principal_name']), '=', key.toLowerCase()),
        )
        .executeTakeFirst();
      if (!row) throw notFound('User', key);
      return toUser(row);
    },
    async list(): Promise<User[]> {
      return (await db.selectFrom('users').selectAll().orderBy('id').execute()).map(toUser);
    },

    /** Creates a user; without a password the account cannot sign in locally. */
    async create(ctx: CallContext, input: NewUser): Promise<User> {
      requirePermission(
        canManageUsers(ctx.actor),
        'create users',
        'User Administrator or Global Administrator',
      );
      return createUnchecked(ctx, input);
    },

    /** For bootstrap and the demo seed: no permission check (there is no administrator yet). */
    createUnchecked,

    async update(ctx: CallContext, id: string, patch: UserPatch): Promise<void> {
      requirePermission(
        canManageUsers(ctx.actor),
        'update users',
        'User Administrator or Global Administrator',
      );
      const before = await get(id);
      if (patch.userPrincipalName) await assertUpnFree(patch.userPrincipalName, id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            ...(patch.userPrincipalName !== undefined && { user_principal_name: patch.userPrincipalName }),
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(patch.mail !== undefined && { mail: patch.mail }),
            ...(patch.givenName !== undefined && { given_name: patch.givenName }),
            ...(patch.surname !== undefined && { surname: patch.surname }),
            ...(patch.jobTitle !== undefined && { job_title: patch.jobTitle }),
            ...(patch.accountEnabled !== undefined && { account_enabled: patch.accountEnabled }),
            ...(patch.password ? { password_hash: await hashPassword(patch.password) } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        const changed: AuditModifiedProperty[] = changedProperties(before, patch, [
          'userPrincipalName',
          'displayName',
          'mail',
          'givenName',
          'surname',
          'jobTitle',
          'accountEnabled',
        ] as const);
        if (patch.password)
          changed.push({ displayName: 'PasswordProfile', oldValue: null, newValue: '"[changed]"' });
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Update user',
            operationType: 'Update',
            target: {
              id,
              displayName: before.displayName,
              type: 'User',
              userPrincipalName: before.userPrincipalName,
            },
            modifiedProperties: changed,
          }),
        ]);
      });
    },

    async remove(ctx: CallContext, id: string): Promise<void> {
      requirePermission(
        canManageUsers(ctx.actor),
        'delete users',
        'User Administrator or Global Administrator',
      );
      const before = await get(id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('group_relationships').where('principal_id', '=', id).execute();
        await trx
          .updateTable('schedules')
          .set({ status: 'Revoked', end_at: now, modified_at: now })
          .where('principal_id', '=', id)
          .where('status', 'in', ['Scheduled', 'Provisioned'])
          .where('start_at', '<', now)
          .execute();
        await trx
          .updateTable('schedules')
          .set({ status: 'Revoked', modified_at: now })
          .where('principal_id', '=', id)
          .where('status', 'in', ['Scheduled', 'Provisioned'])
          .execute();
        await trx.deleteFrom('users').where('id', '=', id).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Delete user',
            operationType: 'Delete',
            target: {
              id,
              displayName: before.displayName,
              type: 'User',
              userPrincipalName: before.userPrincipalName,
            },
          }),
        ]);
      });
    },
  };

  async function createUnchecked(ctx: CallContext, input: NewUser): Promise<User> {
    await assertUpnFree(input.userPrincipalName);
    const now = clock.now();
    const id = ids.newId();
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          user_principal_name: input.userPrincipalName,
          display_name: input.displayName,
          mail: input.mail ?? null,
          given_name: input.givenName ?? null,
          surname: input.surname ?? null,
          job_title: input.jobTitle ?? null,
          account_enabled: input.accountEnabled ?? true,
          password_hash: passwordHash,
          is_emergency_access: input.isEmergencyAccess ?? false,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await audit.append(trx, [
        directoryAudit(ctx, {
          id: ids.newId(),
          at: now,
          activity: 'Add user',
          operationType: 'Add',
          target: {
            id,
            displayName: input.displayName,
            type: 'User',
            userPrincipalName: input.userPrincipalName,
          },
        }),
      ]);
    });
    return get(id);
  }
}

export type UserService = ReturnType<typeof createUserService>;

/** A random password that satisfies any sane policy; shown once, never stored in clear. */
export const generatePassword = (): string => `${randomBytes(12).toString('base64url')}-Ev1`;
