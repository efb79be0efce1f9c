import { ElevateError } from '../../core/errors.js';
import type { Executor } from '../context.js';
import { type AuthSubject, authAudit } from './auth-audit.js';

/** Consecutive failures that lock an account. */
export const failuresBeforeLockout = 5;

/** Each lockout lasts longer than the one before (1, 5, 15, then 60 minutes) until a success clears them. */
const lockoutMinutes = [1, 5, 15, 60] as const;

export const lockoutDuration = (lockouts: number): number =>
  (lockoutMinutes[Math.min(lockouts, lockoutMinutes.length) - 1] ?? 1) * 60_000;

/** When the account may try again, or null when it is not locked at `now`. */
export async function lockedUntil(db: Executor, userId: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('sign_in_throttle')
    .select('locked_until')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.locked_until && row.locked_until.getTime() > now.getTime() ? row.locked_until : null;
}

/**
 * Counts one failure (a wrong password or a wrong, replayed or missing-but-required second factor). The fifth in
 * a row locks the account, each lockout longer than the last; answers the new lock's end when this one locked it.
 */
export async function recordFailure(
  trx: Executor,
  userId: string,
  now: Date,
): Promise<{ lockedUntil: Date | null; lockouts: number }> {
  await trx
    .insertInto('sign_in_throttle')
    .values({ user_id: userId, failed_count: 0, lockouts: 0, locked_until: null, last_failure_at: null })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('sign_in_throttle')
    .select(['failed_count', 'lockouts'])
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const failed = row.failed_count + 1;
  if (failed < failuresBeforeLockout) {
    await trx
      .updateTable('sign_in_throttle')
      .set({ failed_count: failed, last_failure_at: now })
      .where('user_id', '=', userId)
      .execute();
    return { lockedUntil: null, lockouts: row.lockouts };
  }
  const lockouts = row.lockouts + 1;
  const until = new Date(now.getTime() + lockoutDuration(lockouts));
  await trx
    .updateTable('sign_in_throttle')
    .set({ failed_count: 0, lockouts, locked_until: until, last_failure_at: now })
    .where('user_id', '=', userId)
    .execute();
  return { lockedUntil: until, lockouts };
}

/** A full success (password and, when enrolled, the second factor) clears the counter and the lockouts. */
export async function recordSuccess(trx: Executor, userId: string): Promise<void> {
  await trx.deleteFrom('sign_in_throttle').where('user_id', '=', userId).execute();
}

/** 429 with the seconds to wait (Retry-After), worded for the person locked out. */
export function lockedError(until: Date, now: Date): ElevateError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new ElevateError(
    'auth.locked',
    `Too many failed attempts: the account is locked until ${until.toISOString()}; try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
  );
}

/** The audit record of a lockout starting. */
export function lockoutAudit(id: string, at: Date, subject: AuthSubject, until: Date) {
  return authAudit({
    id,
    at,
    activity: 'User account locked',
    success: false,
    reason: 'Too many failed sign-in attempts',
    subject,
    details: [{ key: 'LockedUntil', value: until.toISOString() }],
  });
}
