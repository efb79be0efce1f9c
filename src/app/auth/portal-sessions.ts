import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, Executor } from '../context.js';
import { authAudit } from './auth-audit.js';
import type { VerifiedSignIn } from './password-sign-in.js';

/** A session the portal holds in an HttpOnly cookie; the id and the CSRF token are shown only to its browser. */
export interface StartedSession {
  /** The cookie's value: 256 random bits, stored only as its SHA-256. */
  readonly sessionId: string;
  /** Sent back in the `x-elevate-csrf` header of every state-changing request. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
}

/** A live session, as a request presents it. */
export interface ResolvedSession {
  readonly userId: string;
  readonly amr: readonly string[];
  readonly authTime: Date;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
}

interface PortalSessionDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  /** The tenant key the CSRF tokens are derived from (HKDF, purpose `portal-csrf`). */
  readonly masterKey: Uint8Array;
  /** ELEVATE_SESSION_IDLE_MINUTES: a session unused this long ends. */
  readonly idleMinutes: number;
  /** ELEVATE_SESSION_MAX_HOURS: a session ends this long after sign-in, however busy. */
  readonly maxHours: number;
}

const hashOf = (sessionId: string): string => createHash('sha256').update(sessionId, 'utf8').digest('hex');

/** Last-seen is written at most this often, so a busy portal does not write on every request. */
const touchEverySeconds = 60;

/**
 * Server-side portal sessions with idle and absolute timeouts. The CSRF token of a session is an HMAC of its id
 * under a tenant-derived key: the portal can ask for it again after a reload (`GET /api/auth/session`, readable
 * only from its own origin), and nothing but the hash of the id is stored.
 */
export function createPortalSessionService(deps: PortalSessionDeps) {
  const { db, clock } = deps;
  const csrfKey = Buffer.from(hkdfSync('sha256', deps.masterKey, 'elevate', 'elevate/portal-csrf', 32));
  const csrfTokenFor = (sessionId: string): string =>
    createHmac('sha256', csrfKey).update(sessionId, 'utf8').digest('base64url');
  const idleMs = deps.idleMinutes * 60_000;
  const idleEnd = (lastSeen: Date, expiresAt: Date): Date =>
    new Date(Math.min(lastSeen.getTime() + idleMs, expiresAt.getTime()));

  return {
    idleMinutes: deps.idleMinutes,
    maxHours: deps.maxHours,

    /**
     * Starts a session for a completed sign-in (password and, when enrolled, the second factor; or a single
     * sign-on, whose `authTime` is the provider's: when the person authenticated, not now).
     */
    async start(signIn: VerifiedSignIn & { readonly authTime?: Date }): Promise<StartedSession> {
      const sessionId = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + deps.maxHours * 3_600_000);
      // The user's ended sessions go when a new one starts: the table stays small without a sweeper.
      await db
        .deleteFrom('portal_sessions')
        .where('user_id', '=', signIn.id)
        .where((eb) =>
          eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]),
        )
        .execute();
      await db
        .insertInto('portal_sessions')
        .values({
          id: deps.ids.newId(),
          session_hash: hashOf(sessionId),
          user_id: signIn.id,
          amr: JSON.stringify(signIn.amr),
          auth_time: signIn.authTime ?? now,
          created_at: now,
          last_seen_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return {
        sessionId,
        csrfToken: csrfTokenFor(sessionId),
        expiresAt,
        idleExpiresAt: idleEnd(now, expiresAt),
      };
    },

    /**
     * The live session behind a cookie's value, its last use moved to now; undefined when unknown, idle for
     * longer than the idle timeout, or past its absolute end (an ended session's row is deleted).
     */
    async resolve(sessionId: string): Promise<ResolvedSession | undefined> {
      if (sessionId.length === 0 || sessionId.length > 128) return undefined;
      const row = await db
        .selectFrom('portal_sessions')
        .selectAll()
        .where('session_hash', '=', hashOf(sessionId))
        .executeTakeFirst();
      if (!row) return undefined;
      const now = clock.now();
      if (now >= row.expires_at || now >= idleEnd(row.last_seen_at, row.expires_at)) {
        await db.deleteFrom('portal_sessions').where('id', '=', row.id).execute();
        return undefined;
      }
      let lastSeen = row.last_seen_at;
      if (now.getTime() - lastSeen.getTime() >= touchEverySeconds * 1000) {
        await db.updateTable('portal_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
        lastSeen = now;
      }
      return {
        userId: row.user_id,
        amr: row.amr,
        authTime: row.auth_time,
        csrfToken: csrfTokenFor(sessionId),
        expiresAt: row.expires_at,
        idleExpiresAt: idleEnd(lastSeen, row.expires_at),
      };
    },

    /** Ends a session on the server (sign-out): its cookie no longer works anywhere. Audited. */
    async end(sessionId: string): Promise<boolean> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const ended = await trx
          .deleteFrom('portal_sessions')
          .where('session_hash', '=', hashOf(sessionId))
          .returning('user_id')
          .executeTakeFirst();
        if (!ended) return false;
        const user = await trx
          .selectFrom('users')
          .select(['id', 'display_name', 'user_principal_name'])
          .where('id', '=', ended.user_id)
          .executeTakeFirst();
        if (user) {
          await deps.audit.append(trx, [
            authAudit({
              id: deps.ids.newId(),
              at: now,
              activity: 'User signed out',
              success: true,
              subject: {
                id: user.id,
                displayName: user.display_name,
                type: 'User',
                userPrincipalName: user.user_principal_name,
              },
            }),
          ]);
        }
        return true;
      });
    },
  };
}

export type PortalSessionService = ReturnType<typeof createPortalSessionService>;

/** Ends every portal session of a user but `keepSessionId`'s (a password change); answers how many ended. */
export async function endSessionsOf(trx: Executor, userId: string, keepSessionId?: string): Promise<number> {
  let query = trx.deleteFrom('portal_sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('session_hash', '!=', hashOf(keepSessionId));
  const ended = await query.returning('id').execute();
  return ended.length;
}
