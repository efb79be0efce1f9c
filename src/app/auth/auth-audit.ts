import type { AuditCategory, AuditDetail, AuditRecord } from '../../core/audit/audit-record.js';
import type { Actor } from '../../core/model/principal.js';
import { auditInitiator } from '../shared/audit-initiator.js';

/** The account an authentication event is about. */
export interface AuthSubject {
  readonly id: string;
  readonly displayName: string;
  readonly type: 'User' | 'ServicePrincipal';
  readonly userPrincipalName?: string | null;
}

/**
 * An audit record of sign-in, step-up, factor or token activity, logged by the Authentication service. It names
 * methods and outcomes only: never a password, code, seed or token (reliability T13).
 */
export function authAudit(e: {
  id: string;
  at: Date;
  activity: string;
  success: boolean;
  reason?: string | null;
  /** Who acted; the subject itself when absent (a sign-in). */
  actor?: Actor;
  actorUpn?: string | null;
  appId?: string;
  subject: AuthSubject;
  details?: readonly AuditDetail[];
  correlationId?: string | null;
  category?: AuditCategory;
}): AuditRecord {
  const actor: Actor = e.actor ?? {
    id: e.subject.id,
    type: e.subject.type === 'User' ? 'user' : 'servicePrincipal',
    displayName: e.subject.displayName,
    roleIds: new Set(),
    mfa: false,
  };
  const actorUpn = e.actor ? (e.actorUpn ?? null) : (e.subject.userPrincipalName ?? null);
  return {
    id: e.id,
    activityDateTime: e.at,
    category: e.category ?? 'Authentication',
    activityDisplayName: e.activity,
    operationType: 'Other',
    result: e.success ? 'success' : 'failure',
    resultReason: e.reason ?? null,
    loggedByService: 'Authentication',
    correlationId: e.correlationId ?? null,
    initiatedBy: auditInitiator(actor, {
      userPrincipalName: actorUpn,
      ...(e.appId !== undefined ? { appId: e.appId } : {}),
    }),
    targetResources: [
      {
        id: e.subject.id,
        displayName: e.subject.displayName,
        type: e.subject.type,
        ...(e.subject.userPrincipalName ? { userPrincipalName: e.subject.userPrincipalName } : {}),
        modifiedProperties: [],
      },
    ],
    additionalDetails: e.details ?? [],
  };
}
