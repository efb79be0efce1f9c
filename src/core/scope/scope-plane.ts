import { scopeAncestors, scopeSegments } from './scope-path.js';

/**
 * Which tree a scope belongs to: Azure resources (`/subscriptions/…`, `/providers/Microsoft.Management/
 * managementGroups/…`) or the directory (`/`, `/administrativeUnits/{id}`, `/{objectId}`). Directory roles
 * apply only in the directory; `/` is the root of both trees.
 */
export function scopePlane(scope: string): 'directory' | 'resource' {
  const [first] = scopeSegments(scope);
  return first === 'subscriptions' || first === 'providers' ? 'resource' : 'directory';
}

/** A scope written one way for comparisons: `/` plus its segments, lower case, no trailing slash. */
export const scopeKey = (scope: string): string => `/${scopeSegments(scope).join('/')}`;

/**
 * The scopes a grant may be inherited from at `scope`, nearest first, by path alone: the scope, each path
 * prefix, then `/`. Subscriptions placed under management groups need the scope tree's chain instead.
 */
export const pathScopeChain = (scope: string): string[] => scopeAncestors(scope);
