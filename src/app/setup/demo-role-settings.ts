import { azureRoleIds } from '../../core/catalog/azure-roles.js';
import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import type { ApproverSubject, NotificationRule, PolicyRules } from '../../core/model/policy.js';
import type { GroupAccessId } from '../../core/model/schedule.js';

type Change = (r: PolicyRules) => PolicyRules;

const notificationIds = [
  'Notification_Admin_EndUser_Assignment',
  'Notification_Requestor_EndUser_Assignment',
  'Notification_Approver_EndUser_Assignment',
] as const;

const notifications = (r: PolicyRules, level: NotificationRule['notificationLevel']): Partial<PolicyRules> =>
  Object.fromEntries(notificationIds.map((id) => [id, { ...r[id], notificationLevel: level }]));

/** Single-stage approval by any one of `approvers` (each is asked; the first decision wins). */
const approvalBy = (r: PolicyRules, approvers: readonly ApproverSubject[]): Partial<PolicyRules> => ({
  Approval_EndUser_Assignment: {
    ...r.Approval_EndUser_Assignment,
    setting: {
      ...r.Approval_EndUser_Assignment.setting,
      isApprovalRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [
        { ...r.Approval_EndUser_Assignment.setting.approvalStages[0]!, primaryApprovers: approvers },
      ],
    },
  },
});

/** A demo person named as an approver. */
export const demoApprover = (userId: string, description: string): ApproverSubject => ({
  kind: 'singleUser',
  userId,
  description,
});

const activation = (
  r: PolicyRules,
  s: { maximum: string; mfa: boolean; ticket: boolean; authContext: boolean; eligibleMaximum: string | null },
): Partial<PolicyRules> => ({
  Expiration_EndUser_Assignment: { ...r.Expiration_EndUser_Assignment, maximumDuration: s.maximum },
  Enablement_EndUser_Assignment: {
    ...r.Enablement_EndUser_Assignment,
    enabledRules: [
      ...(s.mfa ? (['MultiFactorAuthentication'] as const) : []),
      'Justification',
      ...(s.ticket ? (['Ticketing'] as const) : []),
    ],
  },
  AuthenticationContext_EndUser_Assignment: {
    ...r.AuthenticationContext_EndUser_Assignment,
    isEnabled: s.authContext,
    claimValue: s.authContext ? 'c1' : null,
  },
  Expiration_Admin_Eligibility: {
    ...r.Expiration_Admin_Eligibility,
    isExpirationRequired: s.eligibleMaximum !== null,
    maximumDuration: s.eligibleMaximum ?? r.Expiration_Admin_Eligibility.maximumDuration,
  },
});

/**
 * The role-settings table of the seed guide (000): Global Administrator, Exchange Administrator and Helpdesk
 * Administrator, plus the settings the demo's other eligible roles need so each person can activate something.
 */
export function demoRoleSettings(args: { approverId: string }): [string, Change][] {
  return [
    [
      roles.globalAdministrator,
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT1H',
          mfa: true,
          ticket: true,
          authContext: true,
          eligibleMaximum: null,
        }),
        ...notifications(r, 'All'),
        ...approvalBy(r, [demoApprover(args.approverId, 'Grace (Global Administrator)')]),
      }),
    ],
    [
      roles.exchangeAdministrator,
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT2H',
          mfa: true,
          ticket: false,
          authContext: true,
          eligibleMaximum: 'P180D',
        }),
        ...notifications(r, 'All'),
      }),
    ],
    [
      roles.helpdeskAdministrator,
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT8H',
          mfa: false,
          ticket: true,
          authContext: false,
          eligibleMaximum: 'P180D',
        }),
        ...notifications(r, 'None'),
      }),
    ],
    [
      roles.passwordAdministrator,
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT4H',
          mfa: false,
          ticket: true,
          authContext: false,
          eligibleMaximum: 'P180D',
        }),
      }),
    ],
    [
      roles.applicationAdministrator,
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT4H',
          mfa: false,
          ticket: false,
          authContext: false,
          eligibleMaximum: 'P180D',
        }),
      }),
    ],
  ];
}

