import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directoryRoleIds } from '../catalog/directory-roles.js';
import type { Schedule, ScheduleStatus, TargetKind } from '../model/schedule.js';
import {
  activation,
  alice,
  earlier,
  eligibility,
  helpdesk,
  later,
  schedule,
  t0,
} from '../requests/test-kit.js';
import { isWithin } from '../time/window.js';
import { type AccessFacts, type AccessTarget, type GroupMembership, grantMatches } from './access-grant.js';
import { type RolePermissions, roleAllowsAction } from './action-match.js';
import { checkAccess, explainAccess } from './evaluate-access.js';
import { roleCatalogue } from './role-catalogue.js';

const helpdeskAdmin = directoryRoleIds.helpdeskAdministrator;
const passwordAdmin = directoryRoleIds.passwordAdministrator;
const resetPassword = 'microsoft.directory/users/password/update';
const au = '/administrativeUnits/6a7c3b8e-0d4a-4f58-9a8e-2f1c7b9d0e11';
const otherAu = '/administrativeUnits/0f0e0d0c-0b0a-4909-8807-060504030201';
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

const resourceRole: TargetKind = 'resourceRole';
const owner: RolePermissions = {
  id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  displayName: 'Owner',
  permissions: [{ actions: ['*'], notActions: [] }],
};
const contributor: RolePermissions = {
  id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  displayName: 'Contributor',
  permissions: [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }],
};
const roles = roleCatalogue([owner, contributor]);

/** The Helpdesk PAG holds Helpdesk Administrator at `/`, actively and permanently. */
const pagHolds = (p: Partial<Schedule> = {}) =>
  schedule('assignment', {
    principalId: helpdesk.id,
    principalType: 'group',
    roleDefinitionId: helpdeskAdmin,
    ...p,
  });

/** Alice's PIM for Groups membership of the Helpdesk PAG. */
const membership = (kind: 'assignment' | 'eligibility', p: Partial<Schedule> = {}): GroupMembership => ({
  groupId: helpdesk.id,
  displayName: helpdesk.displayName,
  isAssignableToRole: true,
  schedule: schedule(kind, {
    targetKind: 'group',
    roleDefinitionId: 'member',
    scopeId: helpdesk.id,
    assignmentType: kind === 'assignment' ? 'Activated' : null,
    start: t0,
    end: later('PT2H'),
    ...p,
  }),
});
const standing = (p: Partial<GroupMembership> = {}): GroupMembership => ({
  groupId: helpdesk.id,
  displayName: helpdesk.displayName,
  isAssignableToRole: true,
  schedule: null,
  ...p,
});

const facts = (schedules: Schedule[], memberships: GroupMembership[] = []): AccessFacts => ({
  principalId: alice.id,
  memberships,
  schedules,
  roles,
});
const check = (
  f: AccessFacts,
  target: AccessTarget,
  p: { at?: Date; scope?: string; chain?: string[] } = {},
) =>
  checkAccess(f, {
    target,
    scope: p.scope ?? '/',
    at: p.at ?? t0,
    ...(p.chain ? { scopeChain: p.chain } : {}),
  });

