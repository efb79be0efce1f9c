import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import { authAudit } from './auth-audit.js';
import type { TokenGrant } from './auth-service.js';
import { verifyPassword } from './password-hashing.js';
import { amrOf, hasConfirmedFactor, secondFactorRefusal, verifySecondFactor } from './second-factor.js';
import type { SecretBox } from './secret-box.js';
import { lockedError, lockedUntil, lockoutAudit, recordFailure, recordSuccess } from './sign-in-throttle.js';

/** Password sign-in input: the second factor is required once the user has confirmed one. */
export interface PasswordSignIn {
  readonly username: string;
  readonly password: string;
  readonly totp?: string;
  readonly recoveryCode?: string;
}

interface PasswordSignInDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly secrets: SecretBox;
  readonly issueToken: (subject: { id: string; type: 'user'; amr: readonly string[] }) => Promise<TokenGrant>;
}

/**
 * Local password sign-in, with the second factor once the user has confirmed one (else `auth.mfa_required`).
 * Unknown user, wrong password and disabled account answer alike. Five failures in a row (password or code)
 * lock the account for 1, 5, 15, then 60 minutes (`auth.locked`, 429 with Retry-After); a success clears
 * them. Every attempt on an existing account is audited; an emergency-access account's sign-in has its own
 * activity, so its every use stands out.
 */
export function createPasswordSignIn(deps: PasswordSignInDeps) {
  const { db, clock } = deps;
  return async function signInWithPassword(input: PasswordSignIn): Promise<TokenGrant> {
    const user = await db
      .selectFrom('users')
      .select([
        'id',
        'display_name',
        'user_principal_name',
        'password_hash',
        'account_enabled',
        'is_emergency_access',
      ])
      .where((eb) => eb(eb.fn('lower', ['user_principal_name']), '=', input.username.toLowerCase()))
      .executeTakeFirst();
    const refused = new ElevateError('auth.invalid_credentials', 'The user name or password is incorrect.');
    if (!user) {
      await verifyPassword(undefined, input.password);
      throw refused;
    }
    const subject = {
      id: user.id,
      displayName: user.display_name,
      type: 'User' as const,
      userPrincipalName: user.user_principal_name,
    };
    const now = clock.now();
    const record = (success: boolean, reason: string | null, methods: string[], extra: object[] = []) =>
      authAudit({
        id: deps.ids.newId(),
        at: now,
        activity: success
          ? user.is_emergency_access
            ? 'Emergency access account signed in'
            : 'User signed in'
          : user.is_emergency_access
            ? 'Emergency access account sign-in failed'
            : 'User sign-in failed',
        success,
        reason,
        subject,
        details: [
          ...(methods.length ? [{ key: 'AuthenticationMethods', value: methods.join(', ') }] : []),
          ...(extra as { key: string; value: string }[]),
        ],
      });

    const locked = await lockedUntil(db, user.id, now);
    if (locked) {
      await db
        .transaction()
        .execute((trx) =>
          deps.audit.append(trx, [
            record(false, 'Account locked', [], [{ key: 'LockedUntil', value: locked.toISOString() }]),
          ]),
        );
      throw lockedError(locked, now);
    }

    const passwordOk = await verifyPassword(user.password_hash, input.password);
    if (passwordOk && !user.account_enabled) {
      await db
        .transaction()
        .execute((trx) => deps.audit.append(trx, [record(false, 'Account disabled', ['Password'])]));
      throw refused;
    }
    const enrolled = passwordOk && (await hasConfirmedFactor(db, user.id));
    const factor =
      input.totp !== undefined
        ? { totp: input.totp }
        : input.recoveryCode !== undefined
          ? { recoveryCode: input.recoveryCode }
          : undefined;
    if (enrolled && !factor) {
      throw new ElevateError(
        'auth.mfa_required',
        'This account uses an authenticator app: give the 6-digit code (totp) or a recovery code (recoveryCode).',
      );
    }

    const outcome = await db.transaction().execute(async (trx) => {
      let failure: string | null = passwordOk ? null : 'Invalid password';
      let message = refused.message;
      let method: 'totp' | 'recoveryCode' | null = null;
      if (!failure && factor && enrolled) {
        const checked = await verifySecondFactor(trx, {
          userId: user.id,
          input: factor,
          now,
          box: deps.secrets,
        });
        if (checked.ok) method = checked.method;
        else {
          failure = checked.reason === 'replayed' ? 'Code already used' : 'Invalid second factor';
          message = secondFactorRefusal(checked.reason);
        }
      } else if (!failure && factor) {
        failure = 'Second factor given but none enrolled';
        message = secondFactorRefusal('notEnrolled');
      }
      const methods = [
        'Password',
        ...(method ? [method === 'totp' ? 'Authenticator app (TOTP)' : 'Recovery code'] : []),
      ];
      if (failure) {
        const lock = await recordFailure(trx, user.id, now);
        await deps.audit.append(trx, [
          record(false, failure, methods),
          ...(lock.lockedUntil ? [lockoutAudit(deps.ids.newId(), now, subject, lock.lockedUntil)] : []),
        ]);
        return { ok: false as const, message, lockedUntil: lock.lockedUntil };
      }
      await recordSuccess(trx, user.id);
      await deps.audit.append(trx, [record(true, null, methods)]);
      return { ok: true as const, method };
    });
    if (!outcome.ok) {
      if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil, now);
      throw new ElevateError('auth.invalid_credentials', outcome.message);
    }
    return deps.issueToken({
      id: user.id,
      type: 'user',
      amr: outcome.method ? ['pwd', amrOf(outcome.method)] : ['pwd'],
    });
  };
}