/**
 * The seed guide's Owner row: MFA, authentication context, notifications, ticket, approval by another owner
 * (`approverId`), one hour, eligible for three months; every activation also needs a justification.
 */
function ownerRow(r: PolicyRules, approverId: string, description: string): PolicyRules {
  return {
    ...r,
    ...activation(r, {
      maximum: 'PT1H',
      mfa: true,
      ticket: true,
      authContext: true,
      eligibleMaximum: 'P90D',
    }),
    ...notifications(r, 'All'),
    ...approvalBy(r, [demoApprover(approverId, description)]),
  };
}

/**
 * Resource-role settings of the demo tree: the seed guide's Owner row on Owner at the management group (approved
 * by Grace, the other owner there), and Contributor on the development subscription with a justification only
 * (no MFA, four hours, eligible for six months) so a resource role can be activated end to end with a password.
 */
export function demoResourceRoleSettings(args: {
  approverId: string;
  managementGroup: string;
  devSubscription: string;
}): [{ roleDefinitionId: string; scopeId: string }, Change][] {
  return [
    [
      { roleDefinitionId: azureRoleIds.owner, scopeId: args.managementGroup },
      (r) => ownerRow(r, args.approverId, 'Grace (Owner of mg-contoso)'),
    ],
    [
      { roleDefinitionId: azureRoleIds.contributor, scopeId: args.devSubscription },
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: 'PT4H',
          mfa: false,
          ticket: false,
          authContext: false,
          eligibleMaximum: 'P180D',
        }),
      }),
    ],
  ];
}

/**
 * The seed guide's Owner and Member rows (000's settings table) for one Privileged Access Group:
 * - owner: MFA, authentication context, notifications, ticket, approval by another owner (`approverId`),
 *   one hour, eligible for three months;
 * - member: MFA, authentication context, notifications, no ticket, no approval, five hours, eligible for six
 *   months — with `memberMfa: false` MFA and the authentication context are dropped (see README: one group
 *   stays activatable with a password);
 * - with `memberApprovers`, the member row of the guide's role tiering instead ("a Level 3 may require MFA,
 *   justification, approval, ticket references, and very limited activation durations"): a ticket, approval by
 *   any one of them (the deployment plan recommends two or more approvers per group), one hour;
 * - `activeAssignments` (the guide's step 3 for PAG-SERVICE-DESK): no permanent active assignment, twelve
 *   months at most, MFA and justification on active assignment.
 * Every activation requires a justification.
 */
export function demoGroupSettings(args: {
  approverId: string;
  memberMfa: boolean;
  activeAssignments: boolean;
  memberApprovers?: readonly ApproverSubject[];
}): [GroupAccessId, Change][] {
  const level3 = args.memberApprovers !== undefined;
  const step3 = (r: PolicyRules): Partial<PolicyRules> =>
    args.activeAssignments
      ? {
          Expiration_Admin_Assignment: {
            ...r.Expiration_Admin_Assignment,
            isExpirationRequired: true,
            maximumDuration: 'P365D',
          },
          Enablement_Admin_Assignment: {
            ...r.Enablement_Admin_Assignment,
            enabledRules: ['MultiFactorAuthentication', 'Justification'],
          },
        }
      : {};
  return [
    ['owner', (r) => ({ ...ownerRow(r, args.approverId, 'Grace (owner of the group)'), ...step3(r) })],
    [
      'member',
      (r) => ({
        ...r,
        ...activation(r, {
          maximum: level3 ? 'PT1H' : 'PT5H',
          mfa: args.memberMfa,
          ticket: level3,
          authContext: args.memberMfa,
          eligibleMaximum: 'P180D',
        }),
        ...notifications(r, 'All'),
        ...(args.memberApprovers ? approvalBy(r, args.memberApprovers) : {}),
        ...step3(r),
      }),
    ],
  ];
}
