import { describe, expect, it } from 'vitest';
import type { ScheduleAction } from '../model/request.js';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision } from './decision.js';
import {
  actor,
  admin,
  alice,
  bob,
  earlier,
  eligibility,
  forDuration,
  given,
  globalAdmin,
  helpdesk,
  permanent,
  robot,
  roleAdmin,
  rules,
  until,
} from './test-kit.js';

const errorOf = (d: Decision) => {
  if (d.kind !== 'rejected') throw new Error(`expected rejected, got ${d.kind}`);
  return d.error;
};

const adminActions: ScheduleAction[] = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'adminExtend',
  'adminRenew',
];
const selfActions: ScheduleAction[] = ['selfActivate', 'selfDeactivate', 'selfExtend', 'selfRenew'];

describe('who may ask (invariant 8)', () => {
  it.each(adminActions)(
    'given a user without an admin role, when they call %s, then auth.forbidden names the roles needed',
    (action) => {
      const d = decideScheduleRequest(
        given({ action, actor: actor(bob, { roleIds: new Set(['some-reader-role']) }) }),
      );
      expect(d.kind === 'rejected' && d.error.code).toBe('auth.forbidden');
      expect(d.kind === 'rejected' && d.error.message).toContain(
        'Privileged Role Administrator or Global Administrator',
      );
    },
  );

  it.each([
    ['a Privileged Role Administrator', roleAdmin()],
    ['a Global Administrator', globalAdmin()],
  ])('given %s, when they assign, then it is not refused for lack of rights', (_, who) => {
    expect(decideScheduleRequest(given({ action: 'adminAssign', actor: who })).kind).toBe('granted');
  });

  it.each(selfActions)(
    'given Bob, when he calls %s for Alice, then auth.forbidden ("only … for yourself")',
    (action) => {
      const d = decideScheduleRequest(given({ action, actor: actor(bob) }));
      expect(d.kind === 'rejected' && d.error.code).toBe('auth.forbidden');
      expect(d.kind === 'rejected' && d.error.message).toMatch(/^You can only \w+ roles for yourself/);
    },
  );

  it('given an administrator, when they selfActivate for Alice, then auth.forbidden: admin rights do not make self actions act for others', () => {
    const d = decideScheduleRequest(given({ action: 'selfActivate', actor: roleAdmin() }));
    expect(d.kind === 'rejected' && d.error.code).toBe('auth.forbidden');
  });

  it('given a service principal, when it self-activates, then schedule.principal_type_not_allowed', () => {
    const sp = { ...robot, type: 'servicePrincipal' as const };
    const d = decideScheduleRequest(
      given({
        principal: sp,
        actor: actor(robot, { type: 'servicePrincipal' }),
        schedules: [eligibility({ principalId: robot.id })],
      }),
    );
    expect(d.kind === 'rejected' && d.error.code).toBe('schedule.principal_type_not_allowed');
  });
});

describe('which principals and roles (invariant 7)', () => {
  const sp = { ...robot, type: 'servicePrincipal' as const };
  it.each([
    [
      'eligibility for a service principal',
      given({ action: 'adminAssign', kind: 'eligibility', principal: sp }),
      'schedule.principal_type_not_allowed',
    ],
    [
      'a permanent active assignment for a service principal',
      given({ action: 'adminAssign', principal: sp, scheduleInfo: permanent() }),
      'schedule.principal_type_not_allowed',
    ],
    [
      'an active assignment with no expiration for a service principal',
      given({ action: 'adminAssign', principal: sp, scheduleInfo: null }),
      'schedule.principal_type_not_allowed',
    ],
    [
      'a group that is not role-assignable',
      given({ action: 'adminAssign', principal: { ...helpdesk, type: 'group', isAssignableGroup: false } }),
      'request.invalid',
    ],
    ['a disabled role', given({ action: 'adminAssign', roleEnabled: false }), 'request.invalid'],
    ['activating a disabled role', given({ roleEnabled: false }), 'request.invalid'],
  ])('given %s, then it is refused with the right code', (_, ctx, code) => {
    const d = decideScheduleRequest(ctx);
    expect(d.kind === 'rejected' && d.error.code).toBe(code);
  });

  it('given a service principal and a time-bound active assignment, then it is granted', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', principal: sp, scheduleInfo: forDuration('P30D') }),
    );
    expect(d.kind).toBe('granted');
  });

  it('given a role-assignable group, when an administrator makes it eligible, then it is granted', () => {
    const group = { ...helpdesk, type: 'group' as const, isAssignableGroup: true };
    const d = decideScheduleRequest(
      given({ action: 'adminAssign', kind: 'eligibility', principal: group, scheduleInfo: permanent() }),
    );
    expect(d.kind === 'granted' && d.changes[0]).toMatchObject({
      op: 'create',
      schedule: { principalType: 'group' },
    });
  });

  it('given a disabled role, when an administrator removes an assignment of it, then the removal still goes through', () => {
    const d = decideScheduleRequest(
      given({ action: 'adminRemove', kind: 'eligibility', roleEnabled: false, schedules: [eligibility()] }),
    );
    expect(d.kind).toBe('granted');
  });

  it('given the created-by fields, then they name the actor', () => {
    const d = decideScheduleRequest(given({ action: 'adminAssign' }));
    expect(d.kind === 'granted' && d.request).toMatchObject({
      createdById: admin.id,
      createdByType: 'user',
      principalId: alice.id,
    });
  });
});

describe('bad input', () => {
  it.each([
    ['an eligibility kind', given({ kind: 'eligibility' }), 'request.invalid', 'eligibility'],
    [
      'an unreadable duration',
      given({ scheduleInfo: forDuration('8 hours') }),
      'request.invalid',
      'scheduleInfo.expiration.duration',
    ],
    ['a zero duration', given({ scheduleInfo: forDuration('PT0S') }), 'request.invalid', 'longer than zero'],
    [
      'an end before the start',
      given({ scheduleInfo: until(earlier('PT1H')) }),
      'request.invalid',
      'must be after the start',
    ],
    [
      'afterDuration without a duration',
      given({
        scheduleInfo: {
          startDateTime: null,
          expiration: { type: 'afterDuration', endDateTime: null, duration: null },
        },
      }),
      'request.invalid',
      'scheduleInfo.expiration.duration is required',
    ],
  ])('given %s, then request.invalid naming the problem', (_, ctx, code, text) => {
    const e = errorOf(decideScheduleRequest(ctx));
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });
});

describe('validation only', () => {
  it('given isValidationOnly and a valid request, then validated with the would-be request and no changes', () => {
    const d = decideScheduleRequest(given({ validationOnly: true }));
    expect(d).toEqual({
      kind: 'validated',
      request: expect.objectContaining({ status: 'Provisioned', isValidationOnly: true }),
    });
  });

  it('given isValidationOnly and approval required, then validated (no approval is opened)', () => {
    const d = decideScheduleRequest(given({ validationOnly: true, rules: rules({ approval: true }) }));
    expect(d.kind).toBe('validated');
  });

  it('given isValidationOnly and a broken rule, then rejected as usual', () => {
    expect(decideScheduleRequest(given({ validationOnly: true, justification: null })).kind).toBe('rejected');
  });
});