describe('checkAccess through an activated PAG membership [t0, t0+2h)', () => {
  const f = facts([pagHolds()], [membership('assignment')]);
  it.each([
    ['a millisecond before the start', ms(t0, -1), false],
    ['the exact instant of the start', t0, true],
    ['inside the window', later('PT1H'), true],
    ['a millisecond before the end', ms(later('PT2H'), -1), true],
    ['the exact instant of the end', later('PT2H'), false],
    ['after the end', later('PT3H'), false],
  ])('at %s, the role and its action are allowed: %s', (_, at, expected) => {
    expect(check(f, { roleDefinitionId: helpdeskAdmin }, { at }).allowed).toBe(expected);
    expect(check(f, { action: resetPassword }, { at }).allowed).toBe(expected);
  });

  it('names the path: the group, the activated membership and its end', () => {
    const d = check(f, { action: resetPassword }, { at: later('PT1H') });
    expect(d.via).toMatchObject({
      state: 'active',
      group: { groupId: helpdesk.id, membership: 'activated' },
      inheritedFrom: null,
      window: { start: t0, end: later('PT2H') },
    });
    expect(d.reason).toBe(
      `'${resetPassword}' is allowed by 'Helpdesk Administrator' (assigned) through activated membership of group 'Helpdesk PAG' until ${later('PT2H').toISOString()} at '/', until ${later('PT2H').toISOString()}.`,
    );
  });

  it('holds only while both windows do: the group’s own assignment ending first ends it', () => {
    const shorter = facts([pagHolds({ end: later('PT1H') })], [membership('assignment')]);
    expect(check(shorter, { roleDefinitionId: helpdeskAdmin }, { at: ms(later('PT1H'), -1) }).allowed).toBe(
      true,
    );
    expect(check(shorter, { roleDefinitionId: helpdeskAdmin }, { at: later('PT1H') }).allowed).toBe(false);
  });

  it('denies an action the role lacks, naming what is active there', () => {
    const d = check(f, { action: 'microsoft.directory/users/delete' }, { at: later('PT1H') });
    expect(d).toEqual({
      allowed: false,
      reason: `No active assignment of a role that allows 'microsoft.directory/users/delete' at '/' at ${later('PT1H').toISOString()} (active there: Helpdesk Administrator).`,
    });
  });
});

describe('checkAccess and explainAccess: paths, eligibility, scopes', () => {
  it('gives a standing member the group’s roles at every instant', () => {
    const f = facts([pagHolds()], [standing()]);
    expect(check(f, { roleDefinitionId: helpdeskAdmin }, { at: later('P400D') }).via?.group).toMatchObject({
      membership: 'static',
      schedule: null,
    });
  });

  it('passes no directory role through a group that is not role-assignable', () => {
    const f = facts([pagHolds()], [standing({ isAssignableToRole: false })]);
    expect(check(f, { roleDefinitionId: helpdeskAdmin }).allowed).toBe(false);
    expect(explainAccess(f, { scope: '/', at: t0 })).toEqual([]);
  });

  it('grants nothing for an eligible membership, and explains the role as eligible through it', () => {
    const f = facts([pagHolds()], [membership('eligibility', { end: later('P90D') })]);
    const d = check(f, { roleDefinitionId: helpdeskAdmin }, { at: later('PT1H') });
    expect(d.allowed).toBe(false);
    expect(d.reason).toContain(
      "eligible for 'Helpdesk Administrator' through eligible membership of group 'Helpdesk PAG'",
    );
    expect(explainAccess(f, { scope: '/', at: later('PT1H') })).toEqual([
      expect.objectContaining({
        state: 'eligible',
        group: expect.objectContaining({ membership: 'eligible' }),
      }),
    ]);
  });

  it('grants nothing for a direct eligibility, and explains it as eligible with its schedule and request', () => {
    const e = eligibility({ roleDefinitionId: passwordAdmin });
    const f = facts([e]);
    expect(check(f, { roleDefinitionId: passwordAdmin }).allowed).toBe(false);
    expect(check(f, { action: resetPassword }).allowed).toBe(false);
    expect(explainAccess(f, { scope: '/', at: t0 })).toEqual([
      {
        state: 'eligible',
        schedule: e,
        roleDisplayName: 'Password Administrator',
        group: null,
        inheritedFrom: null,
        window: { start: e.start, end: null },
      },
    ]);
  });

  it('lists an activation and its eligibility once each, the active one first, after an activation lists it active only once', () => {
    const e = eligibility({ roleDefinitionId: passwordAdmin });
    const a = activation({ roleDefinitionId: passwordAdmin, activatedUsing: e.id });
    const grants = explainAccess(facts([e, a]), { scope: '/', at: t0 });
    expect(grants.map((g) => [g.state, g.schedule.id])).toEqual([
      ['active', a.id],
      ['eligible', e.id],
    ]);
  });

  it.each([
    ['a grant at / is inherited by an administrative unit', '/', au, true, '/'],
    ['a grant at an administrative unit applies there', au, au, true, null],
    ['a grant at an administrative unit does not reach /', au, '/', false, null],
    ['a grant at an administrative unit does not reach another one', au, otherAu, false, null],
    ['a directory role never applies to a subscription', '/', '/subscriptions/a', false, null],
  ])('%s', (_, grantedAt, askedAt, expected, inheritedFrom) => {
    const f = facts([activation({ roleDefinitionId: helpdeskAdmin, scopeId: grantedAt })]);
    const d = check(f, { roleDefinitionId: helpdeskAdmin }, { scope: askedAt });
    expect(d.allowed).toBe(expected);
    if (expected) expect(d.via?.inheritedFrom).toBe(inheritedFrom);
  });

  it('ignores group targets: being a member is not a role', () => {
    const f = facts([membership('assignment').schedule!]);
    expect(explainAccess(f, { scope: '/', at: t0 })).toEqual([]);
  });

  it('answers the past from ended schedules: a deactivated activation held until its cut end, a cancelled one never', () => {
    const deactivated = activation({ end: later('PT30M'), status: 'Revoked', modifiedAt: later('PT30M') });
    const cancelled = activation({
      start: later('PT2H'),
      end: ms(later('PT2H'), 1),
      status: 'Revoked',
      modifiedAt: later('PT10M'),
    });
    const f = facts([deactivated, cancelled]);
    const exchange = { roleDefinitionId: deactivated.roleDefinitionId };
    expect(check(f, exchange, { at: later('PT10M') }).allowed).toBe(true);
    expect(check(f, exchange, { at: later('PT30M') }).allowed).toBe(false);
    expect(check(f, exchange, { at: later('PT2H') }).allowed).toBe(false);
  });

  it('picks the grant that lasts longest as `via`', () => {
    const f = facts(
      [pagHolds(), activation({ roleDefinitionId: helpdeskAdmin, end: later('PT1H') })],
      [standing()],
    );
    expect(check(f, { roleDefinitionId: helpdeskAdmin }).via?.group?.groupId).toBe(helpdesk.id);
  });

  it('denies an unknown role by name or id, saying nothing is active', () => {
    const d = check(facts([]), { roleDefinitionId: helpdeskAdmin }, { at: earlier('PT1H') });
    expect(d).toEqual({
      allowed: false,
      reason: `No active assignment of 'Helpdesk Administrator' at '/' at ${earlier('PT1H').toISOString()}.`,
    });
  });
});

