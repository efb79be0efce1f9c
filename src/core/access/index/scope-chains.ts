import { pathScopeChain, scopeKey, scopePlane } from '../../scope/scope-plane.js';

/** Flags of an asked scope's chain entry. */
export const inDirectoryFlag = 1;
export const askedIsRootFlag = 2;

/**
 * An asked scope's chain entry in `pool`, at the offset `chainOf` returns: `[length, flags, ~asked, …keys]`
 * with the scopes root first, each as its chain key: `scope << 7 | depth`, depth being its place from the
 * root. Every chain through a scope ends with that scope's own chain (the tree above a scope is the same
 * whoever asks), so a grant's scope is on the chain exactly when `pool[offset + 3 + depth] === key` — one
 * comparison, whatever the chain's length. No word past a chain's end can equal a key of that depth, so the
 * length need not be compared first: the next chain's header (a length ≤ 128, flags ≤ 3, the asked scope as a
 * negative number) is below every key of depth ≥ 1 (≥ 129), the next chain's keys have other depths, and the
 * pool's unused words are zeros (never a key of depth ≥ 1) for at least `maxChainLength` words past the last.
 */
export const chainHeader = 3;
const depthBits = 7;
/** The depth part of a chain key. */
export const depthMask = (1 << depthBits) - 1;
/** Deeper chains cannot occur: the tree is walked at most 64 levels and a resource id has fewer segments. */
const maxChainLength = 1 << depthBits;
/** Scopes a key can name (16,777,216). */
const maxScopes = 1 << (31 - depthBits);

const maxCachedChains = 200_000;

/** Numbers the chain caches' lives, across every index of the process (so no two ever share one). */
let lives = 0;

/**
 * An asked scope as a caller keeps it for each spelling it was asked in: the canonical scope, and where its chain
 * was in the cache life `life` — read again only when the cache has started again since (see `chainOfAsked`).
 */
export interface AskedScope {
  readonly canonical: string;
  chainAt: number;
  life: number;
}

/** A new handle for an asked scope (already canonical, as `canonicalScope` writes it). */
export const askedScope = (canonical: string): AskedScope => ({ canonical, chainAt: -1, life: -1 });
const maxDepth = 64;

/**
 * Scopes interned to integers, the resource tree as parent pointers, and each asked scope's chain: the same
 * chain `scopeChains` reads from the database (directory scopes by path; resource scopes by path up to the
 * nearest registered scope, then up the tree, then `/`). Chains name only interned scopes (tree scopes and the
 * scopes grants name; any other is -1, which no grant has), so asking about new scopes interns nothing.
 */
