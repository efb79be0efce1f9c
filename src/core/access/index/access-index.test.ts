import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { azureRoleIds } from '../../catalog/azure-roles.js';
import { directoryRoleIds } from '../../catalog/directory-roles.js';
import type { Schedule } from '../../model/schedule.js';
import { pathScopeChain, scopeKey } from '../../scope/scope-plane.js';
import type { AccessTarget, GroupMembership } from '../access-grant.js';
import type { RolePermissions } from '../action-match.js';
import { checkAccess } from '../evaluate-access.js';
import { roleCatalogue } from '../role-catalogue.js';
import { createAccessIndex, heldWindow, type IndexQueries, type IndexQuery } from './access-index.js';
import { type AskedAction, askedAction } from './role-actions.js';
import { type AskedScope, askedScope } from './scope-chains.js';

/**
 * Questions as the columns `checkColumns` reads, each scope and action through a handle kept per spelling in
 * `handles` and `actionHandles`.
 */
function columnsOf(
  questions: readonly IndexQuery[],
  handles = new Map<string, AskedScope>(),
  actionHandles = new Map<string, AskedAction>(),
): IndexQueries {
  const actionOf = (action: string) => {
    let h = actionHandles.get(action);
    if (h === undefined) {
      h = askedAction(action);
      actionHandles.set(action, h);
    }
    return h;
  };
  const handleOf = (scope: string) => {
    let h = handles.get(scope);
    if (h === undefined) {
      h = askedScope(scope);
      handles.set(scope, h);
    }
    return h;
  };
  return {
    principalIds: questions.map((q) => q.principalId),
    roleIds: questions.map((q) => ('roleDefinitionId' in q.target ? q.target.roleDefinitionId : undefined)),
    actions: questions.map((q) => actionOf('action' in q.target ? q.target.action : '')),
    scopes: questions.map((q) => handleOf(q.scope)),
    ats: Float64Array.from(questions, (q) => q.at),
  };
}

const hour = 3_600_000;
const t0 = Date.parse('2026-03-01T12:00:00Z');
const me = '0000000a-0000-4000-8000-000000000001';
const groupIds = ['0000000a-0000-4000-8000-000000000011', '0000000a-0000-4000-8000-000000000012'];
const root = '/providers/microsoft.management/managementgroups/root';
const mg = '/providers/microsoft.management/managementgroups/mg-a';
const sub = '/subscriptions/0000000a-0000-4000-8000-000000000041';
const rg = `${sub}/resourcegroups/rg1`;
const tree: Record<string, string | null> = { [root]: null, [mg]: root, [sub]: mg, [rg]: sub };
const au = '/administrativeUnits/0000000a-0000-4000-8000-000000000031';
const custom: RolePermissions[] = [
  {
    id: '0000000a-0000-4000-8000-000000000021',
    displayName: 'Pattern',
    permissions: [{ actions: ['microsoft.directory/users/allProperties/read'], notActions: [] }],
  },
  {
    id: '0000000a-0000-4000-8000-000000000022',
    displayName: 'Exact',
    permissions: [
      {
        actions: ['microsoft.directory/users/basic/read', 'Microsoft.Compute/virtualMachines/start/action'],
        notActions: [],
      },
    ],
    exactActions: true,
  },
];
const roles = [
  directoryRoleIds.helpdeskAdministrator,
  azureRoleIds.owner,
  azureRoleIds.reader,
  ...custom.map((r) => r.id),
];
const actions = [
  'microsoft.directory/users/password/update',
  'microsoft.directory/users/basic/read',
  'Microsoft.Compute/virtualMachines/start/action',
  'Microsoft.Compute/virtualMachines/read',
];
const scopes = ['/', au, root, mg, sub, rg, `${rg}/providers/microsoft.compute/virtualmachines/vm1`];

/** The chain `scopeChains` reads from the database, from the fixed tree above. */
function chainOf(scope: string): string[] {
  const path = pathScopeChain(scope).map(scopeKey);
  if (!scope.startsWith('/subscriptions') && !scope.startsWith('/providers')) return path;
  const i = path.findIndex((p) => p in tree);
  if (i < 0) return path;
  const out = path.slice(0, i);
  for (let at: string | null = path[i] ?? null; at !== null; at = tree[at] ?? null) out.push(at);
  return [...out, '/'];
}

