import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import type { Announcer } from '../events/announcer.js';
import { emergencySignIn } from '../events/sign-in-events.js';
import { authAudit } from './auth-audit.js';
import { verifyPassword } from './password-hashing.js';
import {
  amrOf,
  hasConfirmedFactor,
  methodName,
  refusalFor,
  type SecondFactorInput,
  type SecondFactorMethod,
  secondFactorRefusal,
  verifySecondFactor,
} from './second-factor.js';
import type { SecretBox } from './secret-box.js';
import { lockedError, lockedUntil, lockoutAudit, recordFailure, recordSuccess } from './sign-in-throttle.js';
import { assertionOptions, type RelyingParty } from './webauthn.js';

/** Password sign-in input: the second factor is required once the user has confirmed one. */
export interface PasswordSignIn {
  readonly username: string;
  readonly password: string;
  readonly totp?: string;
  readonly recoveryCode?: string;
  /** A passkey's answer to the challenge of `passkeyOptions`. */
  readonly passkey?: AuthenticationResponseJSON;
}

/** Who signed in, and how (RFC 8176 `amr`). */
export interface VerifiedSignIn {
  readonly id: string;
  readonly type: 'user';
  readonly amr: readonly string[];
}

interface PasswordSignInDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly secrets: SecretBox;
  readonly rp: RelyingParty;
  /** Publishes `elevate.signin.emergency` for emergency-access accounts (webhooks; the alert comes with governance). */
  readonly announcer?: Announcer;
}

const mfaRequired = () =>
  new ElevateError(
    'auth.mfa_required',
    'This account uses a second factor: give the 6-digit code of the authenticator app (totp), a recovery code (recoveryCode), or a passkey answer (passkey, to the challenge of POST /api/auth/passkey/options).',
  );

/**
 * Local password sign-in, with the second factor once the user has confirmed one (else `auth.mfa_required`).
 * Unknown user, wrong password and disabled account answer alike. Five failures in a row (password or code)
 * lock the account for 1, 5, 15, then 60 minutes (`auth.locked`, 429 with Retry-After); a success clears
 * them. Every attempt on an existing account is audited; an emergency-access account's sign-in has its own
 * activity, so its every use stands out. A passkey is used in two steps: `passkeyOptions` (password checked,
 * single-use challenge kept) then `verify` with the passkey's answer.
 */
export function createPasswordSignIn(deps: PasswordSignInDeps) {
  const { db, clock } = deps;
  const refused = () =>
    new ElevateError('auth.invalid_credentials', 'The user name or password is incorrect.');

  /** Checks the user name and password (lockout, disabled account); a failure is counted and audited. */
  async function firstFactor(input: { username: string; password: string }) {
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
    if (!user) {
      await verifyPassword(undefined, input.password);
      throw refused();
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
      throw refused();
    }
    if (!passwordOk) {
      const lock = await db.transaction().execute(async (trx) => {
        const counted = await recordFailure(trx, user.id, now);
        await deps.audit.append(trx, [
          record(false, 'Invalid password', ['Password']),
          ...(counted.lockedUntil ? [lockoutAudit(deps.ids.newId(), now, subject, counted.lockedUntil)] : []),
        ]);
        return counted.lockedUntil;
      });
      if (lock) throw lockedError(lock, now);
      throw refused();
    }
    return { user, subject, now, record };
  }

  /** Verifies the password and, once enrolled, the second factor; answers who signed in and how. */
  async function verify(input: PasswordSignIn): Promise<VerifiedSignIn> {
    const { user, subject, now, record } = await firstFactor(input);
    const enrolled = await hasConfirmedFactor(db, user.id);
    const factor: SecondFactorInput | undefined =
      input.totp !== undefined
        ? { totp: input.totp }
        : input.recoveryCode !== undefined
          ? { recoveryCode: input.recoveryCode }
          : input.passkey !== undefined
            ? { passkey: input.passkey }
            : undefined;
    if (enrolled && !factor) throw mfaRequired();

    const outcome = await db.transaction().execute(async (trx) => {
      let failure: string | null = null;
      let message = refused().message;
      let method: SecondFactorMethod | null = null;
      if (factor && enrolled) {
        const checked = await verifySecondFactor(trx, {
          userId: user.id,
          input: factor,
          now,
          box: deps.secrets,
          passkey: { rp: deps.rp, purpose: 'signIn' },
        });
        if (checked.ok) method = checked.method;
        else {
          failure = checked.reason === 'replayed' ? 'Code already used' : 'Invalid second factor';
          message = refusalFor(factor, checked.reason);
        }
      } else if (factor) {
        failure = 'Second factor given but none enrolled';
        message = secondFactorRefusal('notEnrolled');
      }
      const methods = ['Password', ...(method ? [methodName(method)] : [])];
      if (failure) {
        const lock = await recordFailure(trx, user.id, now);
        await deps.audit.append(trx, [
          record(false, failure, methods),
          ...(lock.lockedUntil ? [lockoutAudit(deps.ids.newId(), now, subject, lock.lockedUntil)] : []),
        ]);
        return { ok: false as const, message, lockedUntil: lock.lockedUntil };
      }
      await recordSuccess(trx, user.id);
      if (user.is_emergency_access) {
        const signedIn = emergencySignIn({ id: user.id, displayName: user.display_name });
        await deps.announcer?.announce(trx, signedIn.actor, now, signedIn.specs);
      }
      await deps.audit.append(trx, [record(true, null, methods)]);
      return { ok: true as const, method };
    });
    if (!outcome.ok) {
      if (outcome.lockedUntil) throw lockedError(outcome.lockedUntil, now);
      throw new ElevateError('auth.invalid_credentials', outcome.message);
    }
    return { id: user.id, type: 'user', amr: outcome.method ? ['pwd', amrOf(outcome.method)] : ['pwd'] };
  }

  /**
   * The first step of a passkey sign-in: checks the password (a wrong one counts toward lockout like any
   * other) and answers options for `navigator.credentials.get()` with a single-use challenge for this user.
   */
  async function passkeyOptions(input: {
    username: string;
    password: string;
  }): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { user } = await firstFactor(input);
    const options = await db.transaction().execute((trx) =>
      assertionOptions(trx, {
        rp: deps.rp,
        id: deps.ids.newId(),
        userId: user.id,
        purpose: 'signIn',
        now: clock.now(),
      }),
    );
    if (!options) {
      throw new ElevateError(
        'request.invalid',
        'This account has no passkey; sign in with the code of your authenticator app, or register a passkey first.',
      );
    }
    return options;
  }

  return { verify, passkeyOptions };
}
