import type { Executor } from '../../app/context.js';
import type { PrincipalType } from '../../core/model/principal.js';

/** A principal as a list item shows it beside a grant: name, kind and (users only) mail. */
export interface PrincipalCard {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
  /** A user's mail, else its user principal name; null for groups and service principals. */
  readonly email: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Which table wins when one id were in several, as `findPrincipal` looks them up. */
const precedence: Record<PrincipalType, number> = { user: 0, group: 1, servicePrincipal: 2 };

/** Users, groups and service principals by id, in one query (unknown ids are left out). */
export async function principalCards(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, PrincipalCard>> {
  const cards = new Map<string, PrincipalCard>();
  const wanted = [...new Set(ids)].filter((id) => uuidPattern.test(id));
  if (wanted.length === 0) return cards;
  const rows = await db
    .selectFrom('users')
    .select((eb) => [
      'id',
      'display_name',
      eb.fn.coalesce('mail', 'user_principal_name').$castTo<string | null>().as('email'),
      eb.val<PrincipalType>('user').as('type'),
    ])
    .where('id', 'in', wanted)
    .unionAll(
      db
        .selectFrom('groups')
        .select((eb) => [
          'id',
          'display_name',
          eb.val<string | null>(null).as('email'),
          eb.val<PrincipalType>('group').as('type'),
        ])
        .where('id', 'in', wanted),
    )
    .unionAll(
      db
        .selectFrom('service_principals')
        .select((eb) => [
          'id',
          'display_name',
          eb.val<string | null>(null).as('email'),
          eb.val<PrincipalType>('servicePrincipal').as('type'),
        ])
        .where('id', 'in', wanted),
    )
    .execute();
  for (const r of rows) {
    const seen = cards.get(r.id);
    if (seen && precedence[seen.type] <= precedence[r.type]) continue;
    cards.set(r.id, { id: r.id, type: r.type, displayName: r.display_name, email: r.email });
  }
  return cards;
}
