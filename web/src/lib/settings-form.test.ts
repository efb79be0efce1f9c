import { describe, expect, it } from 'vitest';
import { diffSettings } from './settings-diff';
import { changedRules, formFromRules, type GraphRule, rulesFromForm, validateForm } from './settings-form';

const target = (caller: string, level: string) => ({
  caller,
  level,
  operations: ['all'],
  inheritableSettings: [],
  enforcedSettings: [],
});
const rule = (type: string, id: string, body: Record<string, unknown>): GraphRule => ({
  '@odata.type': `#microsoft.graph.unifiedRoleManagementPolicy${type}Rule`,
  id,
  target: target(
    id.includes('EndUser') ? 'EndUser' : 'Admin',
    id.endsWith('Eligibility') ? 'Eligibility' : 'Assignment',
  ),
  ...body,
});
const notification = (id: string) =>
  rule('Notification', id, {
    notificationType: 'Email',
    recipientType: id.split('_')[1],
    notificationLevel: 'All',
    isDefaultRecipientsEnabled: true,
    notificationRecipients: [],
  });

/** Entra's defaults for a directory role (research §2.5). */
const defaults: GraphRule[] = [
  rule('Expiration', 'Expiration_EndUser_Assignment', {
    isExpirationRequired: true,
    maximumDuration: 'PT8H',
  }),
  rule('Enablement', 'Enablement_EndUser_Assignment', {
    enabledRules: ['MultiFactorAuthentication', 'Justification'],
  }),
  rule('AuthenticationContext', 'AuthenticationContext_EndUser_Assignment', {
    isEnabled: false,
    claimValue: null,
  }),
  rule('Approval', 'Approval_EndUser_Assignment', {
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
          primaryApprovers: [
            { '@odata.type': '#microsoft.graph.singleUser', userId: 'u-1', description: 'Alex' },
          ],
          escalationApprovers: [],
        },
      ],
    },
  }),
  rule('Expiration', 'Expiration_Admin_Eligibility', { isExpirationRequired: false, maximumDuration: 'P1Y' }),
  rule('Enablement', 'Enablement_Admin_Eligibility', { enabledRules: [] }),
  rule('Expiration', 'Expiration_Admin_Assignment', {
    isExpirationRequired: false,
    maximumDuration: 'P180D',
  }),
  rule('Enablement', 'Enablement_Admin_Assignment', { enabledRules: ['Justification'] }),
  ...['Admin', 'Requestor', 'Approver'].flatMap((r) =>
    ['Admin_Eligibility', 'Admin_Assignment', 'EndUser_Assignment'].map((c) =>
      notification(`Notification_${r}_${c}`),
    ),
  ),
];