describe('resource roles over a scope tree (a role id → actions catalogue)', () => {
  const mg = '/providers/Microsoft.Management/managementGroups/platform';
  const sub = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
  const rg = `${sub}/resourceGroups/web`;
  const sibling = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223334/resourceGroups/web';
  // The scope tree places the subscription under the management group: that chain comes from the tree.
  const chainOf = (scope: string) =>
    scope.startsWith(sub) ? [scope, ...(scope === sub ? [] : [sub]), mg, '/'] : [scope, '/'];
  const ownerAtMg = activation({ targetKind: resourceRole, roleDefinitionId: owner.id, scopeId: mg });

  it.each([
    ['a resource group under the management group', rg, true],
    ['a resource group of a sibling subscription', sibling, false],
  ])('Owner activated at a management group reaches %s: %s', (_, scope, expected) => {
    const d = check(
      facts([ownerAtMg]),
      { action: 'Microsoft.Compute/virtualMachines/start/action' },
      {
        scope,
        chain: chainOf(scope),
      },
    );
    expect(d.allowed).toBe(expected);
    if (expected) expect(d.via?.inheritedFrom).toBe(mg);
  });

  it('matches scopes by whole segment: /subscriptions/A never covers /subscriptions/AB', () => {
    const f = facts([
      activation({ targetKind: resourceRole, roleDefinitionId: owner.id, scopeId: '/subscriptions/A' }),
    ]);
    expect(check(f, { roleDefinitionId: owner.id }, { scope: '/subscriptions/AB' }).allowed).toBe(false);
    expect(
      check(f, { roleDefinitionId: owner.id }, { scope: '/subscriptions/a/resourceGroups/x' }).allowed,
    ).toBe(true);
  });

  it('honours notActions, and a full ARM role definition id names the same role', () => {
    const f = facts([
      activation({ targetKind: resourceRole, roleDefinitionId: contributor.id, scopeId: sub }),
    ]);
    expect(check(f, { action: 'Microsoft.Authorization/roleAssignments/write' }, { scope: rg }).allowed).toBe(
      false,
    );
    expect(check(f, { action: 'Microsoft.Web/sites/restart/action' }, { scope: rg }).allowed).toBe(true);
    const armId = `${sub}/providers/Microsoft.Authorization/roleDefinitions/${contributor.id}`;
    expect(check(f, { roleDefinitionId: armId }, { scope: rg }).allowed).toBe(true);
  });

  it('reads an Azure role held at the root `/` for resource scopes and by role id, never for directory actions', () => {
    const uaa: RolePermissions = {
      id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
      displayName: 'User Access Administrator',
      permissions: [{ actions: ['*/read', 'Microsoft.Authorization/*'], notActions: [] }],
    };
    const f = {
      ...facts([activation({ targetKind: resourceRole, roleDefinitionId: uaa.id, scopeId: '/' })]),
      roles: roleCatalogue([uaa]),
    };
    const read = { action: 'microsoft.directory/users/standard/read' };
    expect(
      check(f, { action: 'Microsoft.Compute/virtualMachines/read' }, { scope: rg, chain: chainOf(rg) })
        .allowed,
    ).toBe(true);
    expect(check(f, { roleDefinitionId: uaa.id }).allowed).toBe(true);
    expect(check(f, read).allowed).toBe(false);
    expect(check(f, read, { scope: au }).allowed).toBe(false);
    expect(explainAccess(f, { scope: au, at: t0 })).toEqual([]);
  });

  it('passes resource roles through any group, role-assignable or not', () => {
    const group = activation({
      targetKind: resourceRole,
      roleDefinitionId: owner.id,
      scopeId: sub,
      principalId: helpdesk.id,
      principalType: 'group',
    });
    const f = facts([group], [standing({ isAssignableToRole: false })]);
    expect(check(f, { roleDefinitionId: owner.id }, { scope: rg }).allowed).toBe(true);
  });
});

