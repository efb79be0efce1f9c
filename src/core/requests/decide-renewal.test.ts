import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import {
  activation,
  earlier,
  eligibility,
  forDuration,
  given,
  later,
  rules,
  schedule,
  t0,
  until,
} from './test-kit.js';

const expiredDaysAgo = (days: number) =>
  eligibility({ start: earlier(`P${days + 90}D`), end: earlier(`P${days}D`), status: 'Expired' });

describe('adminRenew', () => {
  it('given an eligibility that expired 10 days ago, when an administrator renews it for 90 days, then a new eligibility starts now', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminRenew',
        kind: 'eligibility',
        schedules: [expiredDaysAgo(10)],
        scheduleInfo: forDuration('P90D'),
      }),
    );
    if (d.kind !== 'granted') throw new Error(JSON.stringify(d));
    expect(d.changes).toEqual([
      {
        op: 'create',
        schedule: expect.objectContaining({
          id: 'req-new',
          kind: 'eligibility',
          start: t0,
          end: later('P90D'),
          status: 'Provisioned',
        }),
      },
    ]);
    expect(d.request).toMatchObject({ status: 'Provisioned', targetScheduleId: 'req-new' });
  });

  it('given an assignment past its end but not yet marked Expired, when renewed, then it is also recorded as Expired at its end', () => {
    const stale = schedule('assignment', {
      start: earlier('P40D'),
      end: earlier('P1D'),
      status: 'Provisioned',
    });
    const d = decideScheduleRequest(
      given({ action: 'adminRenew', schedules: [stale], scheduleInfo: until(later('P30D')) }),
    );
    expect(d.kind === 'granted' && d.changes[1]).toEqual({
      op: 'end',
      scheduleId: stale.id,
      end: earlier('P1D'),
      status: 'Expired',
    });
  });

  it.each([
    ['expired 31 days ago', [expiredDaysAgo(31)], 'schedule.does_not_exist', 'more than 30 days ago'],
    ['is still live', [eligibility({ end: later('P5D') })], 'schedule.does_not_exist', 'extend a live one'],
    [
      'was removed (Revoked)',
      [eligibility({ end: earlier('P1D'), status: 'Revoked' })],
      'schedule.does_not_exist',
      'no expired assignment',
    ],
  ])(
    'given an eligibility that %s, when an administrator renews it, then it is refused',
    (_, schedules, code, text) => {
      const d = decideScheduleRequest(
        given({ action: 'adminRenew', kind: 'eligibility', schedules, scheduleInfo: forDuration('P90D') }),
      );
      expect(d.kind === 'rejected' && d.error.code).toBe(code);
      expect(d.kind === 'rejected' && d.error.message).toContain(text);
    },
  );

  it('given an expired eligibility exactly 30 days ago, then it can no longer be renewed; 29 days ago it can', () => {
    const renew = (days: number) =>
      decideScheduleRequest(
        given({
          action: 'adminRenew',
          kind: 'eligibility',
          schedules: [expiredDaysAgo(days)],
          scheduleInfo: forDuration('P90D'),
        }),
      ).kind;
    expect([renew(30), renew(29)]).toEqual(['rejected', 'granted']);
  });

  it('given a new live eligibility already, when an administrator renews the expired one over it, then schedule.exists', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminRenew',
        kind: 'eligibility',
        schedules: [expiredDaysAgo(5), eligibility({ start: earlier('P1D') })],
        scheduleInfo: forDuration('P90D'),
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.exists');
  });

  it('given expiry required, when the renewal is permanent, then policy.violation ExpirationRule', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminRenew',
        kind: 'eligibility',
        schedules: [expiredDaysAgo(5)],
        scheduleInfo: null,
        rules: rules({ eligible: { required: true, max: 'P90D' } }),
      }),
    );
    expect(d.kind === 'rejected' && d.error.details.violations?.[0]?.reason).toBe('ExpirationRule');
  });

  it('given only an expired activation, when an administrator renews the active assignment, then schedule.does_not_exist', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminRenew',
        schedules: [activation({ start: earlier('P2D'), end: earlier('P1D'), status: 'Expired' })],
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
  });
});

describe('selfRenew', () => {
  it('given her eligibility expired 3 days ago, when Alice asks to renew it, then the request waits for a role administrator', () => {
    const d = decideScheduleRequest(
      given({
        action: 'selfRenew',
        kind: 'eligibility',
        schedules: [expiredDaysAgo(3)],
        scheduleInfo: forDuration('P90D'),
      }),
    );
    if (d.kind !== 'pendingApproval') throw new Error(JSON.stringify(d));
    expect(d.request).toMatchObject({
      status: 'PendingApproval',
      targetScheduleId: 'req-new',
      approvalId: 'req-new',
    });
    expect(d.request.scheduleInfo?.expiration).toMatchObject({ type: 'afterDuration', duration: 'P90D' });
    expect(d.approval.approvers).toEqual([]);
  });

  it('given isValidationOnly, then validated and no approval opens', () => {
    const d = decideScheduleRequest(
      given({
        action: 'selfRenew',
        kind: 'eligibility',
        validationOnly: true,
        schedules: [expiredDaysAgo(3)],
        scheduleInfo: forDuration('P90D'),
      }),
    );
    expect(d.kind).toBe('validated');
  });
});
