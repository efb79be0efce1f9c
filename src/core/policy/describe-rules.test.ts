import { describe, expect, it } from 'vitest';
import type { PolicyRules } from '../model/policy.js';
import { defaultDirectoryRoleRules } from './default-rules.js';
import { diffRules, summarizeRules } from './describe-rules.js';

const defaults = defaultDirectoryRoleRules();
const approverId = '10a08e2e-3ea2-4ce0-80cb-d5fdd4b05ea6';

describe('summarizeRules', () => {
  it('given the defaults, then it reads like the portal', () => {
    expect(summarizeRules(defaults)).toEqual({
      activationMaximum: 'PT8H',
      requireMfa: true,
      requireJustification: true,
      requireTicket: false,
      requireAuthenticationContext: false,
      claimValue: null,
      requireApproval: false,
      approvers: [],
      allowPermanentEligible: true,
      eligibleMaximum: 'P365D',
      allowPermanentActive: true,
      activeMaximum: 'P180D',
      requireMfaOnActiveAssignment: false,
      requireJustificationOnActiveAssignment: true,
    });
  });

  it('given approval, a ticket, an authentication context and expiring assignments, then each shows', () => {
    const rules: PolicyRules = {
      ...defaults,
      Enablement_EndUser_Assignment: {
        ...defaults.Enablement_EndUser_Assignment,
        enabledRules: ['Ticketing'],
      },
      AuthenticationContext_EndUser_Assignment: {
        ...defaults.AuthenticationContext_EndUser_Assignment,
        isEnabled: true,
        claimValue: 'c1',
      },
      Approval_EndUser_Assignment: {
        ...defaults.Approval_EndUser_Assignment,
        setting: {
          ...defaults.Approval_EndUser_Assignment.setting,
          isApprovalRequired: true,
          approvalStages: [
            {
              ...defaults.Approval_EndUser_Assignment.setting.approvalStages[0]!,
              primaryApprovers: [{ kind: 'singleUser', userId: approverId, description: 'Alice' }],
            },
          ],
        },
      },
      Expiration_Admin_Eligibility: { ...defaults.Expiration_Admin_Eligibility, isExpirationRequired: true },
      Enablement_Admin_Assignment: {
        ...defaults.Enablement_Admin_Assignment,
        enabledRules: ['MultiFactorAuthentication'],
      },
    };
    expect(summarizeRules(rules)).toMatchObject({
      requireMfa: false,
      requireJustification: false,
      requireTicket: true,
      requireAuthenticationContext: true,
      claimValue: 'c1',
      requireApproval: true,
      approvers: [{ kind: 'singleUser', id: approverId, description: 'Alice' }],
      allowPermanentEligible: false,
      requireMfaOnActiveAssignment: true,
      requireJustificationOnActiveAssignment: false,
    });
  });
});

describe('diffRules', () => {
  it('given identical rules, then there is no change', () => {
    expect(diffRules(defaults, defaultDirectoryRoleRules())).toEqual([]);
  });

  it('given a reordered list, then it is not a change', () => {
    const after: PolicyRules = {
      ...defaults,
      Enablement_EndUser_Assignment: {
        ...defaults.Enablement_EndUser_Assignment,
        enabledRules: ['Justification', 'MultiFactorAuthentication'],
      },
    };
    expect(diffRules(defaults, after)).toEqual([]);
  });

  it('given changed settings, then each changed field is listed with its before and after', () => {
    const stage = defaults.Approval_EndUser_Assignment.setting.approvalStages[0]!;
    const after: PolicyRules = {
      ...defaults,
      Expiration_EndUser_Assignment: { ...defaults.Expiration_EndUser_Assignment, maximumDuration: 'PT4H' },
      Enablement_EndUser_Assignment: {
        ...defaults.Enablement_EndUser_Assignment,
        enabledRules: ['MultiFactorAuthentication', 'Justification', 'Ticketing'],
      },
      Approval_EndUser_Assignment: {
        ...defaults.Approval_EndUser_Assignment,
        setting: {
          ...defaults.Approval_EndUser_Assignment.setting,
          isApprovalRequired: true,
          approvalStages: [
            { ...stage, primaryApprovers: [{ kind: 'singleUser', userId: approverId, description: null }] },
          ],
        },
      },
      Notification_Admin_Admin_Assignment: {
        ...defaults.Notification_Admin_Admin_Assignment,
        notificationRecipients: ['ops@contoso.com'],
      },
    };
    expect(diffRules(defaults, after)).toEqual([
      { ruleId: 'Expiration_EndUser_Assignment', field: 'maximumDuration', before: 'PT8H', after: 'PT4H' },
      {
        ruleId: 'Enablement_EndUser_Assignment',
        field: 'enabledRules',
        before: ['MultiFactorAuthentication', 'Justification'],
        after: ['MultiFactorAuthentication', 'Justification', 'Ticketing'],
      },
      {
        ruleId: 'Approval_EndUser_Assignment',
        field: 'setting.isApprovalRequired',
        before: false,
        after: true,
      },
      {
        ruleId: 'Approval_EndUser_Assignment',
        field: 'setting.approvalStages[0].primaryApprovers',
        before: [],
        after: [{ kind: 'singleUser', userId: approverId, description: null }],
      },
      {
        ruleId: 'Notification_Admin_Admin_Assignment',
        field: 'notificationRecipients',
        before: [],
        after: ['ops@contoso.com'],
      },
    ]);
  });

  it('given approval stages removed, then the whole stage is reported', () => {
    const after: PolicyRules = {
      ...defaults,
      Approval_EndUser_Assignment: {
        ...defaults.Approval_EndUser_Assignment,
        setting: {
          ...defaults.Approval_EndUser_Assignment.setting,
          approvalMode: 'NoApproval',
          approvalStages: [],
        },
      },
    };
    const changes = diffRules(defaults, after);
    expect(changes.map((c) => c.field)).toEqual(['setting.approvalMode', 'setting.approvalStages[0]']);
    expect(changes[1]).toMatchObject({ before: { approvalStageTimeOutInDays: 1 }, after: null });
  });

  it('given a changed target, then the target field is named', () => {
    const after: PolicyRules = {
      ...defaults,
      Expiration_Admin_Assignment: {
        ...defaults.Expiration_Admin_Assignment,
        target: { ...defaults.Expiration_Admin_Assignment.target, operations: ['assign'] },
      },
    };
    expect(diffRules(defaults, after)).toEqual([
      {
        ruleId: 'Expiration_Admin_Assignment',
        field: 'target.operations',
        before: ['all'],
        after: ['assign'],
      },
    ]);
  });
});
