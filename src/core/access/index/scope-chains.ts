import { pathScopeChain, scopeKey, scopePlane } from '../../scope/scope-plane.js';

/** What a check needs to know about the asked scope, computed once per distinct scope and cached. */
export interface ScopeChain {
  /** Interned scopes a grant may be inherited from, nearest first, the asked scope itself included. */
  readonly chain: Int32Array;
  /** The asked scope, interned. */
  readonly asked: number;
  readonly inDirectory: boolean;
  readonly askedIsRoot: boolean;
}

const maxCachedChains = 200_000;
const maxDepth = 64;

/**
 * Scopes interned to integers, the resource tree as parent pointers, and each asked scope's chain: the same
 * chain `scopeChains` reads from the database (directory scopes by path; resource scopes by path up to the
 * nearest registered scope, then up the tree, then `/`).
 */
export function createScopeChains() {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  /** Tree parent of each interned scope: -1 for none, -2 when the scope is not registered in the tree. */
  let parent = new Int32Array(1024).fill(-2);
  const cache = new Map<string, ScopeChain>();

  function intern(key: string): number {
    let id = ids.get(key);
    if (id !== undefined) return id;
    id = keys.length;
    keys.push(key);
    ids.set(key, id);
    if (id >= parent.length) {
      const grown = new Int32Array(parent.length * 2).fill(-2);
      grown.set(parent);
      parent = grown;
    }
    return id;
  }

  /** The tree chain of a registered scope, nearest first (bounded as the recursive query is). */
  function treeChain(start: number, out: number[]): void {
    let at = start;
    for (let depth = 0; at >= 0 && depth <= maxDepth; depth++) {
      out.push(at);
      at = parent[at] ?? -1;
      if (at === -2) return;
    }
  }

  function compute(canonical: string): ScopeChain {
    const path = pathScopeChain(canonical).map(scopeKey);
    const resource = scopePlane(canonical) === 'resource';
    const out: number[] = [];
    const registeredAt = resource
      ? path.findIndex((p) => p !== '/' && (parent[ids.get(p) ?? -1] ?? -2) !== -2)
      : -1;
    if (registeredAt < 0) for (const p of path) out.push(intern(p));
    else {
      for (const p of path.slice(0, registeredAt)) out.push(intern(p));
      treeChain(intern(path[registeredAt] ?? '/'), out);
      out.push(intern('/'));
    }
    const asked = intern(scopeKey(canonical));
    return { chain: Int32Array.from(out), asked, inDirectory: !resource, askedIsRoot: keys[asked] === '/' };
  }

  return {
    intern,
    /** The chain of an asked scope (already canonical, as `canonicalScope` writes it). */
    chainOf(canonical: string): ScopeChain {
      let c = cache.get(canonical);
      if (c === undefined) {
        if (cache.size >= maxCachedChains) cache.clear();
        c = compute(canonical);
        cache.set(canonical, c);
      }
      return c;
    },
    /** Registers (or moves) a scope of the resource tree; null parent for the tenant root group. */
    setTreeScope(id: string, parentId: string | null): void {
      const child = intern(scopeKey(id));
      parent[child] = parentId === null ? -1 : intern(scopeKey(parentId));
      cache.clear();
    },
    /** Removes a scope from the resource tree (it may still be named by grants, as a path). */
    removeTreeScope(id: string): void {
      const child = ids.get(scopeKey(id));
      if (child !== undefined) parent[child] = -2;
      cache.clear();
    },
    /** Forgets the whole tree (before a full reload). */
    clearTree(): void {
      parent.fill(-2);
      cache.clear();
    },
    get size(): number {
      return keys.length;
    },
  };
}
