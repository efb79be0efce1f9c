import type { AuditDetail } from '../../core/audit/audit-record.js';
import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import { systemActor } from '../context.js';
import { directoryAudit } from '../directory/directory-audit.js';
import type { OidcAuthentication } from '../ports/oidc-provider.js';
import { authAudit } from './auth-audit.js';
import { type OidcMatchClaim, resolveOidcUser } from './oidc-identities.js';

/** What an OIDC sign-in puts into Elevate's access token: the provider's own account of the authentication. */
export interface FederatedSubject {
  readonly id: string;
  readonly type: 'user';
  readonly amr: readonly string[];
  readonly authTime: Date | null;
  readonly acr: string | null;
  readonly idp: string;
}

interface OidcSignInDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly matchClaim: OidcMatchClaim;
  readonly createUsers: boolean;
}

/**
 * Completes a single sign-on (its callback, after the provider's answer was validated): resolves the user
 * (oidc-identities.ts, creating one when configured), refuses a disabled account and an emergency-access account
 * (those sign in locally only, so a compromised provider cannot use them and they keep working when it is down),
 * audits, and hands the subject with the provider's `amr`, `auth_time` and `acr` to `issue`: an access token
 * (API clients, the CLI) or a portal session.
 */
export async function completeOidcSignIn<Grant>(
  deps: OidcSignInDeps,
  auth: OidcAuthentication,
  issue: (subject: FederatedSubject) => Promise<Grant>,
): Promise<Grant> {
  const { db, clock, ids } = deps;
  const now = clock.now();
  const methods: AuditDetail[] = [
    { key: 'AuthenticationMethods', value: 'Identity provider (OIDC)' },
    { key: 'IdentityProvider', value: auth.issuer },
    ...(auth.amr.length ? [{ key: 'AuthenticationMethodsReferences', value: auth.amr.join(', ') }] : []),
    ...(auth.acr ? [{ key: 'AuthenticationContext', value: auth.acr }] : []),
  ];
  const outcome = await db.transaction().execute(async (trx) => {
    const resolved = await resolveOidcUser(trx, {
      auth,
      matchClaim: deps.matchClaim,
      createUsers: deps.createUsers,
      now,
      newId: () => ids.newId(),
    });
    if (resolved.kind === 'refused' && !resolved.user)
      return { ok: false as const, message: resolved.message };
    const user = resolved.user!;
    const subject = {
      id: user.id,
      displayName: user.displayName,
      type: 'User' as const,
      userPrincipalName: user.userPrincipalName,
    };
    const record = (success: boolean, reason: string | null) =>
      authAudit({
        id: ids.newId(),
        at: now,
        activity: user.isEmergencyAccess
          ? success
            ? 'Emergency access account signed in'
            : 'Emergency access account sign-in failed'
          : success
            ? 'User signed in'
            : 'User sign-in failed',
        success,
        reason,
        subject,
        details: methods,
      });
    const refusal =
      resolved.kind === 'refused'
        ? { reason: 'Identity already linked to another subject', message: resolved.message }
        : !user.accountEnabled
          ? { reason: 'Account disabled', message: 'Your Elevate account is disabled.' }
          : user.isEmergencyAccess
            ? {
                reason: 'Emergency access accounts sign in locally only',
                message:
                  'An emergency-access account signs in with its local password only (POST /api/auth/token), never through the identity provider.',
              }
            : null;
    if (refusal) {
      await deps.audit.append(trx, [record(false, refusal.reason)]);
      return { ok: false as const, message: refusal.message };
    }
    await deps.audit.append(trx, [
      ...(resolved.kind === 'user' && resolved.created
        ? [
            directoryAudit(
              { actor: systemActor, requestId: ids.newId() },
              {
                id: ids.newId(),
                at: now,
                activity: 'Add user',
                operationType: 'Add',
                target: {
                  id: user.id,
                  displayName: user.displayName,
                  type: 'User',
                  userPrincipalName: user.userPrincipalName,
                },
              },
            ),
          ]
        : []),
      record(true, null),
    ]);
    return { ok: true as const, userId: user.id };
  });
  if (!outcome.ok) throw new ElevateError('auth.forbidden', outcome.message);
  return issue({
    id: outcome.userId,
    type: 'user',
    amr: auth.amr,
    authTime: auth.authTime,
    acr: auth.acr,
    idp: auth.issuer,
  });
}