describe('the role settings form', () => {
  it('given the default rules, when read, then every setting shows its value', () => {
    const f = formFromRules(defaults);
    expect(f).toMatchObject({
      activationMinutes: 480,
      requireMfa: true,
      requireContext: false,
      requireJustification: true,
      requireTicket: false,
      requireApproval: false,
      approvers: [{ kind: 'user', id: 'u-1', name: 'Alex' }],
      approverJustification: true,
      approvalTimeoutDays: 1,
      allowPermanentEligible: true,
      eligibleDays: 365,
      allowPermanentActive: true,
      activeDays: 180,
      requireMfaOnActive: false,
      requireJustificationOnActive: true,
    });
    expect(Object.keys(f.notifications)).toHaveLength(9);
    expect(validateForm(f)).toEqual({});
  });

  it('given an unedited form, when written back, then no rule changes and no setting differs', () => {
    const f = formFromRules(defaults);
    expect(changedRules(defaults, rulesFromForm(defaults, f))).toEqual([]);
    expect(diffSettings(f, f)).toEqual([]);
  });

  it('given edits, when written back, then exactly the touched rules change, keeping what the form does not show', () => {
    const before = formFromRules(defaults);
    const after = {
      ...before,
      activationMinutes: 105,
      requireTicket: true,
      requireMfa: false,
      requireContext: true,
      claimValue: 'c1',
      eligibleDays: 90,
      allowPermanentEligible: false,
      notifications: {
        ...before.notifications,
        Notification_Admin_EndUser_Assignment: {
          level: 'Critical' as const,
          defaultRecipients: false,
          additionalRecipients: 'soc@contoso.com; cab@contoso.com',
        },
      },
    };
    const changed = changedRules(defaults, rulesFromForm(defaults, after));
    expect(changed.map((r) => r.id)).toEqual([
      'Expiration_EndUser_Assignment',
      'Enablement_EndUser_Assignment',
      'AuthenticationContext_EndUser_Assignment',
      'Expiration_Admin_Eligibility',
      'Notification_Admin_EndUser_Assignment',
    ]);
    const byId = new Map(changed.map((r) => [r.id, r]));
    expect(byId.get('Expiration_EndUser_Assignment')).toMatchObject({
      maximumDuration: 'PT1H45M',
      isExpirationRequired: true,
    });
    expect(byId.get('Enablement_EndUser_Assignment')?.enabledRules).toEqual(['Justification', 'Ticketing']);
    expect(byId.get('AuthenticationContext_EndUser_Assignment')).toMatchObject({
      isEnabled: true,
      claimValue: 'c1',
    });
    expect(byId.get('Expiration_Admin_Eligibility')).toMatchObject({
      isExpirationRequired: true,
      maximumDuration: 'P90D',
    });
    expect(byId.get('Notification_Admin_EndUser_Assignment')).toMatchObject({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
      recipientType: 'Admin',
      notificationLevel: 'Critical',
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['soc@contoso.com', 'cab@contoso.com'],
    });

    expect(diffSettings(before, after).map((c) => [c.label, c.before, c.after])).toEqual([
      ['Activation maximum duration', '8 hours', '1 hour 45 minutes'],
      ['On activation, require', 'Multi-factor authentication', 'Authentication context c1'],
      ['Require ticket information on activation', 'No', 'Yes'],
      ['Allow permanent eligible assignment', 'Yes', 'No'],
      ['Expire eligible assignments after', '365 days', '90 days'],
      [
        'When eligible members activate this role: Role assignment alert',
        'All emails, default recipients, no additional recipients',
        'Critical emails only, no default recipients, also soc@contoso.com; cab@contoso.com',
      ],
    ]);
  });

  it('given approvers changed and approval on, when written back, then the stage lists them and keeps known entries', () => {
    const before = formFromRules(defaults);
    const after = {
      ...before,
      requireApproval: true,
      approvalTimeoutDays: 2,
      approvers: [...before.approvers, { kind: 'group' as const, id: 'g-1', name: 'CAB' }],
    };
    const [approval] = changedRules(defaults, rulesFromForm(defaults, after));
    const setting = approval?.setting as {
      isApprovalRequired: boolean;
      approvalStages: Record<string, unknown>[];
    };
    expect(setting.isApprovalRequired).toBe(true);
    expect(setting.approvalStages).toHaveLength(1);
    expect(setting.approvalStages[0]).toMatchObject({
      approvalStageTimeOutInDays: 2,
      isEscalationEnabled: false,
      primaryApprovers: [
        { '@odata.type': '#microsoft.graph.singleUser', userId: 'u-1', description: 'Alex' },
        { '@odata.type': '#microsoft.graph.groupMembers', groupId: 'g-1', description: 'CAB' },
      ],
    });
    expect(diffSettings(before, after).find((c) => c.key === 'approvers')?.after).toBe('Alex, CAB (group)');
  });

  it('names each problem by field: duration, context, days, timeout, addresses', () => {
    const f = formFromRules(defaults);
    expect(
      validateForm({
        ...f,
        activationMinutes: 20,
        requireContext: true,
        claimValue: 'has space',
        approvalTimeoutDays: 8,
        eligibleDays: 0,
        activeDays: 4000,
        notifications: {
          ...f.notifications,
          Notification_Admin_Admin_Eligibility: {
            level: 'All',
            defaultRecipients: true,
            additionalRecipients: 'a@b.co; nope',
          },
          Notification_Requestor_Admin_Eligibility: {
            level: 'All',
            defaultRecipients: true,
            additionalRecipients: 'a@b.co, A@b.co',
          },
        },
      }),
    ).toEqual({
      activationMinutes: 'Activation maximum must be between 0.5 and 24 hours.',
      claimValue: expect.stringContaining('authentication context'),
      approvalTimeoutDays: 'Approvers have between 1 and 7 whole days to decide.',
      eligibleDays: 'Expiry must be a whole number of days between 1 and 3650.',
      activeDays: 'Expiry must be a whole number of days between 1 and 3650.',
      Notification_Admin_Admin_Eligibility: "'nope' is not an email address such as alice@contoso.com.",
      Notification_Requestor_Admin_Eligibility: 'An address is listed twice.',
    });
  });
});
