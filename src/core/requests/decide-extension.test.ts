import { describe, expect, it } from 'vitest';
import { decideScheduleRequest } from './decide-schedule-request.js';
import {
  activation,
  earlier,
  eligibility,
  forDuration,
  given,
  later,
  notSpecified,
  permanent,
  rules,
  schedule,
  until,
} from './test-kit.js';

const endingIn10Days = () => eligibility({ end: later('P10D') });

describe('adminExtend', () => {
  it('given an eligibility ending in 10 days, when an administrator extends it to 90 days from now, then its end moves', () => {
    const elig = endingIn10Days();
    const d = decideScheduleRequest(
      given({
        action: 'adminExtend',
        kind: 'eligibility',
        schedules: [elig],
        scheduleInfo: until(later('P90D')),
      }),
    );
    if (d.kind !== 'granted') throw new Error(JSON.stringify(d));
    expect(d.changes).toEqual([{ op: 'update', scheduleId: elig.id, end: later('P90D') }]);
    expect(d.request).toMatchObject({ status: 'Provisioned', targetScheduleId: elig.id });
    expect(d.request.scheduleInfo).toEqual({
      startDateTime: elig.start,
      expiration: { type: 'afterDateTime', endDateTime: later('P90D'), duration: null },
    });
  });

  it('given a duration, then it counts from now', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminExtend',
        kind: 'eligibility',
        schedules: [endingIn10Days()],
        scheduleInfo: forDuration('P30D'),
      }),
    );
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({ end: later('P30D') });
  });

  it('given a limit of 90 days, then the limit is measured from now, not from the original start', () => {
    const elig = eligibility({ start: earlier('P80D'), end: later('P10D') });
    const r = rules({ eligible: { required: true, max: 'P90D' } });
    const ok = decideScheduleRequest(
      given({
        action: 'adminExtend',
        kind: 'eligibility',
        schedules: [elig],
        rules: r,
        scheduleInfo: forDuration('P90D'),
      }),
    );
    const tooLong = decideScheduleRequest(
      given({
        action: 'adminExtend',
        kind: 'eligibility',
        schedules: [elig],
        rules: r,
        scheduleInfo: forDuration('P91D'),
      }),
    );
    expect(ok.kind).toBe('granted');
    expect(tooLong.kind === 'rejected' && tooLong.error.details.violations?.[0]?.ruleId).toBe(
      'Expiration_Admin_Eligibility',
    );
  });

  it.each([
    [
      'ends in 15 days (too early)',
      [eligibility({ end: later('P15D') })],
      until(later('P90D')),
      'request.invalid',
      'only in the 14 days before it ends',
    ],
    ['is permanent', [eligibility()], until(later('P90D')), 'request.invalid', 'permanent'],
    ['does not exist', [], until(later('P90D')), 'schedule.does_not_exist', 'no such assignment'],
    [
      'would end earlier than now',
      [endingIn10Days()],
      until(later('P5D')),
      'request.invalid',
      'must be later than the current end',
    ],
    ['has no new end', [endingIn10Days()], notSpecified(), 'request.invalid', 'new end'],
  ])(
    'given an eligibility that %s, when an administrator extends it, then it is refused',
    (_, schedules, scheduleInfo, code, text) => {
      const d = decideScheduleRequest(
        given({ action: 'adminExtend', kind: 'eligibility', schedules, scheduleInfo }),
      );
      expect(d.kind === 'rejected' && d.error.code).toBe(code);
      expect(d.kind === 'rejected' && d.error.message).toContain(text);
    },
  );

  it('given an eligibility ending in exactly 14 days, when an administrator extends it, then it is granted', () => {
    const d = decideScheduleRequest(
      given({
        action: 'adminExtend',
        kind: 'eligibility',
        schedules: [eligibility({ end: later('P14D') })],
        scheduleInfo: until(later('P60D')),
      }),
    );
    expect(d.kind).toBe('granted');
  });

  it('given an activation, when an administrator extends the active assignment, then schedule.does_not_exist: activations are not extended', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminExtend', schedules: [activation()], scheduleInfo: until(later('PT3H')) }),
    );
    expect(d.kind === 'rejected' && d.error.message).toContain('activation cannot be extended');
  });

  it('given permanent assignments allowed, when an administrator extends to no expiration, then the end becomes null', () => {
    const a = schedule('assignment', { end: later('P3D') });
    const d = decideScheduleRequest(
      given({ action: 'adminExtend', schedules: [a], scheduleInfo: permanent() }),
    );
    expect(d.kind === 'granted' && d.changes).toEqual([{ op: 'update', scheduleId: a.id, end: null }]);
  });
});

describe('selfExtend', () => {
  it('given her eligibility ends in 10 days, when Alice asks to extend it, then the request waits for a role administrator and grants nothing', () => {
    const elig = endingIn10Days();
    const d = decideScheduleRequest(
      given({
        action: 'selfExtend',
        kind: 'eligibility',
        schedules: [elig],
        scheduleInfo: until(later('P90D')),
      }),
    );
    if (d.kind !== 'pendingApproval') throw new Error(JSON.stringify(d));
    expect(d.request).toMatchObject({
      status: 'PendingApproval',
      targetScheduleId: elig.id,
      approvalId: 'req-new',
      completedAt: null,
    });
    expect(d.approval).toMatchObject({ approvers: [], status: 'InProgress', expiresAt: later('P1D') });
  });

  it('given listed approvers for activation, then a self-extension still goes to the default approvers (role administrators)', () => {
    const r = rules({ approvers: [{ kind: 'singleUser', userId: 'approver-1', description: null }] });
    const d = decideScheduleRequest(
      given({
        action: 'selfExtend',
        kind: 'eligibility',
        rules: r,
        schedules: [endingIn10Days()],
        scheduleInfo: until(later('P90D')),
      }),
    );
    expect(d.kind === 'pendingApproval' && d.approval.approvers).toEqual([]);
  });

  it('given no step-up and no justification, then the end-user rules refuse it together', () => {
    const ctx = given({
      action: 'selfExtend',
      kind: 'eligibility',
      stepUp: false,
      justification: null,
      schedules: [endingIn10Days()],
      scheduleInfo: until(later('P90D')),
    });
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'rejected' && d.error.details.violations?.map((v) => v.reason)).toEqual([
      'JustificationRule',
      'MfaRule',
    ]);
  });

  it('given a pending extension already, then schedule.pending_request', () => {
    const first = decideScheduleRequest(
      given({
        action: 'selfExtend',
        kind: 'eligibility',
        schedules: [endingIn10Days()],
        scheduleInfo: until(later('P90D')),
      }),
    );
    if (first.kind !== 'pendingApproval') throw new Error(first.kind);
    const d = decideScheduleRequest(
      given({
        action: 'selfExtend',
        kind: 'eligibility',
        schedules: [endingIn10Days()],
        scheduleInfo: until(later('P90D')),
        pendingRequests: [first.request],
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.pending_request');
  });

  it('given only a group eligibility, when Alice asks to extend, then schedule.does_not_exist (the group holds it)', () => {
    const g = eligibility({ principalId: 'group-1', principalType: 'group', end: later('P10D') });
    const d = decideScheduleRequest(
      given({
        action: 'selfExtend',
        kind: 'eligibility',
        schedules: [g],
        scheduleInfo: until(later('P90D')),
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.does_not_exist');
  });
});
