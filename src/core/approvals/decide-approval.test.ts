import { describe, expect, it } from 'vitest';
import type { ApproverSubject } from '../model/policy.js';
import type { Actor } from '../model/principal.js';
import {
  actor,
  alice,
  bob,
  forDuration,
  globalAdmin,
  later,
  rules,
  schedule,
  until,
} from '../requests/test-kit.js';
import { approverGroup, byBob, carol, pendingRequest, review } from './review-kit.js';

describe('decideApproval: approve and deny', () => {
  it('given Alice waits for Bob, when Bob approves 10 minutes later, then the activation runs from now for the asked hour', () => {
    const p = pendingRequest();
    const d = review(p);
    if (d.kind !== 'approved') throw new Error(JSON.stringify(d));
    expect(d.changes).toEqual([
      {
        op: 'create',
        schedule: expect.objectContaining({
          id: p.request.id,
          assignmentType: 'Activated',
          principalId: alice.id,
          start: later('PT10M'),
          end: later('PT70M'),
          status: 'Provisioned',
          activatedUsing: p.request.activatedUsing,
        }),
      },
    ]);
    expect(d.request).toMatchObject({
      status: 'Provisioned',
      completedAt: later('PT10M'),
      targetScheduleId: p.request.id,
    });
    expect(d.approval).toMatchObject({
      status: 'Completed',
      reviewResult: 'Approved',
      reviewedById: bob.id,
      reviewedAt: later('PT10M'),
      justification: 'Checked change 4711',
    });
  });

  it('given a request for tomorrow, when Bob approves today, then the request is Granted and the schedule Scheduled', () => {
    const p = pendingRequest({ scheduleInfo: forDuration('PT2H', later('P1D')) });
    const d = review(p);
    expect(d.kind === 'approved' && d.request.status).toBe('Granted');
    expect(d.kind === 'approved' && d.changes[0]).toMatchObject({
      schedule: { start: later('P1D'), end: later('PT26H'), status: 'Scheduled' },
    });
  });

  it('given Alice waits for Bob, when Bob denies, then the request is Denied and nothing is granted', () => {
    const d = review(pendingRequest(), {
      decision: { reviewResult: 'Deny', justification: 'Not this week' },
    });
    expect(d).toEqual({
      kind: 'denied',
      approval: expect.objectContaining({
        status: 'Completed',
        reviewResult: 'Denied',
        reviewedById: bob.id,
        justification: 'Not this week',
      }),
      request: expect.objectContaining({ status: 'Denied', completedAt: later('PT10M') }),
    });
  });
});

describe('decideApproval: who decides (invariant 3)', () => {
  it.each<[string, Actor, ReadonlySet<string>, readonly ApproverSubject[]]>([
    [
      'Alice listed directly as approver',
      actor(alice),
      new Set(),
      [{ kind: 'singleUser', userId: alice.id, description: null }],
    ],
    [
      'Alice in a listed approver group',
      actor(alice),
      new Set([approverGroup]),
      [{ kind: 'groupMembers', groupId: approverGroup, description: null }],
    ],
    [
      'Alice as a Global Administrator with no approvers listed',
      actor(alice, { roleIds: globalAdmin().roleIds }),
      new Set(),
      [],
    ],
  ])(
    'given %s, when Alice approves her own request, then approval.self_approval',
    (_, reviewer, groups, approvers) => {
      const d = review(pendingRequest({}, approvers), { reviewer, reviewerGroupIds: groups });
      expect(d.kind === 'rejected' && d.error.code).toBe('approval.self_approval');
    },
  );

  it('given Alice, when she denies her own request, then approval.self_approval (she cancels instead)', () => {
    const d = review(pendingRequest({}, [{ kind: 'singleUser', userId: alice.id, description: null }]), {
      reviewer: actor(alice),
      decision: { reviewResult: 'Deny', justification: 'x' },
    });
    expect(d.kind === 'rejected' && d.error.code).toBe('approval.self_approval');
  });

  it('given Bob is the approver, when Carol approves, then approval.not_approver', () => {
    const d = review(pendingRequest(), { reviewer: actor(carol) });
    expect(d.kind === 'rejected' && d.error.code).toBe('approval.not_approver');
  });

  it('given a listed group, when a member of it approves, then approved', () => {
    const d = review(
      pendingRequest({}, [{ kind: 'groupMembers', groupId: approverGroup, description: null }]),
      {
        reviewer: actor(carol),
        reviewerGroupIds: new Set([approverGroup]),
      },
    );
    expect(d.kind).toBe('approved');
  });

  it('given no approvers listed, then a Global Administrator decides and a plain user cannot', () => {
    const p = pendingRequest({}, []);
    expect(review(p, { reviewer: globalAdmin() }).kind).toBe('approved');
    const d = review(p, { reviewer: actor(carol) });
    expect(d.kind === 'rejected' && d.error.code).toBe('approval.not_approver');
  });

  it('given listed approvers, then a Global Administrator who is not listed cannot decide', () => {
    const d = review(pendingRequest(), { reviewer: globalAdmin() });
    expect(d.kind === 'rejected' && d.error.code).toBe('approval.not_approver');
  });
});

