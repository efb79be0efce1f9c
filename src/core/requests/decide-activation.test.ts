import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../model/schedule.js';
import { addDuration, parseDuration } from '../time/duration.js';
import { coversWindow } from '../time/window.js';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision } from './decision.js';
import {
  activation,
  actor,
  alice,
  earlier,
  eligibility,
  forDuration,
  given,
  helpdesk,
  later,
  notSpecified,
  permanent,
  rules,
  t0,
} from './test-kit.js';

const created = (d: Decision): Schedule => {
  if (d.kind !== 'granted') throw new Error(`expected granted, got ${d.kind}: ${JSON.stringify(d)}`);
  const c = d.changes[0];
  if (c?.op !== 'create') throw new Error('expected a created schedule');
  return c.schedule;
};
const errorOf = (d: Decision) => {
  if (d.kind !== 'rejected') throw new Error(`expected rejected, got ${d.kind}`);
  return d.error;
};

describe('selfActivate: granted', () => {
  it('given a permanent eligibility, when Alice activates for 1 hour now, then an Activated schedule over [now, now+1h) is Provisioned', () => {
    const elig = eligibility();
    const d = decideScheduleRequest(given({ schedules: [elig] }));
    const s = created(d);
    expect(s).toMatchObject({
      id: 'req-new',
      kind: 'assignment',
      assignmentType: 'Activated',
      principalId: alice.id,
      start: t0,
      end: later('PT1H'),
      status: 'Provisioned',
      activatedUsing: elig.id,
      createdUsing: 'req-new',
    });
    expect(d.kind === 'granted' && d.request).toMatchObject({
      id: 'req-new',
      status: 'Provisioned',
      targetScheduleId: 'req-new',
      activatedUsing: elig.id,
      approvalId: null,
      createdById: alice.id,
      createdByType: 'user',
      createdAt: t0,
      completedAt: t0,
    });
  });

  it('given a start tomorrow, when Alice activates, then the request is Granted and the schedule Scheduled', () => {
    const d = decideScheduleRequest(given({ scheduleInfo: forDuration('PT2H', later('P1D')) }));
    expect(created(d)).toMatchObject({ start: later('P1D'), end: later('PT26H'), status: 'Scheduled' });
    expect(d.kind === 'granted' && d.request.status).toBe('Granted');
  });

  it('given a start in the past, when Alice activates, then the start becomes now (as Graph rewrites it)', () => {
    const d = decideScheduleRequest(given({ scheduleInfo: forDuration('PT1H', earlier('PT3H')) }));
    expect(created(d)).toMatchObject({ start: t0, end: later('PT1H') });
    expect(d.kind === 'granted' && d.request.scheduleInfo?.startDateTime).toEqual(t0);
  });

  it('given no expiration, when Alice activates, then the activation lasts the maximum duration', () => {
    const d = decideScheduleRequest(
      given({ scheduleInfo: null, rules: rules({ activationMax: 'PT1H45M' }) }),
    );
    expect(created(d)).toMatchObject({ start: t0, end: later('PT1H45M') });
    expect(d.kind === 'granted' && d.request.scheduleInfo?.expiration).toMatchObject({
      type: 'afterDuration',
      duration: 'PT1H45M',
    });
  });

  it('given no expiration and an eligibility ending in 2 hours, when Alice activates, then the activation ends with the eligibility', () => {
    const d = decideScheduleRequest(
      given({ scheduleInfo: notSpecified(), schedules: [eligibility({ end: later('PT2H') })] }),
    );
    expect(created(d)).toMatchObject({ end: later('PT2H') });
  });

  it("given only a role-assignable group's eligibility, when a member activates, then the activation is drawn from it", () => {
    const groupElig = eligibility({ principalId: helpdesk.id, principalType: 'group' });
    const s = created(decideScheduleRequest(given({ schedules: [groupElig] })));
    expect(s).toMatchObject({ principalId: alice.id, activatedUsing: groupElig.id });
  });

  it('given an eligibility at the directory, when Alice activates at an administrative unit, then it is covered', () => {
    const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
    const s = created(
      decideScheduleRequest(given({ scope: au, schedules: [eligibility({ scopeId: '/' })] })),
    );
    expect(s.scopeId).toBe(au);
  });

  it('given an activation that already ended (not yet marked Expired), when Alice activates again, then it is granted', () => {
    const old = activation({ start: earlier('PT2H'), end: earlier('PT1H'), status: 'Provisioned' });
    expect(decideScheduleRequest(given({ schedules: [eligibility(), old] })).kind).toBe('granted');
  });
});

