import { rootScopeId } from '../../core/scope/resource-scope.js';
import { descendantIds } from '../../db/repositories/resource-scope-repository.js';
import type { Executor } from '../context.js';
import type { ChainLookup, ScopeRef } from './resource-context.js';

/**
 * Where a list's items may sit: at one of `ids` (named in SQL), anywhere (neither: the root without atScope()),
 * or anywhere `below` a scope (placed by each item's chain).
 */
export interface ListCoverage {
  readonly ids?: readonly string[];
  readonly below?: ScopeRef;
}

/**
 * The scopes a list at `scope` covers, as ARM's `$filter` asks (research §9.1): `atScope()` what is at or above
 * the scope, otherwise also what is below it. A list narrowed to principals places its few rows by their chains
 * rather than naming in SQL the thousands of scopes under a management group.
 */
export async function listCoverage(
  db: Executor,
  scope: ScopeRef,
  q: { readonly atScope?: boolean; readonly narrowedToPrincipals: boolean },
): Promise<ListCoverage> {
  if (q.atScope) return { ids: [...scope.ancestors] };
  if (scope.id === rootScopeId) return {};
  if (q.narrowedToPrincipals) return { below: scope };
  return { ids: [...scope.ancestors, ...(await descendantIds(db, scope.id))] };
}

/** The items of a batch that sit where the list covers (SQL placed all but those `below` a scope). */
export async function withinCoverage<T extends { readonly scopeId: string }>(
  coverage: ListCoverage,
  chains: (scopeIds: readonly string[]) => Promise<ChainLookup>,
  items: readonly T[],
): Promise<readonly T[]> {
  const { below } = coverage;
  if (!below) return items;
  const outside = items.filter((i) => !below.ancestors.includes(i.scopeId));
  const chainOf = await chains(outside.map((i) => i.scopeId));
  return items.filter((i) => below.ancestors.includes(i.scopeId) || chainOf(i.scopeId).includes(below.id));
}
