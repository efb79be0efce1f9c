import { describe, expect, it } from 'vitest';
import { policyRuleIds } from '../model/policy.js';
import { canonicalRuleId, recipientTypeOf, ruleCallerLevelOf, ruleKindOf } from './rule-ids.js';

describe('rule ids', () => {
  it.each([
    ['Expiration_EndUser_Assignment', 'expiration', 'EndUser', 'Assignment', null],
    ['Enablement_Admin_Eligibility', 'enablement', 'Admin', 'Eligibility', null],
    ['AuthenticationContext_EndUser_Assignment', 'authenticationContext', 'EndUser', 'Assignment', null],
    ['Approval_EndUser_Assignment', 'approval', 'EndUser', 'Assignment', null],
    ['Notification_Approver_Admin_Eligibility', 'notification', 'Admin', 'Eligibility', 'Approver'],
    ['Notification_Requestor_EndUser_Assignment', 'notification', 'EndUser', 'Assignment', 'Requestor'],
  ] as const)(
    'given %s, then its kind, caller, level and recipient follow from the name',
    (id, kind, caller, level, r) => {
      expect(ruleKindOf(id)).toBe(kind);
      expect(ruleCallerLevelOf(id)).toEqual({ caller, level });
      expect(recipientTypeOf(id)).toBe(r);
    },
  );

  it('given every id, then each has a kind', () => {
    for (const id of policyRuleIds) expect(ruleKindOf(id)).toBeTypeOf('string');
  });

  it('given an id in another case, then the canonical id is found; given a stranger, then null', () => {
    expect(canonicalRuleId('expiration_enduser_assignment')).toBe('Expiration_EndUser_Assignment');
    expect(canonicalRuleId('Expiration_Guest_Assignment')).toBeNull();
  });
});
