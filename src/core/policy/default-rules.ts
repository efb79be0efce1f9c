import type {
  ApprovalRule,
  AuthenticationContextRule,
  EnablementFeature,
  EnablementRule,
  ExpirationRule,
  NotificationRule,
  PolicyRuleId,
  PolicyRules,
} from '../model/policy.js';
import { defaultTargetOf, recipientTypeOf } from './rule-ids.js';

const expiration = (
  id: PolicyRuleId,
  isExpirationRequired: boolean,
  maximumDuration: string,
): ExpirationRule => ({
  type: 'expiration',
  id,
  target: defaultTargetOf(id),
  isExpirationRequired,
  maximumDuration,
});

const enablement = (id: PolicyRuleId, enabledRules: EnablementFeature[]): EnablementRule => ({
  type: 'enablement',
  id,
  target: defaultTargetOf(id),
  enabledRules,
});

const notification = (id: PolicyRuleId): NotificationRule => ({
  type: 'notification',
  id,
  target: defaultTargetOf(id),
  notificationType: 'Email',
  recipientType: recipientTypeOf(id)!,
  notificationLevel: 'All',
  isDefaultRecipientsEnabled: true,
  notificationRecipients: [],
});

const authenticationContext = (): AuthenticationContextRule => ({
  type: 'authenticationContext',
  id: 'AuthenticationContext_EndUser_Assignment',
  target: defaultTargetOf('AuthenticationContext_EndUser_Assignment'),
  isEnabled: false,
  claimValue: null,
});

// Approval is off, but Entra still returns one (empty) stage with the 1-day timeout (research §2.5).
const approval = (): ApprovalRule => ({
  type: 'approval',
  id: 'Approval_EndUser_Assignment',
  target: defaultTargetOf('Approval_EndUser_Assignment'),
  setting: {
    isApprovalRequired: false,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: true,
    approvalMode: 'SingleStage',
    approvalStages: [
      {
        approvalStageTimeOutInDays: 1,
        isApproverJustificationRequired: true,
        escalationTimeInMinutes: 0,
        isEscalationEnabled: false,
        primaryApprovers: [],
        escalationApprovers: [],
      },
    ],
  },
});

const notifications = () => ({
  Notification_Admin_Admin_Eligibility: notification('Notification_Admin_Admin_Eligibility'),
  Notification_Requestor_Admin_Eligibility: notification('Notification_Requestor_Admin_Eligibility'),
  Notification_Approver_Admin_Eligibility: notification('Notification_Approver_Admin_Eligibility'),
  Notification_Admin_Admin_Assignment: notification('Notification_Admin_Admin_Assignment'),
  Notification_Requestor_Admin_Assignment: notification('Notification_Requestor_Admin_Assignment'),
  Notification_Approver_Admin_Assignment: notification('Notification_Approver_Admin_Assignment'),
  Notification_Admin_EndUser_Assignment: notification('Notification_Admin_EndUser_Assignment'),
  Notification_Requestor_EndUser_Assignment: notification('Notification_Requestor_EndUser_Assignment'),
  Notification_Approver_EndUser_Assignment: notification('Notification_Approver_EndUser_Assignment'),
});

/**
 * Entra's settings for a directory role nobody has touched (research §2.5, from the Global Administrator
 * sample): activation up to 8 hours with MFA and justification, no approval, permanent eligible and active
 * assignments allowed (1 year / 180 days when they expire), justification on active assignment, every
 * notification on to the default recipients. Microsoft does not state these defaults outright.
 */
export function defaultDirectoryRoleRules(): PolicyRules {
  return {
    Expiration_EndUser_Assignment: expiration('Expiration_EndUser_Assignment', true, 'PT8H'),
    Enablement_EndUser_Assignment: enablement('Enablement_EndUser_Assignment', [
      'MultiFactorAuthentication',
      'Justification',
    ]),
    AuthenticationContext_EndUser_Assignment: authenticationContext(),
    Approval_EndUser_Assignment: approval(),
    Expiration_Admin_Eligibility: expiration('Expiration_Admin_Eligibility', false, 'P365D'),
    Enablement_Admin_Eligibility: enablement('Enablement_Admin_Eligibility', []),
    Expiration_Admin_Assignment: expiration('Expiration_Admin_Assignment', false, 'P180D'),
    Enablement_Admin_Assignment: enablement('Enablement_Admin_Assignment', ['Justification']),
    ...notifications(),
  };
}

/**
 * Entra's settings for a PIM-for-Groups membership or ownership (research §2.5, group owner sample):
 * the directory-role defaults except that eligible (1 year) and active (180 days) assignments must expire
 * and activation asks for justification only. Microsoft publishes only the owner sample; D-grp's "no
 * permanent active membership and ownership, six months at most" covers both, so `accessId` (taken so
 * callers need not branch) does not change the result.
 */
export function defaultGroupRules(_accessId: 'member' | 'owner'): PolicyRules {
  return {
    ...defaultDirectoryRoleRules(),
    Expiration_Admin_Eligibility: expiration('Expiration_Admin_Eligibility', true, 'P365D'),
    Expiration_Admin_Assignment: expiration('Expiration_Admin_Assignment', true, 'P180D'),
    Enablement_EndUser_Assignment: enablement('Enablement_EndUser_Assignment', ['Justification']),
  };
}

/**
 * Settings for an Azure resource role at a scope nobody has touched. Microsoft publishes no defaults for ARM
 * policies (research §2.5: the ARM samples' values are examples), so Elevate takes Entra's role defaults —
 * activation up to 8 hours with MFA and justification, justification on active assignment, no approval — with
 * the expiry rules Azure resource PIM applies by default, as for groups: eligible assignments expire within a
 * year and active ones within six months (no permanent assignments). Settings are per role and per scope and
 * are not inherited from a scope above (Azure: "role settings configured on a higher level … are not inherited").
 */
export function defaultResourceRoleRules(): PolicyRules {
  return {
    ...defaultDirectoryRoleRules(),
    Expiration_Admin_Eligibility: expiration('Expiration_Admin_Eligibility', true, 'P365D'),
    Expiration_Admin_Assignment: expiration('Expiration_Admin_Assignment', true, 'P180D'),
  };
}
