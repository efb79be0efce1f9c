import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { AccessIndexSync } from '../../src/app/access/access-index-sync.js';
import type { AccessCheckInput, AccessService } from '../../src/app/access/access-service.js';
import type { CallContext } from '../../src/app/context.js';
import { azureRoleIds } from '../../src/core/catalog/azure-roles.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { activeTenantRoleIds, memberGroupIds } from '../../src/db/repositories/principal-repository.js';
import type { DB } from '../../src/db/schema.js';

/**
 * A small tenant where every kind of fact that decides access can change: users, groups (role-assignable or
 * not), standing and PIM memberships, directory and resource role schedules of any kind, status and window, a
 * resource tree whose subscription moves between management groups, and custom roles (pattern and literal)
 * whose actions change. Random changes are applied with plain SQL, as any use case would write them.
 */
const hour = 3_600_000;
export const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (k: number) => new Date(t0 + k * hour);

const uuid = (n: number, prefix: string) => `${prefix}${String(n).padStart(12 - prefix.length + 8, '0')}`;
const id = (n: number) => `${uuid(n, '0000000a').slice(0, 8)}-0000-4000-8000-${String(n).padStart(12, '0')}`;

const users = [1, 2, 3, 4].map(id);
const groups = [11, 12, 13].map(id);
const customPattern = id(21);
const customExact = id(22);
const au = `/administrativeUnits/${id(31)}`;
const sub = id(41);

const root = '/providers/microsoft.management/managementgroups/tenant-root';
const mgA = '/providers/microsoft.management/managementgroups/mg-a';
const mgB = '/providers/microsoft.management/managementgroups/mg-b';
const subscription = `/subscriptions/${sub}`;
const rg = `${subscription}/resourcegroups/rg1`;
const vm = `${rg}/providers/microsoft.compute/virtualmachines/vm1`;

const directoryRoles = [
  directoryRoleIds.helpdeskAdministrator,
  directoryRoleIds.globalReader,
  customPattern,
  customExact,
];
const resourceRoles = [azureRoleIds.owner, azureRoleIds.reader, customPattern, customExact];
const actions = [
  'microsoft.directory/users/password/update',
  'microsoft.directory/users/basic/read',
  'microsoft.directory/users/allProperties/read',
  'Microsoft.Compute/virtualMachines/start/action',
  'Microsoft.Compute/virtualMachines/read',
];
const askedScopes = [
  '/',
  au,
  mgA,
  mgB,
  subscription,
  rg,
  `/subscriptions/${sub}/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1`,
  `/subscriptions/${sub}/resourceGroups/unregistered`,
];
const statuses = ['Provisioned', 'Provisioned', 'Scheduled', 'Revoked', 'Expired'];
const offsets = fc.integer({ min: -3, max: 6 });