const at = (k: number) => new Date(t0 + k * hour);
const win = fc.record({
  start: fc.integer({ min: -3, max: 3 }),
  length: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  status: fc.constantFrom('Provisioned', 'Scheduled', 'Revoked', 'Expired' as const),
  modified: fc.integer({ min: -3, max: 5 }),
});
type Win = { start: number; length: number | null; status: string; modified: number };
let serial = 0;
const schedule = (
  w: Win,
  s: Partial<Schedule> &
    Pick<Schedule, 'kind' | 'principalId' | 'targetKind' | 'roleDefinitionId' | 'scopeId'>,
): Schedule => ({
  id: `0000000a-0000-4000-8000-${String(++serial).padStart(12, '0')}`,
  principalType: 'user',
  assignmentType: s.kind === 'assignment' ? 'Activated' : null,
  start: at(w.start),
  end: w.length === null ? null : at(w.start + w.length),
  status: w.status as Schedule['status'],
  createdUsing: me,
  activatedUsing: null,
  createdAt: at(-10),
  modifiedAt: at(w.modified),
  ...s,
});

const world = fc.record({
  assignable: fc.tuple(fc.boolean(), fc.boolean()),
  memberships: fc.array(
    fc.record({
      group: fc.nat(1),
      pim: fc.option(fc.record({ kind: fc.constantFrom('assignment', 'eligibility' as const), w: win })),
    }),
    { maxLength: 3 },
  ),
  grants: fc.array(
    fc.record({
      holder: fc.nat(2),
      kind: fc.constantFrom('assignment', 'assignment', 'eligibility' as const),
      directory: fc.boolean(),
      role: fc.nat(roles.length - 1),
      scope: fc.nat(scopes.length - 1),
      w: win,
    }),
    { maxLength: 8 },
  ),
});