export function createScopeChains(onTreeChange: () => void) {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  /** Tree parent of each interned scope: -1 for none, -2 when the scope is not registered in the tree. */
  let parent = new Int32Array(1024).fill(-2);
  /** Each interned scope's depth (-1: not read since the tree last changed). */
  let depths = new Int32Array(1024).fill(-1);
  const cached = new Map<string, number>();
  let pool = new Int32Array(1 << 16);
  let poolUsed = 0;
  /** Changes each time the cache starts again (offsets from before are then stale); unique in the process. */
  let generation = ++lives;

  function forgetChains(): void {
    cached.clear();
    pool.fill(0, 0, poolUsed);
    poolUsed = 0;
    generation = ++lives;
  }

  /** Where the chain of an asked scope (already canonical, as `canonicalScope` writes it) starts in `pool`. */
  function chainOf(canonical: string): number {
    let at = cached.get(canonical);
    if (at === undefined) {
      if (cached.size >= maxCachedChains) forgetChains();
      at = compute(canonical);
      cached.set(canonical, at);
    }
    return at;
  }

  function intern(key: string): number {
    let id = ids.get(key);
    if (id !== undefined) return id;
    id = keys.length;
    if (id >= maxScopes) throw new Error(`the access index holds at most ${maxScopes} distinct scopes`);
    keys.push(key);
    ids.set(key, id);
    if (id >= parent.length) {
      const grownParent = new Int32Array(parent.length * 2).fill(-2);
      grownParent.set(parent);
      parent = grownParent;
      const grownDepths = new Int32Array(depths.length * 2).fill(-1);
      grownDepths.set(depths);
      depths = grownDepths;
    }
    // A cached chain may name this scope as -1.
    if (cached.size > 0) forgetChains();
    return id;
  }

  const root = intern('/');

  /** The chain of a scope, nearest first, as interned ids (-1 for a scope never interned). */
  function chainIds(canonical: string): number[] {
    const path = pathScopeChain(canonical).map(scopeKey);
    const idOf = (p: string) => ids.get(p) ?? -1;
    if (scopePlane(canonical) !== 'resource') return path.map(idOf);
    const registeredAt = path.findIndex((p) => p !== '/' && (parent[idOf(p)] ?? -2) !== -2);
    if (registeredAt < 0) return path.map(idOf);
    const out = path.slice(0, registeredAt).map(idOf);
    let at = idOf(path[registeredAt] as string);
    for (let depth = 0; at >= 0 && depth <= maxDepth; depth++) {
      out.push(at);
      at = parent[at] ?? -1;
      if (at === -2) break;
    }
    if (out[out.length - 1] !== root) out.push(root);
    return out;
  }

  function compute(canonical: string): number {
    const chain = chainIds(canonical).slice(0, maxChainLength);
    const size = chainHeader + chain.length;
    if (poolUsed + size + maxChainLength > pool.length) {
      const grown = new Int32Array(Math.max(pool.length * 2, poolUsed + size + maxChainLength));
      grown.set(pool.subarray(0, poolUsed));
      pool = grown;
    }
    const at = poolUsed;
    const key = scopeKey(canonical);
    pool[at] = chain.length;
    pool[at + 1] =
      (scopePlane(canonical) === 'resource' ? 0 : inDirectoryFlag) | (key === '/' ? askedIsRootFlag : 0);
    pool[at + 2] = ~(ids.get(key) ?? -1);
    for (let d = 0; d < chain.length; d++) {
      const scope = chain[chain.length - 1 - d] as number;
      pool[at + chainHeader + d] = scope < 0 ? -1 : (scope << depthBits) | d;
    }
    poolUsed += size;
    return at;
  }

  function treeChanged(): void {
    forgetChains();
    depths.fill(-1);
    onTreeChange();
  }

  return {
    intern,
    chainOf,
    /** `chainOf` through the caller's handle: no lookup while the cache lives on. */
    chainOfAsked(scope: AskedScope): number {
      if (scope.life === generation) return scope.chainAt;
      const at = chainOf(scope.canonical);
      scope.chainAt = at;
      scope.life = generation;
      return at;
    },
    /** The chains; read after `chainOf` (which may grow it). */
    get pool(): Int32Array {
      return pool;
    },
    /** An interned scope as the chains it is on hold it (see `chainHeader`). */
    chainKey(scope: number): number {
      let d = depths[scope] as number;
      if (d < 0) {
        d = Math.min(chainIds(keys[scope] as string).length, maxChainLength) - 1;
        depths[scope] = d;
      }
      return (scope << depthBits) | d;
    },
    /** Registers (or moves) a scope of the resource tree; null parent for the tenant root group. */
    setTreeScope(id: string, parentId: string | null): void {
      const child = intern(scopeKey(id));
      const next = parentId === null ? -1 : intern(scopeKey(parentId));
      if (parent[child] === next) return;
      parent[child] = next;
      treeChanged();
    },
    /** Removes a scope from the resource tree (it may still be named by grants, as a path). */
    removeTreeScope(id: string): void {
      const child = ids.get(scopeKey(id));
      if (child === undefined || parent[child] === -2) return;
      parent[child] = -2;
      treeChanged();
    },
    get size(): number {
      return keys.length;
    },
    get generation(): number {
      return generation;
    },
  };
}
