import { describe, expect, it } from 'vitest';
import { policyRuleIds } from '../model/policy.js';
import { defaultDirectoryRoleRules, defaultGroupRules } from './default-rules.js';
import { validateRules } from './validate-rule.js';

const allTarget = (caller: string, level: string) => ({
  caller,
  level,
  operations: ['all'],
  inheritableSettings: [],
  enforcedSettings: [],
});

describe('defaultDirectoryRoleRules', () => {
  const rules = defaultDirectoryRoleRules();

  it('given a new directory role, then it has exactly the 17 rules, each under its own id', () => {
    expect(Object.keys(rules).sort()).toEqual([...policyRuleIds].sort());
    for (const id of policyRuleIds) expect(rules[id].id).toBe(id);
  });

  it('then activation lasts at most 8 hours and always expires (research §2.5)', () => {
    expect(rules.Expiration_EndUser_Assignment).toEqual({
      type: 'expiration',
      id: 'Expiration_EndUser_Assignment',
      target: allTarget('EndUser', 'Assignment'),
      isExpirationRequired: true,
      maximumDuration: 'PT8H',
    });
  });

  it('then activation requires MFA and justification, and no authentication context', () => {
    expect(rules.Enablement_EndUser_Assignment.enabledRules).toEqual([
      'MultiFactorAuthentication',
      'Justification',
    ]);
    expect(rules.Enablement_EndUser_Assignment.target).toEqual(allTarget('EndUser', 'Assignment'));
    expect(rules.AuthenticationContext_EndUser_Assignment).toMatchObject({
      type: 'authenticationContext',
      isEnabled: false,
      claimValue: null,
      target: allTarget('EndUser', 'Assignment'),
    });
  });

  it('then approval is off but keeps one empty single stage with a 1-day timeout', () => {
    expect(rules.Approval_EndUser_Assignment).toEqual({
      type: 'approval',
      id: 'Approval_EndUser_Assignment',
      target: allTarget('EndUser', 'Assignment'),
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
  });

  it('then permanent eligible (P365D) and active (P180D) assignments are allowed', () => {
    expect(rules.Expiration_Admin_Eligibility).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: 'P365D',
      target: allTarget('Admin', 'Eligibility'),
    });
    expect(rules.Expiration_Admin_Assignment).toMatchObject({
      isExpirationRequired: false,
      maximumDuration: 'P180D',
      target: allTarget('Admin', 'Assignment'),
    });
  });

  it('then eligible assignment requires nothing and active assignment requires justification', () => {
    expect(rules.Enablement_Admin_Eligibility).toMatchObject({
      enabledRules: [],
      target: allTarget('Admin', 'Eligibility'),
    });
    expect(rules.Enablement_Admin_Assignment).toMatchObject({
      enabledRules: ['Justification'],
      target: allTarget('Admin', 'Assignment'),
    });
  });

  it.each([
    ['Notification_Admin_Admin_Eligibility', 'Admin', 'Admin', 'Eligibility'],
    ['Notification_Requestor_Admin_Eligibility', 'Requestor', 'Admin', 'Eligibility'],
    ['Notification_Approver_Admin_Eligibility', 'Approver', 'Admin', 'Eligibility'],
    ['Notification_Admin_Admin_Assignment', 'Admin', 'Admin', 'Assignment'],
    ['Notification_Requestor_Admin_Assignment', 'Requestor', 'Admin', 'Assignment'],
    ['Notification_Approver_Admin_Assignment', 'Approver', 'Admin', 'Assignment'],
    ['Notification_Admin_EndUser_Assignment', 'Admin', 'EndUser', 'Assignment'],
    ['Notification_Requestor_EndUser_Assignment', 'Requestor', 'EndUser', 'Assignment'],
    ['Notification_Approver_EndUser_Assignment', 'Approver', 'EndUser', 'Assignment'],
  ] as const)(
    'then %s mails every email to %s and the default recipients',
    (id, recipient, caller, level) => {
      expect(rules[id]).toEqual({
        type: 'notification',
        id,
        target: allTarget(caller, level),
        notificationType: 'Email',
        recipientType: recipient,
        notificationLevel: 'All',
        isDefaultRecipientsEnabled: true,
        notificationRecipients: [],
      });
    },
  );

  it('then the defaults pass validation', () => {
    expect(validateRules(rules)).toEqual([]);
  });

  it('when called twice, then each call builds its own objects', () => {
    expect(defaultDirectoryRoleRules()).toEqual(rules);
    expect(defaultDirectoryRoleRules().Approval_EndUser_Assignment).not.toBe(
      rules.Approval_EndUser_Assignment,
    );
  });
});

describe('defaultGroupRules', () => {
  it.each(['member', 'owner'] as const)(
    'given a %s policy, then eligible and active assignments must expire and activation asks for justification only',
    (accessId) => {
      const rules = defaultGroupRules(accessId);
      const role = defaultDirectoryRoleRules();
      expect(rules.Expiration_Admin_Eligibility).toMatchObject({
        isExpirationRequired: true,
        maximumDuration: 'P365D',
      });
      expect(rules.Expiration_Admin_Assignment).toMatchObject({
        isExpirationRequired: true,
        maximumDuration: 'P180D',
      });
      expect(rules.Enablement_EndUser_Assignment.enabledRules).toEqual(['Justification']);
      const {
        Expiration_Admin_Eligibility,
        Expiration_Admin_Assignment,
        Enablement_EndUser_Assignment,
        ...rest
      } = rules;
      const {
        Expiration_Admin_Eligibility: _a,
        Expiration_Admin_Assignment: _b,
        Enablement_EndUser_Assignment: _c,
        ...roleRest
      } = role;
      expect(rest).toEqual(roleRest);
      expect(validateRules(rules)).toEqual([]);
    },
  );
});