describe('decideApproval: timing and justification', () => {
  it('given Bob approved, when Carol (also listed) decides next, then approval.already_decided: the first decision wins', () => {
    const p = pendingRequest({}, [...byBob, { kind: 'singleUser', userId: carol.id, description: null }]);
    const first = review(p);
    if (first.kind !== 'approved') throw new Error(first.kind);
    const second = review(
      { ...p, request: first.request, approval: first.approval },
      { reviewer: actor(carol), decision: { reviewResult: 'Deny', justification: 'no' } },
    );
    expect(second.kind === 'rejected' && second.error.code).toBe('approval.already_decided');
  });

  it('given the approval expires at t0+1d, when Bob approves at exactly that instant, then it is refused as expired; a millisecond earlier it is approved', () => {
    const p = pendingRequest({ scheduleInfo: forDuration('PT1H', later('P2D')) });
    const atExpiry = review(p, { now: later('P1D') });
    expect(atExpiry.kind === 'rejected' && atExpiry.error.code).toBe('approval.already_decided');
    expect(atExpiry.kind === 'rejected' && atExpiry.error.message).toContain('expired');
    expect(review(p, { now: new Date(later('P1D').getTime() - 1) }).kind).toBe('approved');
  });

  it('given the approver must justify, when Bob approves without a justification, then approval.justification_required', () => {
    const d = review(pendingRequest(), { decision: { reviewResult: 'Approve', justification: '  ' } });
    expect(d.kind === 'rejected' && d.error.code).toBe('approval.justification_required');
  });

  it('given the approver need not justify, when Bob approves without one, then approved', () => {
    const p = pendingRequest({
      rules: rules({ approval: true, approvers: byBob, approverJustification: false }),
    });
    expect(review(p, { decision: { reviewResult: 'Approve', justification: null } }).kind).toBe('approved');
  });
});

describe('decideApproval: re-checked at decision time', () => {
  it('given the maximum shortened to 30 minutes since the request, when Bob approves, then policy.violation ExpirationRule (deny instead)', () => {
    const p = pendingRequest();
    const d = review(p, { rulesNow: rules({ approval: true, approvers: byBob, activationMax: 'PT30M' }) });
    expect(d.kind === 'rejected' && d.error.code).toBe('policy.violation');
    expect(d.kind === 'rejected' && d.error.details.violations?.map((v) => v.reason)).toEqual([
      'ExpirationRule',
    ]);
  });

  it('given a ticket now required, when Bob approves a request without one, then policy.violation TicketingRule', () => {
    const d = review(pendingRequest(), {
      rulesNow: rules({ approval: true, approvers: byBob, activationRequires: ['Ticketing'] }),
    });
    expect(d.kind === 'rejected' && d.error.details.violations?.map((v) => v.reason)).toEqual([
      'TicketingRule',
    ]);
  });

  it('given the eligibility was removed meanwhile, when Bob approves, then policy.violation EligibilityRule', () => {
    const p = pendingRequest();
    const removed = p.schedules.map((s) => ({ ...s, status: 'Revoked' as const, end: later('PT5M') }));
    const d = review(p, { schedules: removed });
    expect(d.kind === 'rejected' && d.error.details.violations?.map((v) => v.reason)).toEqual([
      'EligibilityRule',
    ]);
  });

  it('given the eligibility now ends 30 minutes after the decision, when Bob approves, then the activation is cut to it (invariant 2)', () => {
    const p = pendingRequest();
    const shortened = p.schedules.map((s) => ({ ...s, end: later('PT40M') }));
    const d = review(p, { schedules: shortened });
    expect(d.kind === 'approved' && d.changes[0]).toMatchObject({
      schedule: { start: later('PT10M'), end: later('PT40M') },
    });
  });

  it('given an administrator assigned the role meanwhile, when Bob approves, then schedule.exists', () => {
    const p = pendingRequest();
    const d = review(p, {
      schedules: [...p.schedules, schedule('assignment', { start: later('PT5M'), end: later('P1D') })],
    });
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.exists');
  });

  it('given a fixed window that has passed, when Bob approves, then request.invalid tells him to deny', () => {
    const p = pendingRequest({ scheduleInfo: until(later('PT1H')) });
    const d = review(p, { now: later('PT2H') });
    expect(d.kind === 'rejected' && d.error.code).toBe('request.invalid');
  });

  it('given an approval of another request, then request.invalid', () => {
    const p = pendingRequest();
    const d = review(p, { approval: { ...p.approval, requestId: 'other' } });
    expect(d.kind === 'rejected' && d.error.code).toBe('request.invalid');
  });
});