describe('selfActivate: each rule refused with its violation', () => {
  const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
  it.each([
    [
      'missing justification',
      given({ justification: '  ' }),
      'JustificationRule',
      'Enablement_EndUser_Assignment',
    ],
    [
      'missing ticket',
      given({ rules: rules({ activationRequires: ['Ticketing'] }) }),
      'TicketingRule',
      'Enablement_EndUser_Assignment',
    ],
    ['no step-up for the request', given({ stepUp: false }), 'MfaRule', 'Enablement_EndUser_Assignment'],
    [
      'longer than the maximum',
      given({ scheduleInfo: forDuration('PT9H') }),
      'ExpirationRule',
      'Expiration_EndUser_Assignment',
    ],
    ['permanent', given({ scheduleInfo: permanent() }), 'ExpirationRule', 'Expiration_EndUser_Assignment'],
    ['no eligibility', given({ schedules: [] }), 'EligibilityRule', 'EligibilityRule'],
    [
      'a revoked eligibility',
      given({ schedules: [eligibility({ status: 'Revoked', end: later('P1D') })] }),
      'EligibilityRule',
      'EligibilityRule',
    ],
    [
      'an eligibility only at an administrative unit',
      given({ schedules: [eligibility({ scopeId: au })] }),
      'EligibilityRule',
      'EligibilityRule',
    ],
    [
      'outlasting the eligibility',
      given({ schedules: [eligibility({ end: later('PT30M') })] }),
      'ExpirationRule',
      'EligibilityRule',
    ],
    [
      'no requestor justification for an approver',
      given({ justification: null, rules: rules({ activationRequires: [], approval: true }) }),
      'JustificationRule',
      'Approval_EndUser_Assignment',
    ],
  ])('given %s, when Alice activates, then policy.violation names the rule', (_, ctx, reason, ruleId) => {
    const e = errorOf(decideScheduleRequest(ctx));
    expect(e.code).toBe('policy.violation');
    expect(e.details.violations).toEqual([expect.objectContaining({ reason, ruleId })]);
    expect(e.message).toContain(`The following policy rules failed: ["${reason}"].`);
  });

  it('given a missing justification, then the message names the role, the scope and the rule for a person', () => {
    const e = errorOf(decideScheduleRequest(given({ justification: null })));
    expect(e.message).toContain(
      "Activating 'Exchange Administrator' at scope '/' requires a justification (rule Enablement_EndUser_Assignment).",
    );
  });

  it('given an eligibility that ends in 30 minutes, then the message says when it ends', () => {
    const e = errorOf(decideScheduleRequest(given({ schedules: [eligibility({ end: later('PT30M') })] })));
    expect(e.message).toContain(`would end after your eligibility ends at ${later('PT30M').toISOString()}`);
  });

  it('given an eligibility that starts tomorrow, then the message says when it starts', () => {
    const e = errorOf(decideScheduleRequest(given({ schedules: [eligibility({ start: later('P1D') })] })));
    expect(e.message).toContain(`Your eligibility starts at ${later('P1D').toISOString()}.`);
  });

  it('given no justification, no step-up and 9 hours, then all three violations come back together', () => {
    const ctx = given({
      justification: null,
      stepUp: false,
      scheduleInfo: forDuration('PT9H'),
    });
    const e = errorOf(decideScheduleRequest(ctx));
    expect(e.code).toBe('policy.violation');
    expect(e.details.violations?.map((v) => v.reason)).toEqual([
      'ExpirationRule',
      'JustificationRule',
      'MfaRule',
    ]);
    expect(e.message).toMatch(
      /^The following policy rules failed: \["ExpirationRule","JustificationRule","MfaRule"\]\. /,
    );
  });

  it('given both the justification setting and the approver setting, then a missing justification is reported once', () => {
    const e = errorOf(
      decideScheduleRequest(given({ justification: null, rules: rules({ approval: true }) })),
    );
    expect(e.details.violations?.filter((v) => v.reason === 'JustificationRule')).toHaveLength(1);
  });

  it('given an authentication context and no step-up, when it is the only failure, then the code is policy.acrs_required', () => {
    const ctx = given({
      stepUp: false,
      rules: rules({ activationRequires: ['Justification'], acrs: true }),
    });
    const e = errorOf(decideScheduleRequest(ctx));
    expect(e.code).toBe('policy.acrs_required');
    expect(e.details.violations).toEqual([expect.objectContaining({ reason: 'AcrsRule' })]);
    expect(e.message).toContain("authentication context 'c1'");
  });

  it('given an authentication context and MFA required without a step-up, then both fail as policy.violation', () => {
    const e = errorOf(decideScheduleRequest(given({ stepUp: false, rules: rules({ acrs: true }) })));
    expect(e.code).toBe('policy.violation');
    expect(e.details.violations?.map((v) => v.reason)).toEqual(['MfaRule', 'AcrsRule']);
  });

  it('given an authentication context and a step-up for the request, then it is granted', () => {
    expect(decideScheduleRequest(given({ rules: rules({ acrs: true }) })).kind).toBe('granted');
  });

  it('given MFA done at sign-in but no step-up for the request, then MFA and the context still fail (not Entra)', () => {
    const e = errorOf(
      decideScheduleRequest(
        given({ actor: actor(alice, { mfa: true }), stepUp: false, rules: rules({ acrs: true }) }),
      ),
    );
    expect(e.details.violations?.map((v) => v.reason)).toEqual(['MfaRule', 'AcrsRule']);
    expect(e.message).toContain('MFA done earlier in the session does not count');
  });
});

