import { describe, expect, it } from 'vitest';
import { defaultDirectoryRoleRules } from '../core/policy/default-rules.js';
import { applySettingChanges, changedRules } from './settings-changes.js';

const grace = {
  kind: 'singleUser' as const,
  userId: '0190a000-0000-7000-8000-000000000001',
  description: null,
};
const ops = {
  kind: 'groupMembers' as const,
  groupId: '0190a000-0000-7000-8000-000000000002',
  description: null,
};

describe('applySettingChanges', () => {
  const rules = defaultDirectoryRoleRules();

  it('changes nothing when asked for nothing, or for what the rules already say', () => {
    expect(changedRules(rules, applySettingChanges(rules, {}))).toEqual([]);
    const same = applySettingChanges(rules, {
      maxDuration: rules.Expiration_EndUser_Assignment.maximumDuration,
      requireMfa: true,
      requireJustification: true,
    });
    expect(changedRules(rules, same)).toEqual([]);
  });

  it('turns activation requirements on and off in Enablement_EndUser_Assignment', () => {
    const after = applySettingChanges(rules, { requireMfa: false, requireTicket: true });
    expect(after.Enablement_EndUser_Assignment.enabledRules).toEqual(['Justification', 'Ticketing']);
    expect(changedRules(rules, after).map((r) => r.id)).toEqual(['Enablement_EndUser_Assignment']);
  });

  it('requires approval with the named approvers in the single stage, keeping entries already listed', () => {
    const after = applySettingChanges(rules, { requireApproval: true, approvers: [grace, ops] });
    const setting = after.Approval_EndUser_Assignment.setting;
    expect(setting).toMatchObject({ isApprovalRequired: true, approvalMode: 'SingleStage' });
    expect(setting.approvalStages).toHaveLength(1);
    expect(setting.approvalStages[0]!.primaryApprovers).toEqual([grace, ops]);

    // The server writes each approver's description; naming the same approvers again is no change.
    const described = applySettingChanges(rules, {
      requireApproval: true,
      approvers: [{ ...grace, description: 'Grace' }],
    });
    expect(changedRules(described, applySettingChanges(described, { approvers: [grace] }))).toEqual([]);
  });

  it('maps the expiry settings of eligible and active assignments to their Expiration rules', () => {
    const after = applySettingChanges(rules, {
      eligibleMax: 'P30D',
      allowPermanentEligible: false,
      activeMax: 'P7D',
      allowPermanentActive: true,
    });
    expect(after.Expiration_Admin_Eligibility).toMatchObject({
      maximumDuration: 'P30D',
      isExpirationRequired: true,
    });
    expect(after.Expiration_Admin_Assignment).toMatchObject({
      maximumDuration: 'P7D',
      isExpirationRequired: false,
    });
    expect(changedRules(rules, after).map((r) => r.id)).toEqual([
      'Expiration_Admin_Eligibility',
      'Expiration_Admin_Assignment',
    ]);
  });
});
