import { describe, expect, it } from 'vitest';
import { defaultGroupRules } from '../policy/default-rules.js';
import { decideScheduleRequest } from './decide-schedule-request.js';
import type { Decision, DecisionContext } from './decision.js';
import {
  actor,
  alice,
  bob,
  eligibility,
  forDuration,
  type Given,
  given,
  helpdesk,
  later,
  permanent,
  robot,
  roleAdmin,
} from './test-kit.js';

const ops = { id: '6a1b7c2d-0000-4000-8000-0000000000a1', displayName: 'Ops' };
const membership = { targetKind: 'group' as const, roleDefinitionId: 'member', scopeId: ops.id };

interface GroupGiven extends Given {
  readonly accessId?: 'member' | 'owner';
  readonly isAssignableToRole?: boolean;
  readonly actorIsOwner?: boolean;
}

/** Alice and the group Ops: by default she self-activates its membership from her own eligibility, under the group defaults. */
function groupGiven(g: GroupGiven = {}): DecisionContext {
  const accessId = g.accessId ?? 'member';
  const target = { ...membership, roleDefinitionId: accessId };
  const action = g.action ?? 'selfActivate';
  const ctx = given({
    rules: defaultGroupRules(accessId),
    schedules: action === 'selfActivate' ? [eligibility({ ...target, end: later('P30D') })] : [],
    ...g,
  });
  return {
    ...ctx,
    input: { ...ctx.input, ...target },
    target: {
      kind: 'group',
      id: ops.id,
      displayName: ops.displayName,
      accessId,
      isAssignableToRole: g.isAssignableToRole ?? false,
      actorIsOwner: g.actorIsOwner ?? false,
    },
  };
}

const errorOf = (d: Decision) => {
  if (d.kind !== 'rejected') throw new Error(`expected rejected, got ${d.kind}`);
  return d.error;
};

describe('PIM for Groups: who may ask', () => {
  it('given the owner of an ordinary group, when she makes Bob eligible, then it is granted (owners govern their group)', () => {
    const d = decideScheduleRequest(
      groupGiven({
        action: 'adminAssign',
        kind: 'eligibility',
        principal: bob,
        actor: actor(alice),
        actorIsOwner: true,
        scheduleInfo: forDuration('P30D'),
      }),
    );
    expect(d.kind).toBe('granted');
    expect(d.kind === 'granted' && d.request).toMatchObject({ ...membership, principalId: bob.id });
  });

  it('given the owner of a role-assignable group, when she assigns, then only role administrators may', () => {
    const error = errorOf(
      decideScheduleRequest(
        groupGiven({
          action: 'adminAssign',
          principal: bob,
          actor: actor(alice),
          actorIsOwner: true,
          isAssignableToRole: true,
          scheduleInfo: forDuration('PT8H'),
        }),
      ),
    );
    expect(error.code).toBe('auth.forbidden');
    expect(error.message).toContain('(the group is role-assignable)');
  });

  it('given someone who neither owns the group nor administers roles, then auth.forbidden names ownership too', () => {
    const error = errorOf(
      decideScheduleRequest(groupGiven({ action: 'adminAssign', principal: bob, actor: actor(alice) })),
    );
    expect(error.code).toBe('auth.forbidden');
    expect(error.message).toContain('or ownership of the group');
  });

  it('given a Privileged Role Administrator, then a role-assignable group is hers to govern', () => {
    const d = decideScheduleRequest(
      groupGiven({
        action: 'adminAssign',
        principal: bob,
        actor: roleAdmin(),
        isAssignableToRole: true,
        scheduleInfo: forDuration('PT8H'),
      }),
    );
    expect(d.kind).toBe('granted');
  });
});

describe('PIM for Groups: which principals', () => {
  const adminAssign = (p: GroupGiven) =>
    decideScheduleRequest(
      groupGiven({ action: 'adminAssign', actor: roleAdmin(), scheduleInfo: forDuration('P30D'), ...p }),
    );

  it('given a group as member of a role-assignable group, then nesting is refused', () => {
    const error = errorOf(
      adminAssign({
        principal: { ...helpdesk, type: 'group' },
        isAssignableToRole: true,
        kind: 'eligibility',
      }),
    );
    expect(error.message).toContain('cannot contain other groups');
  });

  it('given a group as member of an ordinary group, then it is allowed', () => {
    expect(adminAssign({ principal: { ...helpdesk, type: 'group' }, kind: 'eligibility' }).kind).toBe(
      'granted',
    );
  });

  it('given a group as owner, or the group itself as member, then it is refused', () => {
    expect(
      errorOf(
        adminAssign({ principal: { ...helpdesk, type: 'group' }, accessId: 'owner', kind: 'eligibility' }),
      ).message,
    ).toContain('cannot own a group');
    expect(
      errorOf(adminAssign({ principal: { ...ops, type: 'group' }, kind: 'eligibility' })).message,
    ).toContain('cannot be its own member');
  });

  it('given a service principal, then it may hold only time-bound active membership (invariant 7)', () => {
    const sp = { ...robot, type: 'servicePrincipal' as const };
    expect(errorOf(adminAssign({ principal: sp, kind: 'eligibility' })).code).toBe(
      'schedule.principal_type_not_allowed',
    );
    expect(errorOf(adminAssign({ principal: sp, scheduleInfo: permanent() })).message).toContain(
      "membership of group 'Ops' only for a limited time",
    );
    expect(adminAssign({ principal: sp, scheduleInfo: forDuration('PT8H') }).kind).toBe('granted');
  });
});

describe('PIM for Groups: activation', () => {
  it('given her eligible membership, when Alice activates for an hour, then a membership schedule of the group is granted', () => {
    const d = decideScheduleRequest(groupGiven());
    expect(d.kind).toBe('granted');
    if (d.kind !== 'granted') return;
    expect(d.changes).toEqual([
      {
        op: 'create',
        schedule: expect.objectContaining({ ...membership, kind: 'assignment', assignmentType: 'Activated' }),
      },
    ]);
  });

  it('given an eligibility for the ownership only, or for a role with the same ids, then membership is not covered (EligibilityRule)', () => {
    for (const held of [
      eligibility({ ...membership, roleDefinitionId: 'owner' }),
      eligibility({ targetKind: 'directoryRole', roleDefinitionId: 'member', scopeId: ops.id }),
    ]) {
      const error = errorOf(decideScheduleRequest(groupGiven({ schedules: [held] })));
      expect(error.message).toContain('EligibilityRule');
      expect(error.message).toContain("Activating membership of group 'Ops'");
    }
  });

  it('given no justification, then the group default (justification only, no MFA) refuses naming the rule', () => {
    const error = errorOf(decideScheduleRequest(groupGiven({ justification: null, stepUp: false })));
    expect(error.message).toContain('JustificationRule');
    expect(error.message).not.toContain('MfaRule');
  });

  it('given an activation already live, then a second one overlapping is RoleAssignmentExists on the group', () => {
    const live = eligibility({ ...membership, end: later('P30D') });
    const active = eligibility({
      ...membership,
      kind: 'assignment',
      assignmentType: 'Activated',
      activatedUsing: live.id,
      end: later('PT2H'),
    });
    const error = errorOf(decideScheduleRequest(groupGiven({ schedules: [live, active] })));
    expect(error.code).toBe('schedule.exists');
    expect(error.message).toContain("membership of group 'Ops'");
  });
});