interface WindowSpec {
  start: number;
  length: number | null;
  status: ScheduleStatus;
  kind: 'assignment' | 'eligibility';
  modifiedAfterStart: number;
}

describe('check agrees with explain and with a brute-force reading of the rules, at any instant', () => {
  const pagA = { id: helpdesk.id, assignable: true };
  const groupB = { id: '0b000000-0000-4000-8000-0000000000bb', assignable: false };
  const scopes = [
    '/',
    au,
    otherAu,
    '/subscriptions/a',
    '/subscriptions/a/resourceGroups/r',
    '/subscriptions/ab',
  ];
  const roleIds = [helpdeskAdmin, passwordAdmin, owner.id, contributor.id];
  const targets: AccessTarget[] = [
    ...roleIds.map((roleDefinitionId) => ({ roleDefinitionId })),
    { action: resetPassword },
    { action: 'microsoft.directory/users/delete' },
    { action: 'Microsoft.Compute/virtualMachines/read' },
    { action: 'Microsoft.Authorization/roleAssignments/write' },
  ];
  const hour = 3_600_000;
  const windowArb = fc.record({
    start: fc.integer({ min: -4 * hour, max: 4 * hour }),
    length: fc.option(fc.integer({ min: 1, max: 4 * hour }), { nil: null }),
    status: fc.constantFrom('Scheduled', 'Provisioned', 'Revoked', 'Expired') as fc.Arbitrary<ScheduleStatus>,
    kind: fc.constantFrom('assignment', 'eligibility') as fc.Arbitrary<'assignment' | 'eligibility'>,
    modifiedAfterStart: fc.integer({ min: -hour, max: 5 * hour }),
  });
  const toSchedule = (w: WindowSpec, p: Partial<Schedule>) => {
    const start = ms(t0, w.start);
    return schedule(w.kind, {
      start,
      end: w.length === null ? null : ms(start, w.length),
      status: w.status,
      modifiedAt: ms(start, w.modifiedAfterStart),
      ...p,
    });
  };

  const roleScheduleArb = fc
    .tuple(
      windowArb,
      fc.constantFrom(alice.id, pagA.id, groupB.id),
      fc.constantFrom(...roleIds),
      fc.constantFrom(...scopes),
    )
    .map(([w, holder, roleId, scope]) =>
      toSchedule(w, {
        principalId: holder,
        principalType: holder === alice.id ? 'user' : 'group',
        roleDefinitionId: roleId,
        targetKind: roleId === owner.id || roleId === contributor.id ? resourceRole : 'directoryRole',
        scopeId: scope,
      }),
    );
  const membershipArb = (g: { id: string; assignable: boolean }) =>
    fc.option(
      fc.option(windowArb, { nil: null }).map(
        (w): GroupMembership => ({
          groupId: g.id,
          displayName: g.id,
          isAssignableToRole: g.assignable,
          schedule:
            w === null
              ? null
              : toSchedule(w, {
                  targetKind: 'group',
                  roleDefinitionId: 'member',
                  scopeId: g.id,
                  assignmentType: w.kind === 'assignment' ? 'Activated' : null,
                }),
        }),
      ),
      { nil: undefined },
    );

  /** The rules read literally: an active assignment in its window, at a covering scope, held directly or through a group held then. */
  function oracle(f: AccessFacts, target: AccessTarget, scope: string, at: Date): boolean {
    const within = (s: Schedule) =>
      s.start.getTime() <= at.getTime() &&
      (s.end === null || at.getTime() < s.end.getTime()) &&
      (s.status === 'Scheduled' || s.status === 'Provisioned' || at.getTime() < s.modifiedAt.getTime());
    const seg = (x: string) =>
      x
        .split('/')
        .filter(Boolean)
        .map((p) => p.toLowerCase());
    const covers = (parent: string, child: string) =>
      seg(parent).every((p, i) => p === seg(child)[i]) && seg(parent).length <= seg(child).length;
    const inDirectory = !scope.startsWith('/subscriptions');
    return f.schedules.some((s) => {
      if (s.kind !== 'assignment' || !within(s) || !covers(s.scopeId, scope)) return false;
      if (s.targetKind === 'directoryRole' && !inDirectory) return false;
      if (s.targetKind === 'resourceRole' && inDirectory && scope !== '/') return false;
      const role = roles(s.roleDefinitionId);
      const matches =
        'roleDefinitionId' in target
          ? s.roleDefinitionId === target.roleDefinitionId
          : role !== undefined &&
            roleAllowsAction(role, target.action) &&
            !(s.targetKind === 'resourceRole' && scope === '/');
      if (!matches) return false;
      if (s.principalId === alice.id) return true;
      return f.memberships.some(
        (m) =>
          m.groupId === s.principalId &&
          (m.isAssignableToRole || s.targetKind !== 'directoryRole') &&
          (m.schedule === null || (m.schedule.kind === 'assignment' && within(m.schedule))),
      );
    });
  }

  it('check(at).allowed === some active explain(at) entry matches === the literal rules', () => {
    fc.assert(
      fc.property(
        fc.array(roleScheduleArb, { maxLength: 8 }),
        membershipArb(pagA),
        membershipArb(groupB),
        fc.constantFrom(...targets),
        fc.constantFrom(...scopes),
        fc.integer({ min: -5 * hour, max: 9 * hour }),
        fc.boolean(),
        (schedules, a, b, target, scope, offset, onBoundary) => {
          const memberships = [a, b].filter((m): m is GroupMembership => m !== undefined);
          const f = facts(schedules, memberships);
          // Half the runs ask at an exact start or end of some window, or a millisecond before one.
          const edges = [
            ...schedules,
            ...memberships.flatMap((m) => (m.schedule ? [m.schedule] : [])),
          ].flatMap((s) => [s.start, ...(s.end ? [s.end, ms(s.end, -1)] : [])]);
          const at =
            onBoundary && edges.length > 0 ? edges[Math.abs(offset) % edges.length]! : ms(t0, offset);
          const decision = checkAccess(f, { target, scope, at });
          const explained = explainAccess(f, { scope, at }).some(
            (g) => g.state === 'active' && grantMatches(g, target, roles),
          );
          expect(decision.allowed).toBe(explained);
          expect(decision.allowed).toBe(oracle(f, target, scope, at));
          if (decision.via) expect(isWithin(decision.via.window, at)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