describe('selfActivate: approval', () => {
  const approvers = [{ kind: 'singleUser' as const, userId: 'approver-1', description: null }];

  it('given approval required, when Alice activates, then the request waits, grants nothing and opens a one-day approval', () => {
    const d = decideScheduleRequest(given({ rules: rules({ approval: true, approvers }) }));
    if (d.kind !== 'pendingApproval') throw new Error(`expected pendingApproval, got ${d.kind}`);
    expect(d.request).toMatchObject({
      status: 'PendingApproval',
      approvalId: 'req-new',
      targetScheduleId: 'req-new',
      completedAt: null,
    });
    expect(d.approval).toEqual({
      id: 'req-new',
      requestId: 'req-new',
      stageId: 'stage-new',
      status: 'InProgress',
      reviewResult: 'NotReviewed',
      approvers,
      isApproverJustificationRequired: true,
      expiresAt: later('P1D'),
      reviewedById: null,
      reviewedAt: null,
      justification: null,
      createdAt: t0,
    });
    expect('changes' in d).toBe(false);
  });

  it('given approval required and a stage timeout of 3 days, then the approval expires in 3 days', () => {
    const d = decideScheduleRequest(given({ rules: rules({ approval: true, approvalDays: 3 }) }));
    expect(d.kind === 'pendingApproval' && d.approval.expiresAt).toEqual(later('P3D'));
  });

  it('given approval required and a broken rule, then the request is rejected, never pending', () => {
    const d = decideScheduleRequest(given({ rules: rules({ approval: true }), stepUp: false }));
    expect(errorOf(d).code).toBe('policy.violation');
  });
});

describe('invariant 2: an activation never outlasts its eligibility nor the maximum duration', () => {
  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
  it('holds for random eligibility windows, maximum durations and requested windows', () => {
    let grants = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: -14_400, max: 1_440 }), // eligibility start, minutes from now
        fc.option(fc.integer({ min: 1, max: 43_200 }), { nil: null }), // eligibility length
        fc.integer({ min: 1, max: 1_440 }), // maximum activation, minutes
        fc.option(fc.integer({ min: -120, max: 2_880 }), { nil: null }), // requested start
        fc.option(fc.integer({ min: 1, max: 3_000 }), { nil: null }), // requested duration (null: not specified)
        (eStart, eLength, max, start, length) => {
          const elig = eligibility({
            start: minutes(eStart),
            end: eLength === null ? null : minutes(eStart + eLength),
          });
          const ctx = given({
            schedules: [elig],
            rules: rules({ activationMax: `PT${max}M`, activationRequires: [] }),
            scheduleInfo:
              length === null
                ? notSpecified(start === null ? null : minutes(start))
                : forDuration(`PT${length}M`, start === null ? null : minutes(start)),
          });
          const d = decideScheduleRequest(ctx);
          if (d.kind !== 'granted') return;
          grants += 1;
          const s = created(d);
          expect(s.end).not.toBeNull();
          expect(coversWindow(elig, s)).toBe(true);
          expect(s.end!.getTime()).toBeLessThanOrEqual(
            addDuration(s.start, parseDuration(`PT${max}M`)!).getTime(),
          );
        },
      ),
      { numRuns: 500 },
    );
    expect(grants).toBeGreaterThan(50);
  });
});
