import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';

export interface PartyRow {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
  readonly userPrincipalName: string | null;
  readonly mail: string | null;
}

/** Users, groups and service principals by id, with the names and mail a message shows (unknown ids left out). */
export async function partiesByIds(db: Executor, ids: readonly string[]): Promise<Map<string, PartyRow>> {
  const wanted = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const found = new Map<string, PartyRow>();
  if (wanted.length === 0) return found;
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'user_principal_name', 'mail'])
    .where('id', 'in', wanted)
    .execute();
  for (const u of users)
    found.set(u.id, {
      id: u.id,
      type: 'user',
      displayName: u.display_name,
      userPrincipalName: u.user_principal_name,
      mail: u.mail,
    });
  const rest = wanted.filter((id) => !found.has(id));
  if (rest.length > 0) {
    const groups = await db
      .selectFrom('groups')
      .select(['id', 'display_name'])
      .where('id', 'in', rest)
      .execute();
    for (const g of groups)
      found.set(g.id, {
        id: g.id,
        type: 'group',
        displayName: g.display_name,
        userPrincipalName: null,
        mail: null,
      });
    const apps = await db
      .selectFrom('service_principals')
      .select(['id', 'display_name'])
      .where('id', 'in', rest)
      .execute();
    for (const a of apps)
      found.set(a.id, {
        id: a.id,
        type: 'servicePrincipal',
        displayName: a.display_name,
        userPrincipalName: null,
        mail: null,
      });
  }
  return found;
}

/** An administrative unit's display name, if it exists. */
export async function administrativeUnitName(db: Executor, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('administrative_units')
    .select('display_name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.display_name;
}
