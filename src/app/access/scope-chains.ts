import { ElevateError } from '../../core/errors.js';
import { parseScopePath } from '../../core/scope/resource-scope.js';
import { pathScopeChain, scopeKey, scopePlane } from '../../core/scope/scope-plane.js';
import { resourceTreeChains } from '../../db/repositories/access-repository.js';
import type { Executor } from '../context.js';

/**
 * A scope as grants name it: a resource scope in its canonical form (ARM's alias
 * `/providers/Microsoft.Subscription/subscriptions/{s}` read as `/subscriptions/{s}`), a directory scope as
 * written. A malformed resource scope is refused with the reason.
 */
export function canonicalScope(scope: string): string {
  if (scopePlane(scope) === 'directory') return scope;
  const parsed = parseScopePath(scope);
  if ('error' in parsed) throw new ElevateError('request.invalid', `Invalid scope: ${parsed.error}`);
  return parsed.id;
}

/**
 * Where grants are inherited from at each scope, nearest first: directory scopes by path (`/` covers every
 * administrative unit); resource scopes by path up to the nearest scope the resource tree holds, then up the
 * tree (a subscription's management groups), then `/` — all in one query.
 */
export async function scopeChains(db: Executor, scopes: readonly string[]): Promise<Map<string, string[]>> {
  const paths = new Map(scopes.map((s) => [s, pathScopeChain(s).map(scopeKey)]));
  const resourcePrefixes = [
    ...new Set(
      scopes
        .filter((s) => scopePlane(s) === 'resource')
        .flatMap((s) => paths.get(s) ?? [])
        .filter((p) => p !== '/'),
    ),
  ];
  const tree = await resourceTreeChains(db, resourcePrefixes);
  const out = new Map<string, string[]>();
  for (const [scope, path] of paths) {
    const i = scopePlane(scope) === 'resource' ? path.findIndex((p) => tree.has(p)) : -1;
    out.set(scope, i < 0 ? path : [...path.slice(0, i), ...(tree.get(path[i] ?? '') ?? []), '/']);
  }
  return out;
}
