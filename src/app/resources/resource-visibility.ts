import { type ResourceAuthority, resourceAuthority } from '../../core/authorization/resource-authority.js';
import type { Actor } from '../../core/model/principal.js';
import type { ScheduleRequest } from '../../core/model/request.js';
import type { Schedule } from '../../core/model/schedule.js';
import { rootScopeId } from '../../core/scope/resource-scope.js';
import type { Executor } from '../context.js';
import { type ChainLookup, resourceGrantsOf } from './resource-context.js';

/**
 * Who may see which resource-role items of a list: the caller's own (directly or through a group it is a member
 * of), and any at a scope where it reads role assignments (an Azure role there or above, invariant 8); requests
 * also to their requestor and to whoever may approve them. Read once per list: the caller's grants; per batch of
 * items: the chains of their scopes, in one query (`chains`).
 */
export async function resourceVisibility(args: {
  readonly db: Executor;
  readonly actor: Pick<Actor, 'id' | 'isSystem'>;
  /** The caller's groups at `now`. */
  readonly groups: readonly string[];
  readonly now: Date;
  readonly chains: (scopeIds: readonly string[]) => Promise<ChainLookup>;
}) {
  const { actor, now } = args;
  const groups = new Set(args.groups);
  const grants = await resourceGrantsOf(args.db, actor.id, now, args.groups);
  // Every chain ends at the root, so grants held only there give the same authority at every scope.
  const everywhere = grants.every((g) => g.scopeId === rootScopeId)
    ? resourceAuthority({ grants, ancestors: [rootScopeId], now })
    : undefined;
  const known = new Map<string, ResourceAuthority>();

  /** The caller's authority at each of `scopeIds`, as a lookup (any id passed here may be looked up). */
  async function authorities(scopeIds: readonly string[]): Promise<(scopeId: string) => ResourceAuthority> {
    if (everywhere) return () => everywhere;
    const chainOf = await args.chains(scopeIds);
    return (scopeId) => {
      let authority = known.get(scopeId);
      if (!authority) {
        authority = resourceAuthority({ grants, ancestors: chainOf(scopeId), now });
        known.set(scopeId, authority);
      }
      return authority;
    };
  }

  const own = (principalId: string) => actor.isSystem || principalId === actor.id || groups.has(principalId);

  return {
    groups,
    authorities,
    /**
     * What the caller sees of the items at `scopeIds`, as SQL can narrow it: everything at `readable` and its
     * own (`holders`) elsewhere. Undefined when it sees every item anyway.
     */
    async narrowing(scopeIds: readonly string[]) {
      if (actor.isSystem || everywhere?.reads) return undefined;
      const at = await authorities(scopeIds);
      return { readable: scopeIds.filter((id) => at(id).reads), holders: [actor.id, ...groups] };
    },
    /** The schedules of a batch the caller may see, in their order. */
    async schedules(items: readonly Schedule[]): Promise<Schedule[]> {
      const at = await authorities(items.filter((s) => !own(s.principalId)).map((s) => s.scopeId));
      return items.filter((s) => own(s.principalId) || at(s.scopeId).reads);
    },
    /** The requests of a batch the caller may see, in their order (`approvable`: those it may approve). */
    async requests(items: readonly ScheduleRequest[], approvable: ReadonlySet<string>) {
      const mine = (r: ScheduleRequest) =>
        own(r.principalId) || r.createdById === actor.id || approvable.has(r.id);
      const at = await authorities(items.filter((r) => !mine(r)).map((r) => r.scopeId));
      return items.filter((r) => mine(r) || at(r.scopeId).reads);
    },
  };
}

export type ResourceVisibility = Awaited<ReturnType<typeof resourceVisibility>>;
