/**
 * The Graph-shaped resources the client reads, as the server writes them (research §1.3, §1.4, §2.2, §4.1,
 * §7.1). Only the fields clients use are listed; the server may send more.
 */

export type ScheduleKind = 'assignment' | 'eligibility';

export interface GraphCollection<T> {
  readonly value: readonly T[];
  readonly '@odata.nextLink'?: string;
}

export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly mail: string | null;
}

export interface GraphGroup {
  readonly id: string;
  readonly displayName: string;
}

export interface GraphDirectoryObject {
  readonly '@odata.type': string;
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName?: string | null;
}

export interface GraphRoleDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly isBuiltIn: boolean;
}

export interface GraphExpiration {
  readonly type: string;
  readonly endDateTime: string | null;
  readonly duration: string | null;
}

export interface GraphScheduleInfo {
  readonly startDateTime: string | null;
  readonly expiration: GraphExpiration;
}

export interface GraphScheduleRequest {
  readonly id: string;
  readonly status: string;
  readonly action: string;
  readonly createdDateTime: string;
  readonly completedDateTime: string | null;
  readonly approvalId: string | null;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly directoryScopeId: string;
  readonly isValidationOnly: boolean;
  readonly targetScheduleId: string | null;
  readonly justification: string | null;
  readonly scheduleInfo: GraphScheduleInfo | null;
  readonly ticketInfo: { readonly ticketNumber: string | null; readonly ticketSystem: string | null };
  readonly createdBy: { readonly user: { readonly id: string } | null };
  /** With `$expand=principal`. */
  readonly principal?: GraphDirectoryObject | null;
}

/** What POST …ScheduleRequests takes (the nine actions share one body). */
export interface ScheduleRequestBody {
  readonly action: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly directoryScopeId: string;
  readonly justification?: string;
  readonly scheduleInfo?: {
    readonly startDateTime?: string;
    readonly expiration?: {
      readonly type: string;
      readonly endDateTime?: string;
      readonly duration?: string;
    };
  };
  readonly ticketInfo?: { readonly ticketNumber?: string; readonly ticketSystem?: string };
  readonly isValidationOnly?: boolean;
}

export interface GraphSchedule {
  readonly id: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly directoryScopeId: string;
  readonly status: string;
  readonly scheduleInfo: GraphScheduleInfo;
}

export interface GraphScheduleInstance {
  readonly id: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly directoryScopeId: string;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
  readonly memberType: string;
  /** Assignment instances only: `Assigned` or `Activated`. */
  readonly assignmentType?: string;
  /** The schedule the instance comes from (its principal is the group when `memberType` is `Group`). */
  readonly roleAssignmentScheduleId?: string;
  readonly roleEligibilityScheduleId?: string;
}

export interface GraphApprovalStep {
  readonly id: string;
  readonly status: string;
  readonly reviewResult: string;
  readonly assignedToMe: boolean;
  readonly justification: string | null;
  readonly reviewedDateTime: string | null;
  readonly reviewedBy: { readonly id: string } | null;
}

export interface GraphApproval {
  readonly id: string;
  readonly steps: readonly GraphApprovalStep[];
}

/** A rule in Graph's spelling; `@odata.type` names the derived type. */
export type GraphPolicyRule = { readonly '@odata.type': string; readonly id: string } & Readonly<
  Record<string, unknown>
>;

export interface GraphPolicy {
  readonly id: string;
  readonly scopeId: string;
  readonly scopeType: string;
  readonly lastModifiedDateTime: string | null;
  readonly lastModifiedBy: { readonly displayName: string | null; readonly id: string | null } | null;
  readonly rules?: readonly GraphPolicyRule[];
}

export interface GraphPolicyAssignment {
  readonly id: string;
  readonly policyId: string;
  readonly scopeId: string;
  readonly scopeType: string;
  readonly roleDefinitionId: string;
}

export interface GraphDirectoryAudit {
  readonly id: string;
  readonly activityDateTime: string;
  readonly activityDisplayName: string;
  readonly category: string;
  readonly operationType: string;
  readonly result: string;
  readonly resultReason: string | null;
  readonly loggedByService: string;
  readonly correlationId: string | null;
  readonly initiatedBy: {
    readonly user?: {
      readonly id: string;
      readonly displayName: string | null;
      readonly userPrincipalName: string | null;
    } | null;
    readonly app?: { readonly appId: string | null; readonly displayName: string | null } | null;
  };
  readonly targetResources: readonly {
    readonly id: string;
    readonly displayName: string | null;
    readonly type: string;
    readonly userPrincipalName?: string | null;
  }[];
}

/** PIM for Groups: a group's membership (`member`) or ownership (`owner`), Graph's `accessId`. */
export type GroupAccessId = 'member' | 'owner';

/** What POST …/privilegedAccess/group/{kind}ScheduleRequests takes. */
export interface GroupScheduleRequestBody {
  readonly action: string;
  readonly accessId: GroupAccessId;
  readonly principalId: string;
  readonly groupId: string;
  readonly justification?: string;
  readonly scheduleInfo?: ScheduleRequestBody['scheduleInfo'];
  readonly ticketInfo?: ScheduleRequestBody['ticketInfo'];
  readonly isValidationOnly?: boolean;
}

export interface GraphGroupScheduleRequest {
  readonly id: string;
  readonly status: string;
  readonly action: string;
  readonly accessId: GroupAccessId;
  readonly groupId: string;
  readonly principalId: string;
  readonly approvalId: string | null;
  readonly isValidationOnly: boolean;
  readonly targetScheduleId: string | null;
  readonly scheduleInfo: GraphScheduleInfo | null;
  readonly createdDateTime: string;
  readonly completedDateTime: string | null;
  readonly justification: string | null;
  readonly ticketInfo: { readonly ticketNumber: string | null; readonly ticketSystem: string | null };
  readonly createdBy: { readonly user: { readonly id: string } | null };
  /** With `$expand=principal`. */
  readonly principal?: GraphDirectoryObject | null;
  /** With `$expand=group`. */
  readonly group?: GraphDirectoryObject | null;
}

/** A group membership or ownership in effect now (`memberType` `direct` or `group`, lower case as in Graph). */
export interface GraphGroupScheduleInstance {
  readonly id: string;
  readonly accessId: GroupAccessId;
  readonly groupId: string;
  readonly principalId: string;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
  readonly memberType: string;
  /** Assignment instances only: `assigned` or `activated`. */
  readonly assignmentType?: string;
  /** With `$expand=group`. */
  readonly group?: GraphGroup | null;
}

/** One page of a Graph list: its items, the link to the next page (on this server) and `@odata.count` when asked. */
export interface GraphPage<T> {
  readonly items: readonly T[];
  readonly nextLink: string | null;
  readonly count: number | null;
}
