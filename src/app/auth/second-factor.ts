import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Executor } from '../context.js';
import { hashRecoveryCode } from './recovery-codes.js';
import type { SecretBox } from './secret-box.js';
import type { StepUpTarget } from './step-up-proofs.js';
import { verifyTotp } from './totp.js';
import { type RelyingParty, verifyAssertion } from './webauthn.js';

/** What a person gave as their second factor: a code they typed, or a passkey's assertion. */
export type SecondFactorInput =
  | { readonly totp: string }
  | { readonly recoveryCode: string }
  | { readonly passkey: AuthenticationResponseJSON };

export type SecondFactorMethod = 'totp' | 'recoveryCode' | 'passkey';

export type RefusalReason = 'invalid' | 'replayed' | 'notEnrolled' | 'wrongTarget';

export type SecondFactorOutcome =
  | { readonly ok: true; readonly method: SecondFactorMethod }
  | { readonly ok: false; readonly reason: RefusalReason };

/** The AMR value (RFC 8176) a second factor adds to a token: one-time code, knowledge, or a hardware key. */
export const amrOf = (method: SecondFactorMethod): string =>
  method === 'totp' ? 'otp' : method === 'passkey' ? 'hwk' : 'kba';

/** How audit records name a second factor. */
export const methodName = (method: SecondFactorMethod): string =>
  method === 'totp'
    ? 'Authenticator app (TOTP)'
    : method === 'passkey'
      ? 'Passkey (WebAuthn)'
      : 'Recovery code';

/** Whether the user has a confirmed authenticator app or a passkey, so sign-in must ask for one. */
export async function hasConfirmedFactor(db: Executor, userId: string): Promise<boolean> {
  const totp = await db
    .selectFrom('user_totp')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  if (totp) return true;
  const passkey = await db
    .selectFrom('user_passkeys')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return passkey !== undefined;
}

/** Where a passkey assertion is checked: the relying party, and the ceremony (a step-up names its target). */
export interface PasskeyContext {
  readonly rp: RelyingParty;
  readonly purpose: 'signIn' | 'stepUp';
  readonly target?: StepUpTarget;
}

/**
 * Checks a TOTP code, a recovery code or a passkey assertion in the caller's transaction and spends it: the
 * code's time step becomes the last used one (compare-and-set, so two concurrent uses of one code cannot both
 * pass), the recovery code is marked used, or the passkey's challenge is taken and its counter moved on
 * (webauthn.ts). Each is accepted once, never again.
 */
export async function verifySecondFactor(
  trx: Executor,
  args: { userId: string; input: SecondFactorInput; now: Date; box: SecretBox; passkey?: PasskeyContext },
): Promise<SecondFactorOutcome> {
  const { userId, input, now } = args;
  if ('passkey' in input) {
    if (!args.passkey) return { ok: false, reason: 'invalid' };
    const checked = await verifyAssertion(trx, {
      rp: args.passkey.rp,
      userId,
      response: input.passkey,
      purpose: args.passkey.purpose,
      ...(args.passkey.target ? { target: args.passkey.target } : {}),
      now,
    });
    return checked.ok ? { ok: true, method: 'passkey' } : { ok: false, reason: checked.reason };
  }
  if ('recoveryCode' in input) {
    if (!(await hasConfirmedFactor(trx, userId))) return { ok: false, reason: 'notEnrolled' };
    const used = await trx
      .updateTable('user_recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashRecoveryCode(input.recoveryCode))
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return used ? { ok: true, method: 'recoveryCode' } : { ok: false, reason: 'invalid' };
  }
  const row = await trx
    .selectFrom('user_totp')
    .select(['secret_ciphertext', 'last_used_step'])
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'notEnrolled' };
  const checked = await verifyTotp({
    secret: args.box.open(row.secret_ciphertext, userId),
    code: input.totp,
    now,
    afterStep: row.last_used_step,
  });
  if (!checked.valid) return { ok: false, reason: checked.replayed ? 'replayed' : 'invalid' };
  const spent = await trx
    .updateTable('user_totp')
    .set({ last_used_step: checked.step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', checked.step)]))
    .returning('user_id')
    .executeTakeFirst();
  return spent ? { ok: true, method: 'totp' } : { ok: false, reason: 'replayed' };
}

/** What to tell a person whose code or passkey was refused. */
export function secondFactorRefusal(reason: RefusalReason, method?: 'passkey' | 'code'): string {
  if (method === 'passkey') {
    return reason === 'replayed'
      ? 'This passkey answer was already used or has expired (a challenge works once, for five minutes); try the passkey again.'
      : reason === 'wrongTarget'
        ? 'This passkey answer was made for another activation; a step-up is bound to one role or group.'
        : reason === 'notEnrolled'
          ? 'This account has no passkey; register one with POST /api/v1/me/passkeys.'
          : 'The passkey answer could not be verified.';
  }
  return reason === 'replayed'
    ? 'This code was already used; wait for the next code from your authenticator app.'
    : reason === 'notEnrolled'
      ? 'This account has no authenticator app; enrol one with POST /api/v1/me/mfa/totp (elevate mfa enroll).'
      : 'The verification code is incorrect.';
}

/** The refusal wording for what was given. */
export const refusalFor = (input: SecondFactorInput, reason: RefusalReason): string =>
  secondFactorRefusal(reason, 'passkey' in input ? 'passkey' : 'code');
