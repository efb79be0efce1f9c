import type { AuditInitiator } from '../../core/audit/audit-record.js';
import type { Actor } from '../../core/model/principal.js';

/** Graph's `initiatedBy` for an actor: users as `user`, service principals as `app`, the scheduler as "Elevate PIM". */
export function auditInitiator(
  actor: Actor,
  extra: { userPrincipalName?: string | null; appId?: string } = {},
): AuditInitiator {
  if (actor.type === 'user' || actor.isSystem) {
    return {
      user: {
        id: actor.id,
        displayName: actor.displayName,
        userPrincipalName: extra.userPrincipalName ?? null,
      },
    };
  }
  return {
    app: { appId: extra.appId ?? actor.id, displayName: actor.displayName, servicePrincipalId: actor.id },
  };
}
