import type { Executor } from '../context.js';
import { hashRecoveryCode } from './recovery-codes.js';
import type { SecretBox } from './secret-box.js';
import { verifyTotp } from './totp.js';

/** What a person typed as their second factor. */
export type SecondFactorInput = { readonly totp: string } | { readonly recoveryCode: string };

export type SecondFactorOutcome =
  | { readonly ok: true; readonly method: 'totp' | 'recoveryCode' }
  | { readonly ok: false; readonly reason: 'invalid' | 'replayed' | 'notEnrolled' };

/** The AMR value (RFC 8176) a second factor adds to a token. */
export const amrOf = (method: 'totp' | 'recoveryCode'): string => (method === 'totp' ? 'otp' : 'kba');

/** Whether the user has a confirmed authenticator, so sign-in must ask for it. */
export async function hasConfirmedFactor(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_totp')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Checks a TOTP code or a recovery code in the caller's transaction and spends it: the code's time step
 * becomes the last used one (compare-and-set, so two concurrent uses of one code cannot both pass), or the
 * recovery code is marked used. A code is accepted once, never again.
 */
export async function verifySecondFactor(
  trx: Executor,
  args: { userId: string; input: SecondFactorInput; now: Date; box: SecretBox },
): Promise<SecondFactorOutcome> {
  const { userId, input, now } = args;
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

/** What to tell a person whose code was refused. */
export const secondFactorRefusal = (reason: 'invalid' | 'replayed' | 'notEnrolled'): string =>
  reason === 'replayed'
    ? 'This code was already used; wait for the next code from your authenticator app.'
    : reason === 'notEnrolled'
      ? 'This account has no authenticator app; enrol one with POST /api/v1/me/mfa/totp (elevate mfa enroll).'
      : 'The verification code is incorrect.';
