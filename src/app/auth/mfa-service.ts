import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import { type AuthSubject, authAudit } from './auth-audit.js';
import { hashRecoveryCode, newRecoveryCode, recoveryCodeCount } from './recovery-codes.js';
import { type SecondFactorInput, secondFactorRefusal, verifySecondFactor } from './second-factor.js';
import type { SecretBox } from './secret-box.js';
import { recordFailure } from './sign-in-throttle.js';
import { newTotpSecret, totpUri, verifyTotp } from './totp.js';

export interface MfaStatus {
  readonly totp: 'none' | 'pending' | 'confirmed';
  readonly confirmedDateTime: Date | null;
  readonly recoveryCodesLeft: number;
  /** How many passkeys (WebAuthn) the user has registered. */
  readonly passkeys: number;
}

interface MfaDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly secrets: SecretBox;
}

/** Second factors belong to users signed in themselves: not service principals, not personal access tokens. */
export const userOnly = (actor: Actor, what: string): void => {
  if (actor.type !== 'user' || actor.isSystem) {
    throw new ElevateError(
      'request.invalid',
      `Only users ${what}; service principals have no second factor.`,
    );
  }
  if (actor.personalAccessToken) {
    throw new ElevateError(
      'auth.forbidden',
      `A personal access token cannot ${what}; sign in with your password (and authenticator) instead.`,
    );
  }
};

const holdsAny = (actor: Actor, ids: readonly string[]): boolean => ids.some((id) => actor.roleIds.has(id));

/**
 * Second factors of local accounts: TOTP enrolment (start → confirm with a first code, which also yields ten
 * single-use recovery codes shown once), status, removal, and an administrator's reset. The seed is encrypted at
 * rest and returned only by `startTotp`; recovery codes are stored hashed. Every change is audited.
 */
