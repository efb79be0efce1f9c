/**
 * One audit record as Elevate writes it: the fields of Graph's `directoryAudit` (research §7.1) in the
 * domain's spelling. Rows (`audit_log`) and the wire shape are mapped at their own edges.
 */

export const auditCategories = [
  'RoleManagement',
  'GroupManagement',
  'ResourceManagement',
  'UserManagement',
  'ApplicationManagement',
  'DirectoryManagement',
  'Authentication',
] as const;
export type AuditCategory = (typeof auditCategories)[number];

export const auditOperationTypes = ['Add', 'Assign', 'Update', 'Unassign', 'Delete', 'Other'] as const;
export type AuditOperationType = (typeof auditOperationTypes)[number];

export type AuditResult = 'success' | 'failure';

/** 'PIM' for PIM activity, 'Core Directory' for directory CRUD, 'Authentication' for sign-in (research §7.1). */
export const auditServices = ['PIM', 'Core Directory', 'Authentication'] as const;
export type AuditService = (typeof auditServices)[number];

export interface AuditUserIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string | null;
}

export interface AuditAppIdentity {
  readonly appId: string;
  readonly displayName: string;
  readonly servicePrincipalId: string;
}

/** Who did it: a user, an app (service principal), or the system as the user "Elevate PIM". */
export interface AuditInitiator {
  readonly user?: AuditUserIdentity;
  readonly app?: AuditAppIdentity;
}

export const auditTargetTypes = [
  'Role',
  'User',
  'Group',
  'ServicePrincipal',
  'Policy',
  'Request',
  'Other',
] as const;
export type AuditTargetType = (typeof auditTargetTypes)[number];

export interface AuditModifiedProperty {
  readonly displayName: string;
  readonly oldValue: string | null;
  readonly newValue: string | null;
}

export interface AuditTargetResource {
  readonly id: string;
  readonly displayName: string;
  readonly type: AuditTargetType;
  readonly userPrincipalName?: string;
  readonly modifiedProperties: readonly AuditModifiedProperty[];
}

/** Graph's keyValue: RequestId, Justification, StartTime, ExpirationTime, TicketNumber, TicketSystem, … */
export interface AuditDetail {
  readonly key: string;
  readonly value: string;
}

export interface AuditRecord {
  /** A UUID, lower-case (the column is `uuid`; the hash is computed over what the database gives back). */
  readonly id: string;
  readonly activityDateTime: Date;
  readonly category: AuditCategory;
  readonly activityDisplayName: string;
  readonly operationType: AuditOperationType;
  readonly result: AuditResult;
  readonly resultReason: string | null;
  readonly loggedByService: AuditService;
  /** A UUID (lower-case) linking the records of one operation, e.g. the request id. */
  readonly correlationId: string | null;
  readonly initiatedBy: AuditInitiator;
  readonly targetResources: readonly AuditTargetResource[];
  readonly additionalDetails: readonly AuditDetail[];
}

/** A record once chained: its place in the log and the hashes that make tampering evident. */
export type AuditEntry = AuditRecord & {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
};

/** The fixed id of the system actor, Elevate's counterpart of Entra's "Azure AD PIM" (research §7.3). */
export const SYSTEM_ACTOR_ID = '00000000-0000-0000-0000-000000000001';
export const SYSTEM_ACTOR_DISPLAY_NAME = 'Elevate PIM';

/** `initiatedBy` for actions Elevate takes by itself: expiry, approval time-outs, reconciliation. */
export const systemInitiator: AuditInitiator = Object.freeze({
  user: Object.freeze({
    id: SYSTEM_ACTOR_ID,
    displayName: SYSTEM_ACTOR_DISPLAY_NAME,
    userPrincipalName: null,
  }),
});
