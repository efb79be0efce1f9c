import { describe, expect, it } from 'vitest';
import { later, rules, t0 } from '../requests/test-kit.js';
import { openApproval } from './open-approval.js';

describe('openApproval', () => {
  const approvers = [{ kind: 'groupMembers' as const, groupId: 'g1', description: 'Security team' }];
  it('given listed approvers and a 2-day stage, then they decide and it expires in 2 days', () => {
    const a = openApproval({
      requestId: 'r1',
      stageId: 's1',
      rule: rules({ approval: true, approvers, approvalDays: 2 }).Approval_EndUser_Assignment,
      useListedApprovers: true,
      now: t0,
    });
    expect(a).toMatchObject({
      id: 'r1',
      requestId: 'r1',
      stageId: 's1',
      approvers,
      expiresAt: later('P2D'),
      status: 'InProgress',
      reviewResult: 'NotReviewed',
    });
  });

  it('given default approvers are asked for, then the list is empty (role administrators decide)', () => {
    const a = openApproval({
      requestId: 'r1',
      stageId: 's1',
      rule: rules({ approvers }).Approval_EndUser_Assignment,
      useListedApprovers: false,
      now: t0,
    });
    expect(a.approvers).toEqual([]);
  });

  it('given no stage or a zero timeout, then it expires after 1 day and approvers must justify', () => {
    const base = rules().Approval_EndUser_Assignment;
    const a = openApproval({
      requestId: 'r',
      stageId: 's',
      rule: { ...base, setting: { ...base.setting, approvalStages: [] } },
      useListedApprovers: true,
      now: t0,
    });
    expect(a).toMatchObject({
      expiresAt: later('P1D'),
      isApproverJustificationRequired: true,
      approvers: [],
    });
  });
});
