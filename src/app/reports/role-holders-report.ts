import type { AccessFacts, AccessGrant } from '../../core/access/access-grant.js';
import { roleKey } from '../../core/access/action-match.js';
import { explainAccess } from '../../core/access/evaluate-access.js';
import { directoryRolePermissions, roleCatalogue } from '../../core/access/role-catalogue.js';
import { liveScheduleStatuses } from '../../core/model/schedule.js';
import { scopeKey } from '../../core/scope/scope-plane.js';
import { customRolesById, membershipsOf, roleSchedulesOf } from '../../db/repositories/access-repository.js';
import { canonicalScope, scopeChains } from '../access/scope-chains.js';
import type { Executor } from '../context.js';
import { type PrincipalView, principalViews } from './report-names.js';

/** One path by which a principal holds the role at the asked scope now. */
export interface RoleHolderView {
  readonly principal: PrincipalView;
  readonly grant: AccessGrant;
}

export interface RoleHolderSummary {
  readonly principals: number;
  readonly active: number;
  readonly eligible: number;
  readonly direct: number;
  readonly group: number;
  readonly inherited: number;
}

/**
 * Who holds a role at a scope at `now`, and by which path: every principal the role is granted to at the scope or
 * above it (inherited), and every member of a group it is granted to. Each candidate's paths come from the same
 * explanation `GET /access/explain` gives (core/access explainAccess), so the view and the access check agree.
 * Ordered by principal name, active paths first.
 */
export async function roleHolders(
  db: Executor,
  args: { roleDefinitionId: string; scope: string; now: Date },
): Promise<{ holders: RoleHolderView[]; summary: RoleHolderSummary }> {
  const { now } = args;
  const role = roleKey(args.roleDefinitionId);
  const scope = canonicalScope(args.scope);
  const chain = (await scopeChains(db, [scope])).get(scope) ?? [scope];
  const chainKeys = new Set(chain.map(scopeKey));

  // The role's live grants at the scope or above it, and whom they are made to.
  const grants = await db
    .selectFrom('schedules')
    .select(['principal_id', 'principal_type', 'scope_id', 'role_definition_id'])
    .where('target_kind', '<>', 'group')
    .where('status', 'in', [...liveScheduleStatuses])
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)]))
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['role_definition_id']), '=', role),
        eb(eb.fn('lower', ['role_definition_id']), 'like', `%/${role}`),
      ]),
    )
    .execute();
  const holding = grants.filter((g) => chainKeys.has(scopeKey(g.scope_id)));
  const holderIds = [...new Set(holding.map((g) => g.principal_id))];
  const groupIds = [
    ...new Set(holding.filter((g) => g.principal_type === 'group').map((g) => g.principal_id)),
  ];

  // Members of those groups: standing members, and PIM for Groups members whose membership is live now.
  const members = groupIds.length
    ? await db
        .selectFrom('group_relationships')
        .select('principal_id')
        .where('relationship', '=', 'member')
        .where('group_id', 'in', groupIds)
        .union(
          db
            .selectFrom('schedules')
            .select('principal_id')
            .where('target_kind', '=', 'group')
            .where('role_definition_id', '=', 'member')
            .where('scope_id', 'in', groupIds)
            .where('status', 'in', [...liveScheduleStatuses])
            .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)])),
        )
        .execute()
    : [];
  const candidates = [...new Set([...holderIds, ...members.map((m) => m.principal_id)])];
  const span = { from: now, to: now };
  const [principals, memberships] = await Promise.all([
    principalViews(db, candidates),
    membershipsOf(db, candidates, span),
  ]);
  const viaGroups = [...new Set([...memberships.values()].flat().map((m) => m.groupId))];
  const schedules = await roleSchedulesOf(db, [...new Set([...candidates, ...viaGroups])], span);
  const customIds = [...new Set(schedules.map((s) => roleKey(s.roleDefinitionId)))];
  const catalogue = roleCatalogue(
    (await customRolesById(db, customIds.filter(isGuid))).map(directoryRolePermissions),
  );

  const holders: RoleHolderView[] = [];
  for (const id of candidates) {
    const principal = principals.get(id);
    if (!principal) continue;
    const mine = memberships.get(id) ?? [];
    const holdersOf = new Set([id, ...mine.map((m) => m.groupId)]);
    const facts: AccessFacts = {
      principalId: id,
      memberships: mine,
      schedules: schedules.filter(
        (s) => holdersOf.has(s.principalId) && roleKey(s.roleDefinitionId) === role,
      ),
      roles: catalogue,
    };
    for (const grant of explainAccess(facts, { scope, scopeChain: chain, at: now })) {
      holders.push({ principal, grant });
    }
  }
  holders.sort(
    (a, b) =>
      a.principal.displayName.localeCompare(b.principal.displayName, 'en', { sensitivity: 'base' }) ||
      a.principal.id.localeCompare(b.principal.id) ||
      (a.grant.state === b.grant.state ? 0 : a.grant.state === 'active' ? -1 : 1),
  );
  return {
    holders,
    summary: {
      principals: new Set(holders.map((h) => h.principal.id)).size,
      active: holders.filter((h) => h.grant.state === 'active').length,
      eligible: holders.filter((h) => h.grant.state === 'eligible').length,
      direct: holders.filter((h) => h.grant.group === null).length,
      group: holders.filter((h) => h.grant.group !== null).length,
      inherited: holders.filter((h) => h.grant.inheritedFrom !== null).length,
    },
  };
}

const isGuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
