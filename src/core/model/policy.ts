import type { TargetKind } from './schedule.js';

/** The 17 rule ids of a role-management policy, as Graph names them (research §2.4). */
export const policyRuleIds = [
  'Expiration_EndUser_Assignment',
  'Enablement_EndUser_Assignment',
  'AuthenticationContext_EndUser_Assignment',
  'Approval_EndUser_Assignment',
  'Expiration_Admin_Eligibility',
  'Enablement_Admin_Eligibility',
  'Expiration_Admin_Assignment',
  'Enablement_Admin_Assignment',
  'Notification_Admin_Admin_Eligibility',
  'Notification_Requestor_Admin_Eligibility',
  'Notification_Approver_Admin_Eligibility',
  'Notification_Admin_Admin_Assignment',
  'Notification_Requestor_Admin_Assignment',
  'Notification_Approver_Admin_Assignment',
  'Notification_Admin_EndUser_Assignment',
  'Notification_Requestor_EndUser_Assignment',
  'Notification_Approver_EndUser_Assignment',
] as const;
export type PolicyRuleId = (typeof policyRuleIds)[number];

export type RuleCaller = 'None' | 'Admin' | 'EndUser';
export type RuleLevel = 'Eligibility' | 'Assignment';

export interface RuleTarget {
  readonly caller: RuleCaller;
  readonly level: RuleLevel;
  readonly operations: readonly string[];
  readonly inheritableSettings: readonly string[];
  readonly enforcedSettings: readonly string[];
}

export interface ExpirationRule {
  readonly type: 'expiration';
  readonly id: PolicyRuleId;
  readonly target: RuleTarget;
  readonly isExpirationRequired: boolean;
  /** ISO 8601 duration. */
  readonly maximumDuration: string;
}

export type EnablementFeature = 'MultiFactorAuthentication' | 'Justification' | 'Ticketing';

export interface EnablementRule {
  readonly type: 'enablement';
  readonly id: PolicyRuleId;
  readonly target: RuleTarget;
  readonly enabledRules: readonly EnablementFeature[];
}

export interface AuthenticationContextRule {
  readonly type: 'authenticationContext';
  readonly id: PolicyRuleId;
  readonly target: RuleTarget;
  readonly isEnabled: boolean;
  readonly claimValue: string | null;
}

export type ApproverSubject =
  | { readonly kind: 'singleUser'; readonly userId: string; readonly description: string | null }
  | { readonly kind: 'groupMembers'; readonly groupId: string; readonly description: string | null };

export interface ApprovalStage {
  readonly approvalStageTimeOutInDays: number;
  readonly isApproverJustificationRequired: boolean;
  readonly escalationTimeInMinutes: number;
  readonly isEscalationEnabled: boolean;
  readonly primaryApprovers: readonly ApproverSubject[];
  readonly escalationApprovers: readonly ApproverSubject[];
}

export interface ApprovalRule {
  readonly type: 'approval';
  readonly id: PolicyRuleId;
  readonly target: RuleTarget;
  readonly setting: {
    readonly isApprovalRequired: boolean;
    readonly isApprovalRequiredForExtension: boolean;
    readonly isRequestorJustificationRequired: boolean;
    readonly approvalMode: 'SingleStage' | 'Serial' | 'Parallel' | 'NoApproval';
    readonly approvalStages: readonly ApprovalStage[];
  };
}

export interface NotificationRule {
  readonly type: 'notification';
  readonly id: PolicyRuleId;
  readonly target: RuleTarget;
  readonly notificationType: 'Email';
  readonly recipientType: 'Requestor' | 'Approver' | 'Admin';
  readonly notificationLevel: 'None' | 'Critical' | 'All';
  readonly isDefaultRecipientsEnabled: boolean;
  readonly notificationRecipients: readonly string[];
}

export type PolicyRule =
  | ExpirationRule
  | EnablementRule
  | AuthenticationContextRule
  | ApprovalRule
  | NotificationRule;

/** The rules of one target, typed by id so evaluators read them without searching. */
export interface PolicyRules {
  readonly Expiration_EndUser_Assignment: ExpirationRule;
  readonly Enablement_EndUser_Assignment: EnablementRule;
  readonly AuthenticationContext_EndUser_Assignment: AuthenticationContextRule;
  readonly Approval_EndUser_Assignment: ApprovalRule;
  readonly Expiration_Admin_Eligibility: ExpirationRule;
  readonly Enablement_Admin_Eligibility: EnablementRule;
  readonly Expiration_Admin_Assignment: ExpirationRule;
  readonly Enablement_Admin_Assignment: EnablementRule;
  readonly Notification_Admin_Admin_Eligibility: NotificationRule;
  readonly Notification_Requestor_Admin_Eligibility: NotificationRule;
  readonly Notification_Approver_Admin_Eligibility: NotificationRule;
  readonly Notification_Admin_Admin_Assignment: NotificationRule;
  readonly Notification_Requestor_Admin_Assignment: NotificationRule;
  readonly Notification_Approver_Admin_Assignment: NotificationRule;
  readonly Notification_Admin_EndUser_Assignment: NotificationRule;
  readonly Notification_Requestor_EndUser_Assignment: NotificationRule;
  readonly Notification_Approver_EndUser_Assignment: NotificationRule;
}

/**
 * Graph's scopeType of a policy: `DirectoryRole` for directory roles, `Group` for PIM for Groups; `Resource` (no
 * Graph counterpart) for an Azure resource role's policy, served on the ARM surface.
 */
export type PolicyScopeType = 'DirectoryRole' | 'Group' | 'Resource';

/**
 * One policy per target: (role definition, directory scope), or (`member` | `owner`, group) with scopeType
 * `Group` and the group's id as scopeId (research §2.2), or (Azure role, ARM scope) with scopeType `Resource`.
 */
export interface RoleManagementPolicy {
  readonly id: string;
  readonly targetKind: TargetKind;
  readonly scopeId: string;
  readonly scopeType: PolicyScopeType;
  readonly roleDefinitionId: string;
  readonly rules: PolicyRules;
  readonly lastModifiedAt: Date | null;
  readonly lastModifiedBy: { readonly id: string; readonly displayName: string } | null;
}
