import { ElevateError, notFound } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { authAudit } from './auth-audit.js';
import { isPrivileged, requireResetRight } from './mfa-service.js';

/** A provider's subject linked to a user at their first single sign-on. */
export interface IdentityLink {
  readonly issuer: string;
  readonly subject: string;
  readonly createdDateTime: Date;
  readonly lastSignInDateTime: Date;
}

interface IdentityLinkDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
}

/**
 * The identity-provider subjects linked to a user, and an administrator unlinking one (the person's account at
 * the provider was replaced, or linked to the wrong user): the next single sign-on matches by the configured
 * claim again. The same administrators who may reset a user's factors may do it; audited.
 */
export function createIdentityLinkService(deps: IdentityLinkDeps) {
  const { db, clock, ids, audit } = deps;

  async function target(ctx: CallContext, userId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) throw notFound('User', userId);
    const u = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name', 'is_emergency_access'])
      .where('id', '=', userId.toLowerCase())
      .executeTakeFirst();
    if (!u) throw notFound('User', userId);
    requireResetRight(ctx.actor, await isPrivileged(db, { id: u.id, isEmergency: u.is_emergency_access }));
    return {
      id: u.id,
      displayName: u.display_name,
      type: 'User' as const,
      userPrincipalName: u.user_principal_name,
    };
  }

  return {
    /** The subjects linked to a user. */
    async list(ctx: CallContext, userId: string): Promise<IdentityLink[]> {
      const user = await target(ctx, userId);
      const rows = await db
        .selectFrom('user_identities')
        .selectAll()
        .where('user_id', '=', user.id)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        issuer: r.issuer,
        subject: r.subject,
        createdDateTime: r.created_at,
        lastSignInDateTime: r.last_sign_in_at,
      }));
    },

    /** Unlinks the user's subject at `issuer`; audited. */
    async unlink(ctx: CallContext, userId: string, issuer: string): Promise<void> {
      const user = await target(ctx, userId);
      await db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('user_identities')
          .where('user_id', '=', user.id)
          .where('issuer', '=', issuer)
          .returning('subject')
          .executeTakeFirst();
        if (!removed) {
          throw new ElevateError('resource.not_found', `The user has no identity linked at '${issuer}'.`, {
            target: issuer,
          });
        }
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: clock.now(),
            activity: 'Admin unlinked identity provider account',
            success: true,
            actor: ctx.actor,
            subject: user,
            details: [
              { key: 'Issuer', value: issuer },
              { key: 'Subject', value: removed.subject },
            ],
            correlationId: ctx.requestId,
            category: 'UserManagement',
          }),
        ]);
      });
    },
  };
}

export type IdentityLinkService = ReturnType<typeof createIdentityLinkService>;
