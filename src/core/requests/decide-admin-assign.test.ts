import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision } from './decision.js';
import {
  activation,
  earlier,
  eligibility,
  forDuration,
  given,
  later,
  permanent,
  roleAdmin,
  rules,
  schedule,
  t0,
  until,
} from './test-kit.js';

const errorOf = (d: Decision) => (d.kind === 'rejected' ? d.error : undefined);

describe('adminAssign', () => {
  it('given no schedule, when an administrator assigns an active role now, then an Assigned schedule is Provisioned with the request id', () => {
    const d = decideScheduleRequest(given({ action: 'adminAssign', scheduleInfo: until(later('P90D')) }));
    if (d.kind !== 'granted') throw new Error(d.kind);
    expect(d.changes).toEqual([
      {
        op: 'create',
        schedule: expect.objectContaining({
          id: 'req-new',
          kind: 'assignment',
          assignmentType: 'Assigned',
          start: t0,
          end: later('P90D'),
          status: 'Provisioned',
          activatedUsing: null,
        }),
      },
    ]);
    expect(d.request).toMatchObject({ status: 'Provisioned', targetScheduleId: 'req-new', completedAt: t0 });
  });

  it('given a future start, then the request is Granted and the schedule Scheduled', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', kind: 'eligibility', scheduleInfo: permanent(later('P7D')) }),
    );
    expect(d.kind === 'granted' && d.request.status).toBe('Granted');
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({
      schedule: { status: 'Scheduled', assignmentType: null, end: null },
    });
  });

  it('given no scheduleInfo, then an administrator assignment is permanent (start now)', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', kind: 'eligibility', scheduleInfo: null }),
    );
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({ schedule: { start: t0, end: null } });
  });

  it.each([
    [
      'permanent eligibility where expiry is required',
      given({
        action: 'adminAssign',
        kind: 'eligibility',
        scheduleInfo: permanent(),
        rules: rules({ eligible: { required: true, max: 'P90D' } }),
      }),
      'Expiration_Admin_Eligibility',
      'ExpirationRule',
    ],
    [
      'eligibility longer than the maximum',
      given({
        action: 'adminAssign',
        kind: 'eligibility',
        scheduleInfo: forDuration('P91D'),
        rules: rules({ eligible: { required: true, max: 'P90D' } }),
      }),
      'Expiration_Admin_Eligibility',
      'ExpirationRule',
    ],
    [
      'an active assignment longer than the maximum',
      given({
        action: 'adminAssign',
        scheduleInfo: forDuration('P181D'),
        rules: rules({ active: { required: true, max: 'P180D' } }),
      }),
      'Expiration_Admin_Assignment',
      'ExpirationRule',
    ],
    [
      'an active assignment without justification',
      given({ action: 'adminAssign', justification: null }),
      'Enablement_Admin_Assignment',
      'JustificationRule',
    ],
    [
      'an active assignment without MFA where required',
      given({
        action: 'adminAssign',
        actor: roleAdmin({ mfa: false }),
        rules: rules({ activeRequires: ['MultiFactorAuthentication'] }),
      }),
      'Enablement_Admin_Assignment',
      'MfaRule',
    ],
    [
      'an eligibility without a ticket where required',
      given({
        action: 'adminAssign',
        kind: 'eligibility',
        rules: rules({ eligibleRequires: ['Ticketing'] }),
      }),
      'Enablement_Admin_Eligibility',
      'TicketingRule',
    ],
  ])('given %s, then policy.violation naming the rule', (_, ctx, ruleId, reason) => {
    const e = errorOf(decideScheduleRequest(ctx));
    expect(e?.code).toBe('policy.violation');
    expect(e?.details.violations).toEqual([expect.objectContaining({ ruleId, reason })]);
  });

  it('given expiry not required, when an administrator assigns for longer than the maximum, then it is granted (the limit applies only to expiring assignments)', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', kind: 'eligibility', scheduleInfo: forDuration('P400D') }),
    );
    expect(d.kind).toBe('granted');
  });

  it('given a permanent eligibility without justification where both are refused, then both violations are reported', () => {
    const ctx = given({
      action: 'adminAssign',
      kind: 'eligibility',
      justification: null,
      scheduleInfo: permanent(),
      rules: rules({ eligible: { required: true, max: 'P90D' }, eligibleRequires: ['Justification'] }),
    });
    expect(errorOf(decideScheduleRequest(ctx))?.details.violations?.map((v) => v.reason)).toEqual([
      'ExpirationRule',
      'JustificationRule',
    ]);
  });

  it.each([
    ['a live eligibility', 'eligibility' as const, [eligibility()]],
    ['a live activation (same kind: assignment)', 'assignment' as const, [activation()]],
    [
      'a future eligibility overlapping the window',
      'eligibility' as const,
      [eligibility({ start: later('P10D') })],
    ],
  ])(
    'given %s, when an administrator assigns the same kind permanently, then schedule.exists',
    (_, kind, schedules) => {
      const ctx = given({ action: 'adminAssign', kind, schedules, scheduleInfo: permanent() });
      expect(errorOf(decideScheduleRequest(ctx))?.code).toBe('schedule.exists');
    },
  );

  it('given an eligibility, when an administrator assigns an active assignment, then there is no conflict (different kinds)', () => {
    expect(decideScheduleRequest(given({ action: 'adminAssign', schedules: [eligibility()] })).kind).toBe(
      'granted',
    );
  });

  it('given an eligibility that ended yesterday, when an administrator assigns again, then it is granted', () => {
    const old = eligibility({ start: earlier('P30D'), end: earlier('P1D'), status: 'Expired' });
    expect(
      decideScheduleRequest(given({ action: 'adminAssign', kind: 'eligibility', schedules: [old] })).kind,
    ).toBe('granted');
  });

  it('given a schedule of another principal, then there is no conflict', () => {
    const other = schedule('eligibility', { principalId: 'someone-else' });
    expect(
      decideScheduleRequest(given({ action: 'adminAssign', kind: 'eligibility', schedules: [other] })).kind,
    ).toBe('granted');
  });
});