/** Creates the fixed part: principals, the tree, the custom roles. */
export async function seedWorld(db: Kysely<DB>): Promise<void> {
  const now = at(0);
  await db
    .insertInto('users')
    .values(
      users.map((u, i) => ({
        id: u,
        user_principal_name: `u${i}@w.example`,
        display_name: `U${i}`,
        account_enabled: true,
        is_emergency_access: false,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('groups')
    .values(
      groups.map((g, i) => ({
        id: g,
        display_name: `G${i}`,
        mail_nickname: `g${i}`,
        security_enabled: true,
        mail_enabled: false,
        is_assignable_to_role: i === 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const scope = (
    sid: string,
    type: 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource',
    parent: string | null,
  ) => ({
    id: sid,
    path: sid,
    type,
    name: sid.split('/').pop() ?? sid,
    display_name: sid,
    parent_id: parent,
    created_at: now,
    updated_at: now,
  });
  for (const s of [
    scope(root, 'managementGroup', null),
    scope(mgA, 'managementGroup', root),
    scope(mgB, 'managementGroup', root),
    scope(subscription, 'subscription', mgA),
    scope(rg, 'resourceGroup', subscription),
    scope(vm, 'resource', rg),
  ])
    await db.insertInto('resource_scopes').values(s).execute();
  await db
    .insertInto('custom_role_definitions')
    .values([
      {
        id: customPattern,
        display_name: 'Pattern role',
        is_enabled: true,
        allowed_resource_actions: JSON.stringify(['microsoft.directory/users/allProperties/read']) as never,
        created_at: now,
        updated_at: now,
      },
      {
        id: customExact,
        display_name: 'Exact role',
        is_enabled: true,
        exact_actions: true,
        allowed_resource_actions: JSON.stringify([actions[2], actions[3]]) as never,
        created_at: now,
        updated_at: now,
      },
    ])
    .execute();
}

const holder = fc.oneof(
  fc.constantFrom(...users).map((h) => ({ id: h, type: 'user' })),
  fc.constantFrom(...groups).map((h) => ({ id: h, type: 'group' })),
);
const window = fc
  .tuple(
    offsets,
    fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    fc.constantFrom(...statuses),
    fc.integer({ min: -3, max: 7 }),
  )
  .map(([start, length, status, modified]) => ({
    start,
    end: length === null ? null : start + length,
    status,
    modified,
  }));

/** One change to the world. */
const kind = fc.constantFrom('assignment', 'assignment', 'eligibility');
export const change = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('roleSchedule' as const),
      holder,
      kind,
      directory: fc.boolean(),
      role: fc.nat(3),
      scope: fc.nat(7),
      window,
      activated: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('memberSchedule' as const),
      user: fc.constantFrom(...users),
      group: fc.constantFrom(...groups),
      kind,
      window,
    }),
  },
  fc.record({ op: fc.constant('deleteSchedule' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('endSchedule' as const), pick: fc.nat(), at: offsets }),
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('standing' as const),
      user: fc.constantFrom(...users),
      group: fc.constantFrom(...groups),
      add: fc.boolean(),
    }),
  },
  fc.record({
    op: fc.constant('assignable' as const),
    group: fc.constantFrom(...groups),
    value: fc.boolean(),
  }),
  fc.record({ op: fc.constant('moveSubscription' as const), toB: fc.boolean() }),
  fc.record({
    op: fc.constant('customActions' as const),
    exact: fc.boolean(),
    actions: fc.subarray(actions),
  }),
  fc.record({
    op: fc.constant('userExists' as const),
    user: fc.constantFrom(users[3] as string),
    exists: fc.boolean(),
  }),
);
export type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

let serial = 1000;

/** Applies one change; a change the database refuses (an overlapping live schedule) is skipped. */
export async function apply(db: Kysely<DB>, c: Change): Promise<void> {
  const now = at(0);
  const newId = () => id(++serial);
  try {
    switch (c.op) {
      case 'roleSchedule': {
        const directory = c.directory;
        const scopePool = directory
          ? ['/', au]
          : ['/', root, mgA, mgB, subscription, rg, vm, `/subscriptions/${sub}/resourcegroups/unregistered`];
        await db
          .insertInto('schedules')
          .values({
            id: newId(),
            kind: c.kind as 'assignment',
            principal_id: c.holder.id,
            principal_type: c.holder.type,
            target_kind: directory ? 'directoryRole' : 'resourceRole',
            role_definition_id: (directory ? directoryRoles : resourceRoles)[c.role] as string,
            scope_id: scopePool[c.scope % scopePool.length] as string,
            assignment_type: c.kind === 'assignment' ? (c.activated ? 'Activated' : 'Assigned') : null,
            start_at: at(c.window.start),
            end_at: c.window.end === null ? null : at(c.window.end),
            status: c.window.status,
            created_using: newId(),
            created_at: now,
            modified_at: at(c.window.modified),
          })
          .execute();
        return;
      }
      case 'memberSchedule':
        await db
          .insertInto('schedules')
          .values({
            id: newId(),
            kind: c.kind as 'assignment',
            principal_id: c.user,
            principal_type: 'user',
            target_kind: 'group',
            role_definition_id: 'member',
            scope_id: c.group,
            assignment_type: c.kind === 'assignment' ? 'Activated' : null,
            start_at: at(c.window.start),
            end_at: c.window.end === null ? null : at(c.window.end),
            status: c.window.status,
            created_using: newId(),
            created_at: now,
            modified_at: at(c.window.modified),
          })
          .execute();
        return;
      case 'deleteSchedule':
      case 'endSchedule': {
        const all = await db.selectFrom('schedules').select('id').orderBy('id').execute();
        const target = all[c.pick % Math.max(1, all.length)]?.id;
        if (!target) return;
        if (c.op === 'deleteSchedule') await db.deleteFrom('schedules').where('id', '=', target).execute();
        else
          await db
            .updateTable('schedules')
            .set({ status: 'Revoked', modified_at: at(c.at) })
            .where('id', '=', target)
            .execute();
        return;
      }
      case 'standing':
        if (c.add)
          await db
            .insertInto('group_relationships')
            .values({
              group_id: c.group,
              relationship: 'member',
              principal_id: c.user,
              principal_type: 'user',
              created_at: now,
            })
            .execute();
        else
          await db
            .deleteFrom('group_relationships')
            .where('group_id', '=', c.group)
            .where('principal_id', '=', c.user)
            .execute();
        return;
      case 'assignable':
        await db
          .updateTable('groups')
          .set({ is_assignable_to_role: c.value })
          .where('id', '=', c.group)
          .execute();
        return;
      case 'moveSubscription':
        await db
          .updateTable('resource_scopes')
          .set({ parent_id: c.toB ? mgB : mgA })
          .where('id', '=', subscription)
          .execute();
        return;
      case 'customActions':
        await db
          .updateTable('custom_role_definitions')
          .set({ allowed_resource_actions: JSON.stringify(c.actions) as never })
          .where('id', '=', c.exact ? customExact : customPattern)
          .execute();
        return;
      case 'userExists':
        if (c.exists)
          await db
            .insertInto('users')
            .values({
              id: c.user,
              user_principal_name: 'u3@w.example',
              display_name: 'U3',
              account_enabled: true,
              is_emergency_access: false,
              created_at: now,
              updated_at: now,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
        else await db.deleteFrom('users').where('id', '=', c.user).execute();
        return;
    }
  } catch (error) {
    if (process.env.DEBUG_WORLD) console.log('refused', String(error).slice(0, 120));
    if (!/overlap|conflicting key|exclusion|duplicate key|unique/i.test(String(error))) throw error;
  }
}

/** Every question about the world: each user and group, target, scope and instant. */
function allQuestions(): AccessCheckInput[] {
  const out: AccessCheckInput[] = [];
  const targets = [
    ...[...new Set([...directoryRoles, ...resourceRoles])].map((r) => ({ roleDefinitionId: r })),
    ...actions.map((a) => ({ action: a })),
  ];
  for (const principalId of [...users, groups[0] as string])
    for (const target of targets)
      for (const scope of askedScopes)
        for (const k of [-3, -1, 0, 1, 2, 4, 6])
          out.push({ principalId, target, scope, at: new Date(t0 + k * hour + (k % 2) * 1) });
  return out;
}

export const reader: CallContext = {
  actor: {
    id: '00000000-0000-4000-8000-00000000beef',
    type: 'user',
    displayName: 'Reader',
    roleIds: new Set([directoryRoleIds.globalReader]),
    mfa: true,
  },
  requestId: 'test',
};

/** Asserts that the index (`decide`) gives the database-backed evaluator's (`check`) answer to every question. */
export async function expectAgreement(index: AccessService, evaluator: AccessService = index): Promise<void> {
  const questions = allQuestions();
  const expected: boolean[] = [];
  for (let i = 0; i < questions.length; i += 1000)
    expected.push(...(await evaluator.check(reader, questions.slice(i, i + 1000))).map((d) => d.allowed));
  const got = await index.decide(reader, questions);
  const wrong = questions
    .map((q, i) => ({ q, expected: expected[i], got: got[i] }))
    .filter((x) => x.expected !== x.got);
  if (process.env.DEBUG_WORLD) console.log('allowed', got.filter(Boolean).length, 'of', got.length);
  expect(wrong.slice(0, 3)).toEqual([]);
}

/**
 * Asserts that the index lists the tenant-wide directory roles (at `/`) each user and group holds — what an
 * authenticated caller's `roleIds` are — as the database functions authentication used before list them
 * (`memberGroupIds` with role-assignable groups only, then `activeTenantRoleIds`), at instants around every
 * window. Those functions count only live schedules, the index a schedule ended (Revoked, Expired) before its
 * end: the two agree at every instant no ended schedule was ended after, the only ones a real clock reaches
 * (a schedule is ended at the moment it is), so only those are compared.
 */
export async function expectTenantRolesAgree(db: Kysely<DB>, sync: AccessIndexSync): Promise<number> {
  const index = await sync.fresh();
  const ended = await db
    .selectFrom('schedules')
    .select((eb) => eb.fn.max('modified_at').as('last'))
    .where('status', 'not in', ['Scheduled', 'Provisioned'])
    .executeTakeFirst();
  const lastEnded = ended?.last ? new Date(ended.last).getTime() : Number.NEGATIVE_INFINITY;
  let compared = 0;
  for (let k = -4; k <= 12; k++)
    for (const ms of [0, 1]) {
      const instant = new Date(t0 + k * hour + ms - 1);
      if (instant.getTime() < lastEnded) continue;
      for (const principalId of [...users, ...groups]) {
        const groupIds = await memberGroupIds(db, principalId, { at: instant, roleAssignableOnly: true });
        const expected = await activeTenantRoleIds(db, [principalId, ...groupIds], instant);
        const got = index.tenantDirectoryRoles(principalId, instant.getTime());
        expect({ principalId, instant, roles: [...got].sort() }).toEqual({
          principalId,
          instant,
          roles: [...expected].sort(),
        });
        compared++;
      }
    }
  return compared;
}
