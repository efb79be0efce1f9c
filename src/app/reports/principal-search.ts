import { sql } from 'kysely';
import type { PrincipalType } from '../../core/model/principal.js';
import type { Executor } from '../context.js';
import type { PrincipalView } from './report-names.js';

/** `%`, `_` and `\` matched as themselves in a LIKE pattern. */
const likePrefix = (s: string): string => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Users, groups and service principals whose display name (or a user's principal name) starts with `search`,
 * in any letter case, ordered by name; everyone (up to `top`) without a search.
 */
export async function searchPrincipals(
  db: Executor,
  q: { search?: string; type?: PrincipalType; top: number },
): Promise<PrincipalView[]> {
  const pattern = likePrefix((q.search ?? '').trim());
  const wants = (type: PrincipalType) => q.type === undefined || q.type === type;
  const users = db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .select((eb) => [
      eb.ref('user_principal_name').$castTo<string | null>().as('user_principal_name'),
      eb.val<PrincipalType>('user').as('type'),
    ])
    .$if(!wants('user'), (qb) => qb.where(sql<boolean>`false`))
    .where((eb) =>
      eb.or([eb('display_name', 'ilike', pattern), eb('user_principal_name', 'ilike', pattern)]),
    );
  const groups = db
    .selectFrom('groups')
    .select(['id', 'display_name'])
    .select((eb) => [
      eb.val<string | null>(null).as('user_principal_name'),
      eb.val<PrincipalType>('group').as('type'),
    ])
    .where('display_name', 'ilike', pattern)
    .$if(!wants('group'), (qb) => qb.where(sql<boolean>`false`));
  const apps = db
    .selectFrom('service_principals')
    .select(['id', 'display_name'])
    .select((eb) => [
      eb.val<string | null>(null).as('user_principal_name'),
      eb.val<PrincipalType>('servicePrincipal').as('type'),
    ])
    .where('display_name', 'ilike', pattern)
    .$if(!wants('servicePrincipal'), (qb) => qb.where(sql<boolean>`false`));
  const union = users.unionAll(groups).unionAll(apps);
  const rows = await db
    .selectFrom(union.as('p'))
    .selectAll()
    .orderBy((eb) => eb.fn('lower', ['p.display_name']))
    .orderBy('p.id')
    .limit(q.top)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    displayName: r.display_name,
    userPrincipalName: r.user_principal_name,
  }));
}

/**
 * The scopes grants can be made at, for pickers: the directory, each administrative unit, each registered
 * resource scope (by path), up to 500 of each.
 */
export async function grantScopes(
  db: Executor,
): Promise<{ id: string; displayName: string; plane: 'directory' | 'resource' }[]> {
  const [units, resources] = await Promise.all([
    db
      .selectFrom('administrative_units')
      .select(['id', 'display_name'])
      .orderBy('display_name')
      .limit(500)
      .execute(),
    db
      .selectFrom('resource_scopes')
      .select(['id', 'path'])
      .where('id', '<>', '/')
      .orderBy('path')
      .limit(500)
      .execute(),
  ]);
  return [
    { id: '/', displayName: 'Directory', plane: 'directory' },
    ...units.map((u) => ({
      id: `/administrativeUnits/${u.id}`,
      displayName: `Administrative unit ${u.display_name}`,
      plane: 'directory' as const,
    })),
    ...resources.map((s) => ({ id: s.id, displayName: s.path, plane: 'resource' as const })),
  ];
}
