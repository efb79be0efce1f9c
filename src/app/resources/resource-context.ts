import { approverCanDecide } from '../../core/authorization/approver-can-decide.js';
import { type ResourceAuthority, resourceAuthority } from '../../core/authorization/resource-authority.js';
import { notFound } from '../../core/errors.js';
import type { Actor } from '../../core/model/principal.js';
import {
  ancestorsFromChain,
  type ParsedScope,
  type ResourceScopeType,
  rootScopeId,
} from '../../core/scope/resource-scope.js';
import { getApproval } from '../../db/repositories/approval-repository.js';
import { memberGroupIds } from '../../db/repositories/principal-repository.js';
import { scopeChain, scopeParents } from '../../db/repositories/resource-scope-repository.js';
import { listSchedules } from '../../db/repositories/schedule-repository.js';
import type { Executor } from '../context.js';

/** A scope a PIM request or list names: registered in the tree, or the root `/`. */
export interface ScopeRef {
  /** Canonical id (lower case). */
  readonly id: string;
  /** Display path. */
  readonly path: string;
  readonly displayName: string;
  readonly type: ResourceScopeType | 'root';
  /** The scope and every scope above it in the tree, nearest first, ending with `/`. */
  readonly ancestors: readonly string[];
}

export const rootScope: ScopeRef = {
  id: rootScopeId,
  path: '/',
  displayName: 'Root',
  type: 'root',
  ancestors: [rootScopeId],
};

/**
 * The registered scope a parsed path names, with its ancestors; an unregistered one is not found (ARM's
 * 404 for a scope that does not exist).
 */
export async function resolveScope(db: Executor, scope: ParsedScope | string): Promise<ScopeRef> {
  const id = typeof scope === 'string' ? scope : scope.id;
  if (id === rootScopeId) return rootScope;
  const chain = await scopeChain(db, id);
  const self = chain[0];
  if (!self) {
    throw notFound('Scope', typeof scope === 'string' ? scope : scope.path);
  }
  return {
    id: self.id,
    path: self.path,
    displayName: self.displayName,
    type: self.type,
    ancestors: ancestorsFromChain(chain),
  };
}

/** The ancestors of a canonical scope id (the root only, for an unregistered one). */
export async function ancestorsOf(db: Executor, scopeId: string): Promise<string[]> {
  if (scopeId === rootScopeId) return [rootScopeId];
  const chain = await scopeChain(db, scopeId);
  return chain.length === 0 ? [scopeId, rootScopeId] : ancestorsFromChain(chain);
}

/** Most scopes a chain follows upward before it stops, as `scopeChain` bounds it. */
const maxChainLength = 65;

/**
 * The ancestors of many canonical scope ids at once (each as `ancestorsOf` gives it), from one query however
 * many scopes there are: a list page's items sit at many scopes that share most of their ancestors.
 */
export async function ancestorChains(
  db: Executor,
  scopeIds: readonly string[],
): Promise<Map<string, string[]>> {
  const wanted = [...new Set(scopeIds)];
  const parents = await scopeParents(
    db,
    wanted.filter((id) => id !== rootScopeId),
  );
  const chains = new Map<string, string[]>();
  for (const id of wanted) {
    const chain: { id: string }[] = [];
    for (let at: string | null | undefined = id; at != null && parents.has(at); at = parents.get(at)) {
      if (chain.length === maxChainLength) break;
      chain.push({ id: at });
    }
    chains.set(
      id,
      id === rootScopeId ? [rootScopeId] : ancestorsFromChain(chain.length > 0 ? chain : [{ id }]),
    );
  }
  return chains;
}

/** A scope's chain, nearest first (any id the loader was given may be looked up). */
export type ChainLookup = (scopeId: string) => readonly string[];

/** Reads ancestor chains as a list needs them, batch by batch: each scope's once, in one query per batch. */
export function chainLoader(db: Executor): (scopeIds: readonly string[]) => Promise<ChainLookup> {
  const known = new Map<string, string[]>();
  const lookup: ChainLookup = (scopeId) => known.get(scopeId) ?? [scopeId, rootScopeId];
  return async (scopeIds) => {
    const missing = scopeIds.filter((id) => !known.has(id));
    if (missing.length > 0) {
      for (const [id, chain] of await ancestorChains(db, missing)) known.set(id, chain);
    }
    return lookup;
  };
}

/**
 * The resource-role assignments that count for `principalId` at `now`: its own and those of every group it is a
 * member of then (Azure roles may be held by any security group, not only role-assignable ones). Pass `groups`
 * when the caller has read them already (`memberGroupIds` at `now`).
 */
export async function resourceGrantsOf(
  db: Executor,
  principalId: string,
  now: Date,
  groups?: readonly string[],
) {
  groups ??= await memberGroupIds(db, principalId, { at: now });
  return listSchedules(db, {
    kind: 'assignment',
    targetKind: 'resourceRole',
    principalIds: [principalId, ...groups],
    activeAt: now,
  });
}

/** What the caller may do at a scope, from its resource-role grants at the scope and above (invariant 8). */
export async function authorityAt(
  db: Executor,
  actor: Pick<Actor, 'id' | 'isSystem'>,
  ancestors: readonly string[],
  now: Date,
): Promise<ResourceAuthority> {
  const grants = await resourceGrantsOf(db, actor.id, now);
  return resourceAuthority({ grants, ancestors, now });
}

/**
 * Whether `actor` may see a resource-role request or schedule: its own (directly or through a group it is a
 * member of), one it made, one it may approve, or any at a scope where it reads role assignments (a role at the
 * scope or above). Directory readers see nothing here, as in Entra ("Privileged Role Administrators … don't by
 * default have access to view assignments to Azure resource roles").
 */
export async function maySeeResourceItem(
  db: Executor,
  actor: Pick<Actor, 'id' | 'isSystem'>,
  item: {
    readonly principalId: string;
    readonly scopeId: string;
    readonly createdById?: string;
    readonly approvalId?: string | null;
  },
  now: Date,
): Promise<boolean> {
  if (actor.isSystem || item.principalId === actor.id || item.createdById === actor.id) return true;
  const groups = await memberGroupIds(db, actor.id, { at: now });
  if (groups.includes(item.principalId)) return true;
  const authority = await authorityAt(db, actor, await ancestorsOf(db, item.scopeId), now);
  if (authority.reads) return true;
  if (!item.approvalId) return false;
  const approval = await getApproval(db, item.approvalId);
  return (
    approval !== undefined &&
    approverCanDecide(approval, actor as Actor, new Set(groups), authority.managesSettings)
  );
}