export function createMfaService(deps: MfaDeps) {
  const { db, clock, ids, audit } = deps;

  async function subject(
    executor: Executor,
    userId: string,
  ): Promise<AuthSubject & { isEmergency: boolean }> {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) throw notFound('User', userId);
    const u = await executor
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name', 'is_emergency_access'])
      .where('id', '=', userId.toLowerCase())
      .executeTakeFirst();
    if (!u) throw notFound('User', userId);
    return {
      id: u.id,
      displayName: u.display_name,
      type: 'User',
      userPrincipalName: u.user_principal_name,
      isEmergency: u.is_emergency_access,
    };
  }

  async function status(executor: Executor, userId: string): Promise<MfaStatus> {
    const totp = await executor
      .selectFrom('user_totp')
      .select(['confirmed_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const left = await executor
      .selectFrom('user_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    const passkeys = await executor
      .selectFrom('user_passkeys')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return {
      totp: !totp ? 'none' : totp.confirmed_at ? 'confirmed' : 'pending',
      confirmedDateTime: totp?.confirmed_at ?? null,
      recoveryCodesLeft: Number(left.n),
      passkeys: Number(passkeys.n),
    };
  }

  async function deleteTotp(executor: Executor, userId: string): Promise<void> {
    await executor.deleteFrom('user_totp').where('user_id', '=', userId).execute();
    await executor.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
    await executor.deleteFrom('step_up_proofs').where('user_id', '=', userId).execute();
  }

  async function removeAll(executor: Executor, userId: string): Promise<void> {
    await deleteTotp(executor, userId);
    await executor.deleteFrom('user_passkeys').where('user_id', '=', userId).execute();
    await executor.deleteFrom('webauthn_challenges').where('user_id', '=', userId).execute();
  }

  const details = (method: string) => [{ key: 'AuthenticationMethod', value: method }];

  return {
    /** The caller's own factors. */
    async status(ctx: CallContext): Promise<MfaStatus> {
      userOnly(ctx.actor, 'have a second factor');
      return status(db, ctx.actor.id);
    },

    /** A user's factors, for the administrators who may reset them. */
    async statusOf(ctx: CallContext, userId: string): Promise<MfaStatus> {
      const target = await subject(db, userId);
      requireResetRight(ctx.actor, await isPrivileged(db, target));
      return status(db, target.id);
    },

    /**
     * Starts (or restarts) TOTP enrolment: a new seed, returned this once with its otpauth:// URI, kept encrypted
     * and unconfirmed until `confirmTotp`. Refused while a confirmed authenticator exists (remove it first).
     */
    async startTotp(ctx: CallContext): Promise<{ secret: string; otpauthUri: string }> {
      userOnly(ctx.actor, 'enrol an authenticator app');
      const me = await subject(db, ctx.actor.id);
      const secret = newTotpSecret();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('user_totp')
          .select('confirmed_at')
          .where('user_id', '=', me.id)
          .forUpdate()
          .executeTakeFirst();
        if (existing?.confirmed_at) {
          throw new ElevateError(
            'resource.conflict',
            'An authenticator app is already enrolled; remove it first (DELETE /api/v1/me/mfa/totp with a current code).',
          );
        }
        await trx.deleteFrom('user_totp').where('user_id', '=', me.id).execute();
        await trx
          .insertInto('user_totp')
          .values({
            user_id: me.id,
            secret_ciphertext: deps.secrets.seal(secret, me.id),
            confirmed_at: null,
            last_used_step: null,
            created_at: now,
          })
          .execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'User started security info registration',
            success: true,
            actor: ctx.actor,
            actorUpn: me.userPrincipalName,
            subject: me,
            details: details('Authenticator app (TOTP)'),
            correlationId: ctx.requestId,
            category: 'UserManagement',
          }),
        ]);
      });
      return { secret, otpauthUri: totpUri(secret, me.userPrincipalName ?? me.id) };
    },

    /**
     * Confirms enrolment with a first code (which is spent), and answers ten new recovery codes, shown this once
     * and stored hashed; earlier recovery codes stop working.
     */
    async confirmTotp(ctx: CallContext, code: string): Promise<{ recoveryCodes: string[] }> {
      userOnly(ctx.actor, 'enrol an authenticator app');
      const me = await subject(db, ctx.actor.id);
      const now = clock.now();
      const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
      const refused = await db.transaction().execute(async (trx) => {
        const pending = await trx
          .selectFrom('user_totp')
          .select(['secret_ciphertext', 'confirmed_at', 'last_used_step'])
          .where('user_id', '=', me.id)
          .forUpdate()
          .executeTakeFirst();
        if (!pending) {
          throw new ElevateError(
            'request.invalid',
            'There is no enrolment to confirm; start one with POST /api/v1/me/mfa/totp.',
          );
        }
        if (pending.confirmed_at) {
          throw new ElevateError('resource.conflict', 'The authenticator app is already confirmed.');
        }
        const checked = await verifyTotp({
          secret: deps.secrets.open(pending.secret_ciphertext, me.id),
          code,
          now,
          afterStep: pending.last_used_step,
        });
        if (!checked.valid) return checked.replayed ? 'replayed' : 'invalid';
        // The confirming code is spent like any other: it cannot sign in or step up afterwards.
        await trx
          .updateTable('user_totp')
          .set({ confirmed_at: now, last_used_step: checked.step })
          .where('user_id', '=', me.id)
          .execute();
        await trx.deleteFrom('user_recovery_codes').where('user_id', '=', me.id).execute();
        await trx
          .insertInto('user_recovery_codes')
          .values(
            codes.map((c) => ({
              id: ids.newId(),
              user_id: me.id,
              code_hash: hashRecoveryCode(c),
              created_at: now,
              used_at: null,
            })),
          )
          .execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'User registered security info',
            success: true,
            actor: ctx.actor,
            actorUpn: me.userPrincipalName,
            subject: me,
            details: [
              ...details('Authenticator app (TOTP)'),
              { key: 'RecoveryCodes', value: String(codes.length) },
            ],
            correlationId: ctx.requestId,
            category: 'UserManagement',
          }),
        ]);
        return null;
      });
      if (refused) throw new ElevateError('auth.mfa_failed', secondFactorRefusal(refused));
      return { recoveryCodes: codes };
    },

    /** Removes the caller's authenticator and recovery codes; needs a current code or a recovery code. */
    async removeTotp(ctx: CallContext, proof: SecondFactorInput): Promise<void> {
      userOnly(ctx.actor, 'remove an authenticator app');
      const me = await subject(db, ctx.actor.id);
      const now = clock.now();
      const outcome = await db.transaction().execute(async (trx) => {
        const checked = await verifySecondFactor(trx, {
          userId: me.id,
          input: proof,
          now,
          box: deps.secrets,
        });
        if (!checked.ok) {
          if (checked.reason !== 'notEnrolled') await recordFailure(trx, me.id, now);
          return checked;
        }
        await deleteTotp(trx, me.id);
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'User deleted security info',
            success: true,
            actor: ctx.actor,
            actorUpn: me.userPrincipalName,
            subject: me,
            details: details('Authenticator app (TOTP)'),
            correlationId: ctx.requestId,
            category: 'UserManagement',
          }),
        ]);
        return checked;
      });
      if (!outcome.ok) throw new ElevateError('auth.mfa_failed', secondFactorRefusal(outcome.reason));
    },

    /**
     * An administrator removes every second factor of a user (lost phone), so the user enrols again at the next
     * sign-in. Global and Privileged Authentication Administrators may reset anyone; Authentication
     * Administrators only users who hold nothing in PIM and are not emergency-access accounts (as in Entra).
     */
    async resetFactors(ctx: CallContext, userId: string): Promise<void> {
      const target = await subject(db, userId);
      requireResetRight(ctx.actor, await isPrivileged(db, target));
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await removeAll(trx, target.id);
        await trx.deleteFrom('sign_in_throttle').where('user_id', '=', target.id).execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'Admin deleted security info',
            success: true,
            reason: 'Second factors reset by an administrator',
            actor: ctx.actor,
            subject: target,
            details: details('All (authenticator app, recovery codes, passkeys)'),
            correlationId: ctx.requestId,
            category: 'UserManagement',
          }),
        ]);
      });
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;

/** Holding or being eligible for anything in PIM, or being an emergency-access account, makes a user privileged. */
export async function isPrivileged(
  db: Executor,
  user: { id: string; isEmergency: boolean },
): Promise<boolean> {
  if (user.isEmergency) return true;
  const held = await db
    .selectFrom('schedules')
    .select('id')
    .where('principal_id', '=', user.id)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .executeTakeFirst();
  return held !== undefined;
}

/** Who may reset (or unlink) a user's sign-in methods: as in Entra, by the target's privilege. */
export function requireResetRight(actor: Actor, targetIsPrivileged: boolean): void {
  const full = holdsAny(actor, [roles.globalAdministrator, roles.privilegedAuthenticationAdministrator]);
  const limited = holdsAny(actor, [roles.authenticationAdministrator]);
  if (full || (limited && !targetIsPrivileged)) return;
  throw new ElevateError(
    'auth.forbidden',
    limited
      ? 'Insufficient privileges to reset the second factors of a privileged user. This needs Privileged Authentication Administrator or Global Administrator.'
      : 'Insufficient privileges to reset second factors. This needs Authentication Administrator, Privileged Authentication Administrator or Global Administrator.',
  );
}
