import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { authAudit } from './auth-audit.js';
import { userOnly } from './mfa-service.js';
import { hashPassword, verifyPassword } from './password-hashing.js';
import { endSessionsOf } from './portal-sessions.js';
import { lockedError, lockedUntil, lockoutAudit, recordFailure } from './sign-in-throttle.js';

/** The local password policy: length is what matters (NIST SP 800-63B §3.1.1.2); no composition rules. */
export const passwordPolicy = { minLength: 12, maxLength: 256 } as const;

/** Why a new password is refused, or null when the policy accepts it. */
export function passwordPolicyViolation(
  password: string,
  context: { current: string; userPrincipalName: string },
): string | null {
  const length = [...password].length;
  if (length < passwordPolicy.minLength) {
    return `The new password must be at least ${passwordPolicy.minLength} characters long (it has ${length}).`;
  }
  if (length > passwordPolicy.maxLength) {
    return `The new password must be at most ${passwordPolicy.maxLength} characters long.`;
  }
  if (password === context.current) return 'The new password must differ from the current one.';
  if (password.toLowerCase() === context.userPrincipalName.toLowerCase()) {
    return 'The new password must not be your user name.';
  }
  return null;
}

interface PasswordChangeDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
}

/**
 * A user changes their own local password: the current one is checked (a wrong one counts toward lockout like
 * a failed sign-in), the new one must meet `passwordPolicy`, is hashed with argon2id, and every other portal
 * session of the user ends (`keepSessionId`, the session making the change, stays). Audited, never with either
 * password.
 */
export function createPasswordChange(deps: PasswordChangeDeps) {
  const { db, clock, ids, audit } = deps;
  return async function changePassword(
    ctx: CallContext,
    input: { currentPassword: string; newPassword: string; keepSessionId?: string },
  ): Promise<{ endedSessions: number }> {
    userOnly(ctx.actor, 'change a password');
    const user = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name', 'password_hash'])
      .where('id', '=', ctx.actor.id)
      .executeTakeFirstOrThrow();
    const subject = {
      id: user.id,
      displayName: user.display_name,
      type: 'User' as const,
      userPrincipalName: user.user_principal_name,
    };
    const now = clock.now();
    const locked = await lockedUntil(db, user.id, now);
    if (locked) throw lockedError(locked, now);
    if (!user.password_hash) {
      throw new ElevateError(
        'request.invalid',
        'This account has no local password (it signs in through single sign-on); change it at your identity provider.',
      );
    }
    const record = (success: boolean, reason: string | null) =>
      authAudit({
        id: ids.newId(),
        at: now,
        activity: 'Change user password',
        success,
        reason,
        actor: ctx.actor,
        actorUpn: user.user_principal_name,
        subject,
        correlationId: ctx.requestId,
        category: 'UserManagement',
      });
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      const lock = await db.transaction().execute(async (trx) => {
        const counted = await recordFailure(trx, user.id, now);
        await audit.append(trx, [
          record(false, 'Invalid current password'),
          ...(counted.lockedUntil ? [lockoutAudit(ids.newId(), now, subject, counted.lockedUntil)] : []),
        ]);
        return counted.lockedUntil;
      });
      if (lock) throw lockedError(lock, now);
      throw new ElevateError('auth.invalid_credentials', 'The current password is incorrect.');
    }
    const violation = passwordPolicyViolation(input.newPassword, {
      current: input.currentPassword,
      userPrincipalName: user.user_principal_name,
    });
    if (violation) {
      throw new ElevateError('request.invalid', violation, { target: 'newPassword' });
    }
    const hash = await hashPassword(input.newPassword);
    return db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: now })
        .where('id', '=', user.id)
        .execute();
      const endedSessions = await endSessionsOf(trx, user.id, input.keepSessionId);
      await audit.append(trx, [
        {
          ...record(true, null),
          additionalDetails: [{ key: 'EndedPortalSessions', value: String(endedSessions) }],
        },
      ]);
      return { endedSessions };
    });
  };
}