describe('the access index', () => {
  it('answers every question as checkAccess does over the same facts', () => {
    fc.assert(
      fc.property(world, (w) => {
        const memberships: GroupMembership[] = w.memberships.map((m) => ({
          groupId: groupIds[m.group] as string,
          displayName: `G${m.group}`,
          isAssignableToRole: w.assignable[m.group] as boolean,
          schedule: m.pim
            ? schedule(m.pim.w, {
                kind: m.pim.kind,
                principalId: me,
                targetKind: 'group',
                roleDefinitionId: 'member',
                scopeId: groupIds[m.group] as string,
              })
            : null,
        }));
        const schedules = w.grants.map((g) =>
          schedule(g.w, {
            kind: g.kind,
            principalId: g.holder === 0 ? me : (groupIds[g.holder - 1] as string),
            targetKind: g.directory ? 'directoryRole' : 'resourceRole',
            roleDefinitionId: roles[g.role] as string,
            scopeId: g.directory ? (g.scope % 2 === 0 ? '/' : au) : (scopes[g.scope] as string),
          }),
        );
        const index = createAccessIndex();
        index.setCustomRoles(custom);
        for (const [id, parent] of Object.entries(tree)) index.setTreeScope(id, parent);
        index.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
        groupIds.forEach((id, i) => {
          index.setPrincipal(id, { id, type: 'group', isAssignableToRole: w.assignable[i] as boolean });
        });
        for (const m of memberships) {
          if (m.schedule?.kind === 'eligibility') continue;
          const window = m.schedule
            ? heldWindow({
                start: m.schedule.start.getTime(),
                end: m.schedule.end?.getTime() ?? null,
                status: m.schedule.status,
                modifiedAt: m.schedule.modifiedAt.getTime(),
              })
            : { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
          index.addMembership({ memberId: me, groupId: m.groupId, ...window });
        }
        for (const s of schedules) {
          if (s.kind !== 'assignment') continue;
          const window = heldWindow({
            start: s.start.getTime(),
            end: s.end?.getTime() ?? null,
            status: s.status,
            modifiedAt: s.modifiedAt.getTime(),
          });
          index.addGrant({
            holderId: s.principalId,
            targetKind: s.targetKind as 'directoryRole',
            roleDefinitionId: s.roleDefinitionId,
            scopeId: s.scopeId,
            ...window,
          });
        }
        const facts = { principalId: me, memberships, schedules, roles: roleCatalogue(custom) };
        const targets: AccessTarget[] = [
          ...roles.map((r) => ({ roleDefinitionId: r })),
          ...actions.map((a) => ({ action: a })),
        ];
        const questions: IndexQuery[] = [];
        const answers: boolean[] = [];
        for (const scope of scopes)
          for (const target of targets)
            for (const k of [-3, -1, 0, 1, 2, 4]) {
              const when = at(k);
              const expected = checkAccess(facts, {
                target,
                scope,
                scopeChain: chainOf(scope),
                at: when,
              }).allowed;
              const question = { principalId: me, target, scope, at: when.getTime() };
              expect(index.check(question), JSON.stringify({ scope, target, k })).toBe(expected);
              questions.push(question, { ...question, principalId: groupIds[k & 1] as string });
              answers.push(expected, index.check({ ...question, principalId: groupIds[k & 1] as string }));
            }
        // Many at once (batches, a principal nobody knows among them): the same answers, in order.
        questions.push({
          ...(questions[0] as IndexQuery),
          principalId: 'ffffffff-0000-4000-8000-000000000000',
        });
        answers.push(false);
        expect(index.checkMany(questions)).toEqual(answers);
        // As columns, twice with the same scope handles (the second time their chains are read from them).
        const handles = new Map<string, AskedScope>();
        const actionHandles = new Map<string, AskedAction>();
        expect(index.checkColumns(columnsOf(questions, handles, actionHandles))).toEqual(answers);
        expect(index.checkColumns(columnsOf(questions, handles, actionHandles))).toEqual(answers);
      }),
      { numRuns: 120 },
    );
  });
});

describe('the tenant-wide directory roles of a principal', () => {
  const [assignable, plain] = groupIds as [string, string];
  const grant = (
    holderId: string,
    roleDefinitionId: string,
    scopeId: string,
    start: number,
    end: number,
  ) => ({
    holderId,
    targetKind:
      roleDefinitionId === azureRoleIds.owner ? ('resourceRole' as const) : ('directoryRole' as const),
    roleDefinitionId,
    scopeId,
    start,
    end,
  });

  it('lists directory roles at / held at the instant, its own and through role-assignable groups only', () => {
    const index = createAccessIndex();
    index.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
    index.setPrincipal(assignable, { id: assignable, type: 'group', isAssignableToRole: true });
    index.setPrincipal(plain, { id: plain, type: 'group', isAssignableToRole: false });
    index.addGrant(grant(me, directoryRoleIds.helpdeskAdministrator, '/', t0, t0 + hour));
    index.addGrant(grant(me, directoryRoleIds.globalReader, au, t0, t0 + hour));
    index.addGrant(grant(me, azureRoleIds.owner, '/', t0, t0 + hour));
    index.addGrant(grant(assignable, directoryRoleIds.globalReader, '/', t0, Number.POSITIVE_INFINITY));
    index.addGrant(grant(plain, directoryRoleIds.globalAdministrator, '/', t0, Number.POSITIVE_INFINITY));
    index.addMembership({ memberId: me, groupId: assignable, start: t0 + hour / 2, end: t0 + 2 * hour });
    index.addMembership({ memberId: me, groupId: plain, start: t0, end: Number.POSITIVE_INFINITY });

    const at = (ms: number) => index.tenantDirectoryRoles(me, t0 + ms).sort();
    expect(at(-1)).toEqual([]);
    expect(at(0)).toEqual([directoryRoleIds.helpdeskAdministrator]);
    expect(at(hour / 2)).toEqual(
      [directoryRoleIds.globalReader, directoryRoleIds.helpdeskAdministrator].sort(),
    );
    expect(at(hour)).toEqual([directoryRoleIds.globalReader]);
    expect(at(2 * hour)).toEqual([]);
    expect(index.tenantDirectoryRoles(me.toUpperCase(), t0)).toEqual([
      directoryRoleIds.helpdeskAdministrator,
    ]);
    expect(index.tenantDirectoryRoles('0000000a-0000-4000-8000-0000000000ff', t0)).toEqual([]);

    // A change to the group's role-assignability reaches its members at once.
    index.setPrincipal(plain, { id: plain, type: 'group', isAssignableToRole: true });
    expect(at(2 * hour)).toEqual([directoryRoleIds.globalAdministrator]);
  });
});

describe('the scope tree in the index', () => {
  it('follows a subscription moved to another management group, and one removed from the tree', () => {
    const index = createAccessIndex();
    for (const [id, parent] of Object.entries(tree)) index.setTreeScope(id, parent);
    const other = '/providers/microsoft.management/managementgroups/mg-b';
    index.setTreeScope(other, root);
    index.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
    index.addGrant({
      holderId: me,
      targetKind: 'resourceRole',
      roleDefinitionId: azureRoleIds.reader,
      scopeId: mg,
      start: t0,
      end: Number.POSITIVE_INFINITY,
    });
    const ask = (scope: string) => ({
      principalId: me,
      target: { roleDefinitionId: azureRoleIds.reader },
      scope,
      at: t0,
    });
    // Scope handles kept across the changes (as the access service keeps them) follow the tree too.
    const handles = new Map<string, AskedScope>();
    const both = (questions: IndexQuery[]) => {
      const answers = index.checkMany(questions);
      expect(index.checkColumns(columnsOf(questions, handles))).toEqual(answers);
      return answers;
    };
    expect(both([ask(rg), ask(sub), ask(other)])).toEqual([true, true, false]);

    index.setTreeScope(sub, other);
    expect(both([ask(rg), ask(sub), ask(mg)])).toEqual([false, false, true]);
    // A second index (as after a full reload) never reads another's chains through a handle.
    const fresh = createAccessIndex();
    for (const [id, parent] of Object.entries(tree)) fresh.setTreeScope(id, parent);
    fresh.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
    fresh.addGrant({
      holderId: me,
      targetKind: 'resourceRole',
      roleDefinitionId: azureRoleIds.reader,
      scopeId: mg,
      start: t0,
      end: Number.POSITIVE_INFINITY,
    });
    expect(fresh.checkColumns(columnsOf([ask(rg), ask(sub), ask(other)], handles))).toEqual([
      true,
      true,
      false,
    ]);
    expect(both([ask(rg), ask(sub), ask(mg)])).toEqual([false, false, true]);

    index.setTreeScope(sub, mg);
    expect(index.check(ask(rg))).toBe(true);
    // Out of the tree, a subscription inherits by path only (`/`, not the management group).
    index.removeTreeScope(sub);
    expect(index.check(ask(rg))).toBe(false);
  });
  it('never reads a grant below the asked scope from the chain cache once it started again', () => {
    const index = createAccessIndex();
    for (const [id, parent] of Object.entries(tree)) index.setTreeScope(id, parent);
    index.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
    index.addGrant({
      holderId: me,
      targetKind: 'resourceRole',
      roleDefinitionId: azureRoleIds.reader,
      scopeId: rg,
      start: t0,
      end: Number.POSITIVE_INFINITY,
    });
    const ask = (scope: string) => ({
      principalId: me,
      target: { roleDefinitionId: azureRoleIds.reader },
      scope,
      at: t0,
    });
    expect(index.check(ask(rg))).toBe(true);
    // A tree change starts the cache again: the management group's shorter chain is written where the resource
    // group's was, and the words past its end must not still name the resource group.
    index.setTreeScope('/providers/microsoft.management/managementgroups/mg-b', root);
    expect(index.check(ask(mg))).toBe(false);
    expect(index.checkMany([ask(sub), ask(rg)])).toEqual([false, true]);
  });
});

describe('handles for asked actions', () => {
  it('are read again after the action ids started again', () => {
    const index = createAccessIndex();
    index.setPrincipal(me, { id: me, type: 'user', isAssignableToRole: false });
    index.addGrant({
      holderId: me,
      targetKind: 'directoryRole',
      roleDefinitionId: directoryRoleIds.helpdeskAdministrator,
      scopeId: '/',
      start: t0,
      end: Number.POSITIVE_INFINITY,
    });
    const allowed = askedAction('microsoft.directory/users/password/update');
    const denied = askedAction('microsoft.directory/users/delete');
    const root = askedScope('/');
    const ask = () =>
      index.checkColumns({
        principalIds: [me, me],
        roleIds: [undefined, undefined],
        actions: [denied, allowed],
        scopes: [root, root],
        ats: [t0, t0],
      });
    expect(ask()).toEqual([false, true]);
    // Past 100,000 distinct actions the ids start again: the handles' ids are stale, and looked up again.
    for (let i = 0; i <= 100_000; i++)
      index.check({
        principalId: me,
        target: { action: `microsoft.directory/x${i}/read` },
        scope: '/',
        at: t0,
      });
    expect(ask()).toEqual([false, true]);
  });
});
