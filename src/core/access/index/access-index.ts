import { scopeKey } from '../../scope/scope-plane.js';
import type { AccessTarget } from '../access-grant.js';
import type { RolePermissions } from '../action-match.js';
import {
  assignableFlag,
  coldHeaderWords,
  createHolderRegions,
  grantWords,
  groupFlag,
  headerWords,
  knownFlag,
  membershipsAt,
  membershipWords,
} from './holder-regions.js';
import { type AskedAction, createRoleActions } from './role-actions.js';
import {
  type AskedScope,
  askedIsRootFlag,
  chainHeader,
  createScopeChains,
  depthMask,
  inDirectoryFlag,
} from './scope-chains.js';
import { createUuidTable } from './uuid-table.js';

/**
 * An active role assignment as the index keeps it (eligibilities grant nothing and are not kept): who holds it,
 * which role at which scope, and the instants it holds in, `[start, end)` in epoch ms with `end` already cut
 * to the instant an ended schedule stopped (see `heldWindow`).
 */
export interface IndexedGrant {
  readonly holderId: string;
  readonly targetKind: 'directoryRole' | 'resourceRole';
  readonly roleDefinitionId: string;
  readonly scopeId: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A membership that passes its group's grants on while `[start, end)` holds: a standing member (always) or an
 * active PIM for Groups `member` assignment. Eligible memberships grant nothing and are not kept.
 */
export interface IndexedMembership {
  readonly memberId: string;
  readonly groupId: string;
  readonly start: number;
  readonly end: number;
}

export interface IndexedPrincipal {
  readonly id: string;
  readonly type: 'user' | 'group' | 'servicePrincipal';
  /** Groups only: whether the group passes directory roles on to its members (Entra's role-assignable groups). */
  readonly isAssignableToRole: boolean;
}

/** One question, as the evaluator's `checkAccess` takes it; `scope` already canonical, `at` in epoch ms. */
export interface IndexQuery {
  readonly principalId: string;
  readonly target: AccessTarget;
  readonly scope: string;
  readonly at: number;
}

/**
 * Many questions as columns, one entry per question, in order (the hot route reads a batch into these without an
 * object per question): the principal; the role asked, or undefined when an action is asked; the action asked,
 * as the caller's handle for its spelling (`askedAction`; read only when no role is asked); the scope, as the
 * caller's handle for its spelling (`askedScope`); the instant in epoch ms.
 */
export interface IndexQueries {
  readonly principalIds: readonly string[];
  readonly roleIds: readonly (string | undefined)[];
  readonly actions: readonly AskedAction[];
  readonly scopes: readonly AskedScope[];
  readonly ats: ArrayLike<number>;
}

const live = new Set(['Scheduled', 'Provisioned']);

/** Questions `checkMany` reads ahead at a time (their memory reads overlap; more would leave the cache). */
const batchSize = 64;

/**
 * The window in which a schedule held, as `heldAt` reads it: `[start, end)` while live; an ended (Revoked,
 * Expired) one only before it was ended (`modifiedAt`). Epoch ms; a permanent end is +Infinity.
 */
export function heldWindow(s: {
  readonly start: number;
  readonly end: number | null;
  readonly status: string;
  readonly modifiedAt: number;
}): { start: number; end: number } {
  const end = s.end ?? Number.POSITIVE_INFINITY;
  return { start: s.start, end: live.has(s.status) ? end : Math.min(end, s.modifiedAt) };
}

/**
 * Effective access held in memory: principals and groups interned to integers, each with a region of the
 * grants it holds itself and the memberships that pass group grants on; role → actions (memoised); the scope
 * tree with each asked scope's chain. A check reads the principal's grants, then, for each membership that
 * holds at `at`, its group's grants; it keeps a grant whose scope is on the chain (one comparison: the chain
 * entry at the grant scope's depth) and whose window holds at `at`, and matches the role or the action — the
 * answer `checkAccess` gives over the same facts (invariant 1: windows are compared at read time, so expiry
 * needs nothing to run).
 */
export function createAccessIndex() {
  const holderIds = createUuidTable();
  // A change to the scope tree makes the regions read their grants' depths again.
  const scopes = createScopeChains(() => store.chainKeysChanged());
  const store = createHolderRegions(scopes.chainKey);
  /** The scope `/`, interned: where tenant-wide directory roles are held. */
  const rootScope = scopes.intern('/');
  const roles = createRoleActions();
  /** Each interned role's id as the first grant naming it spelled it (what the caller's `roleIds` carry). */
  const roleNames: string[] = [];

  function holder(id: string): number {
    let h = holderIds.get(id);
    if (h < 0) {
      h = store.add();
      holderIds.set(id, h);
    }
    return h;
  }

  // Grants name few distinct scopes and roles: each spelling is made canonical once.
  const scopeOfId = new Map<string, number>();
  const roleOfId = new Map<string, number>();
  function addGrant(h: number, g: IndexedGrant): void {
    let scope = scopeOfId.get(g.scopeId);
    if (scope === undefined) {
      scope = scopes.intern(scopeKey(g.scopeId));
      scopeOfId.set(g.scopeId, scope);
    }
    let role = roleOfId.get(g.roleDefinitionId);
    if (role === undefined) {
      role = roles.intern(g.roleDefinitionId);
      roleOfId.set(g.roleDefinitionId, role);
      roleNames[role] ??= g.roleDefinitionId;
    }
    store.addGrant(h, scope, role, g.start, g.end, g.targetKind === 'directoryRole' ? 1 : 0);
  }

  const addMembership = (h: number, m: IndexedMembership): void =>
    store.addMembership(h, holder(m.groupId), m.start, m.end);

  const roleOfAsked = new Map<string, number>();
  let rolesSeen = 0;
  /** The interned role a role question names (-1: none), remembered per spelling until a new role is interned. */
  function askedRole(roleDefinitionId: string): number {
    if (roles.size !== rolesSeen) {
      roleOfAsked.clear();
      rolesSeen = roles.size;
    }
    let r = roleOfAsked.get(roleDefinitionId);
    if (r === undefined) {
      r = roles.find(roleDefinitionId);
      if (roleOfAsked.size >= 10_000) roleOfAsked.clear();
      roleOfAsked.set(roleDefinitionId, r);
    }
    return r;
  }

  // The question being answered, shared by `check` and `grantIn` (so the scan takes three arguments).
  let w = store.w;
  let f = store.f;
  let cw = store.cw;
  let cf = store.cf;
  let hotOf = store.hotOf;
  let pool = scopes.pool;
  let chainAt = 0;
  let inDirectory = false;
  let askedIsRoot = false;
  let asked = -1;
  let at = 0;
  let askedRoleId = -2;
  let actionId = -1;
  let action = '';

  /**
   * Whether a grant of the holder at `r` answers the question; its directory roles only if `directory`. A grant's
   * scope is on the chain when the chain's entry at the key's depth is the key: no entry past a chain's end can
   * be (see `chainHeader`), so the depth is not compared with the chain's length.
   */
  function grantIn(r: number, directory: boolean): boolean {
    const words = w;
    const chain = pool;
    const base = chainAt;
    const keysAt = r + headerWords;
    const n = words[r + 1] as number;
    for (let k = 0; k < n; k++) {
      const key = words[keysAt + k] as number;
      if (chain[base + (key & depthMask)] === key && grantAnswers(r, k, directory)) return true;
    }
    return false;
  }

  /** Whether the `k`th grant of the holder at `r`, whose scope is on the chain, answers the question. */
  function grantAnswers(r: number, k: number, directory: boolean): boolean {
    const o = (w[r + 3] as number) + coldHeaderWords + grantWords * k;
    if (at < (cf[o >> 1] as number) || at >= (cf[(o >> 1) + 1] as number)) return false;
    const isDirectory = cw[o + 6] === 1;
    if (isDirectory ? !inDirectory || !directory : inDirectory && !askedIsRoot) return false;
    const role = cw[o + 5] as number;
    if (askedRoleId >= 0) return role === askedRoleId;
    // An Azure role held at `/` itself answers no action asked at `/` unless its actions are literal.
    if (!isDirectory && askedIsRoot && cw[o + 4] === asked && !roles.exact(role)) return false;
    return roles.allows(role, actionId, action);
  }

  /** Reads the settled buffers (after a flush, which may have replaced them). */
  function settle(): void {
    store.flush();
    w = store.w;
    f = store.f;
    cw = store.cw;
    cf = store.cf;
    hotOf = store.hotOf;
  }

  /**
   * Whether the holder `h` (region `r`, known) holds the role `roleId` (or, when undefined, a role allowing
   * `asAction`, interned as `asActionId`) at the scope whose chain is at `c` at `when`.
   */
  function answer(
    h: number,
    r: number,
    roleId: string | undefined,
    asAction: string,
    asActionId: number,
    when: number,
    c: number,
  ): boolean {
    if (roleId !== undefined) {
      // -1: a role no grant names (nothing can match).
      askedRoleId = askedRole(roleId);
      if (askedRoleId === -1) return false;
      action = '';
      actionId = -1;
    } else {
      askedRoleId = -2;
      action = asAction;
      actionId = asActionId;
    }
    const flags = pool[c + 1] as number;
    inDirectory = (flags & inDirectoryFlag) !== 0;
    askedIsRoot = (flags & askedIsRootFlag) !== 0;
    asked = ~(pool[c + 2] as number);
    chainAt = c + chainHeader;
    at = when;
    if (grantIn(r, true)) return true;
    // Each group whose membership holds at `at`, and its grants (directory roles if it is role-assignable).
    const words = w;
    const floats = f;
    const regionOf = hotOf;
    const first = membershipsAt(r, words[r + 1] as number);
    const end = first + membershipWords * (words[r + 2] as number);
    for (let o = first; o < end; o += membershipWords) {
      if (when < (floats[o >> 1] as number) || when >= (floats[(o >> 1) + 1] as number)) continue;
      const group = words[o + 4] as number;
      const g = regionOf[group] as number;
      if (g < 0 || group === h) continue;
      const flags = words[g] as number;
      if ((flags & groupFlag) !== 0 && grantIn(g, (flags & assignableFlag) !== 0)) return true;
    }
    return false;
  }

  /** The region of the group the membership at `o` (of holder `h`) is in, if it holds at `when`; else -1. */
  function groupThrough(h: number, o: number, when: number): number {
    if (when < (f[o >> 1] as number) || when >= (f[(o >> 1) + 1] as number)) return -1;
    const group = w[o + 4] as number;
    const g = hotOf[group] as number;
    return g < 0 || group === h || ((w[g] as number) & groupFlag) === 0 ? -1 : g;
  }

  /** A question's answer, given its target (an action is interned here). */
  const answerFor = (h: number, r: number, t: AccessTarget, when: number, c: number): boolean =>
    'roleDefinitionId' in t
      ? answer(h, r, t.roleDefinitionId, '', -1, when, c)
      : answer(h, r, undefined, t.action, roles.action(t.action), when, c);

  /** Adds to `held` each directory role the holder at `region` holds itself at `/` at `when` (once each). */
  function tenantRolesOf(region: number, when: number, held: string[]): void {
    const c = (w[region + 3] as number) + coldHeaderWords;
    for (let k = 0; k < (w[region + 1] as number); k++) {
      const o = c + grantWords * k;
      if (cw[o + 4] !== rootScope || cw[o + 6] !== 1) continue;
      if (when < (cf[o >> 1] as number) || when >= (cf[(o >> 1) + 1] as number)) continue;
      const name = roleNames[cw[o + 5] as number] as string;
      if (!held.includes(name)) held.push(name);
    }
  }

  /** Whether the holder's region exists and says the principal does. */
  const knownAt = (r: number): boolean => r >= 0 && ((w[r] as number) & knownFlag) !== 0;

  // checkMany's work arrays, one batch long.
  const holdersOf = new Int32Array(batchSize);
  const principalsOf: string[] = new Array(batchSize).fill('');
  const regionsOf = new Int32Array(batchSize);
  const chainsOf = new Int32Array(batchSize);
  /** Where the batch's reads land (so the engine keeps them). */
  let sink = 0;

  return {
    /** Whether the principal holds the role (or an action through a role) at the scope at `at`. */
    check(q: IndexQuery): boolean {
      const h = holderIds.get(q.principalId);
      if (h < 0) return false;
      settle();
      const r = store.hotOf[h] as number;
      if (!knownAt(r)) return false;
      const c = scopes.chainOf(q.scope);
      pool = scopes.pool;
      return answerFor(h, r, q.target, q.at, c);
    },

    /**
     * The answers to many questions, in order — those `check` gives, found faster: a batch's principals are
     * looked up and their regions read first, then its scopes' chains, then the questions answered, so the
     * memory reads of a batch overlap instead of each waiting for the one before.
     */
    checkMany(qs: readonly IndexQuery[]): boolean[] {
      settle();
      const out = new Array<boolean>(qs.length);
      const hotOf = store.hotOf;
      for (let from = 0; from < qs.length; from += batchSize) {
        const n = Math.min(batchSize, qs.length - from);
        let touched = 0;
        for (let i = 0; i < n; i++) principalsOf[i] = (qs[from + i] as IndexQuery).principalId;
        holderIds.getMany(principalsOf, 0, n, holdersOf);
        for (let i = 0; i < n; i++) {
          const h = holdersOf[i] as number;
          const r = h < 0 ? -1 : (hotOf[h] as number);
          regionsOf[i] = r;
          if (r >= 0) touched += w[r] as number;
        }
        let generation = scopes.generation;
        for (let i = 0; i < n; i++) chainsOf[i] = scopes.chainOf((qs[from + i] as IndexQuery).scope);
        // The chain cache started again during the batch: the offsets read before are stale.
        while (generation !== scopes.generation) {
          generation = scopes.generation;
          for (let i = 0; i < n; i++) chainsOf[i] = scopes.chainOf((qs[from + i] as IndexQuery).scope);
        }
        pool = scopes.pool;
        for (let i = 0; i < n; i++) touched += pool[chainsOf[i] as number] as number;
        sink ^= touched;
        for (let i = 0; i < n; i++) {
          const r = regionsOf[i] as number;
          const q = qs[from + i] as IndexQuery;
          out[from + i] =
            knownAt(r) && answerFor(holdersOf[i] as number, r, q.target, q.at, chainsOf[i] as number);
        }
      }
      return out;
    },

    /** `checkMany` over questions given as columns (the same answers, in order), with no object per question. */
    checkColumns(qs: IndexQueries): boolean[] {
      settle();
      const { principalIds, roleIds, actions, scopes: askedScopes, ats } = qs;
      const total = principalIds.length;
      const out = new Array<boolean>(total);
      const hotOf = store.hotOf;
      for (let from = 0; from < total; from += batchSize) {
        const n = Math.min(batchSize, total - from);
        let touched = 0;
        holderIds.getMany(principalIds, from, n, holdersOf);
        for (let i = 0; i < n; i++) {
          const h = holdersOf[i] as number;
          const r = h < 0 ? -1 : (hotOf[h] as number);
          regionsOf[i] = r;
          if (r >= 0) touched += w[r] as number;
        }
        let generation = scopes.generation;
        for (let i = 0; i < n; i++) chainsOf[i] = scopes.chainOfAsked(askedScopes[from + i] as AskedScope);
        // The chain cache started again during the batch: the offsets read before are stale.
        while (generation !== scopes.generation) {
          generation = scopes.generation;
          for (let i = 0; i < n; i++) chainsOf[i] = scopes.chainOfAsked(askedScopes[from + i] as AskedScope);
        }
        pool = scopes.pool;
        for (let i = 0; i < n; i++) touched += pool[chainsOf[i] as number] as number;
        sink ^= touched;
        for (let i = 0; i < n; i++) {
          const r = regionsOf[i] as number;
          const k = from + i;
          if (!knownAt(r)) {
            out[k] = false;
            continue;
          }
          const roleId = roleIds[k];
          const h = holdersOf[i] as number;
          const when = ats[k] as number;
          const c = chainsOf[i] as number;
          if (roleId !== undefined) out[k] = answer(h, r, roleId, '', -1, when, c);
          else {
            const a = actions[k] as AskedAction;
            out[k] = answer(h, r, undefined, a.action, roles.actionOf(a), when, c);
          }
        }
      }
      return out;
    },

    /**
     * The directory roles the principal holds at `/` at `at` (epoch ms): its own, and those of each
     * role-assignable group whose membership (standing, or an active PIM for Groups one) holds at `at` — what
     * the caller's `roleIds` are made of. Windows are compared here, so an expired role is gone at once.
     */
    tenantDirectoryRoles(principalId: string, when: number): string[] {
      const h = holderIds.get(principalId);
      if (h < 0) return [];
      settle();
      const r = store.hotOf[h] as number;
      if (r < 0) return [];
      const held: string[] = [];
      tenantRolesOf(r, when, held);
      const m = membershipsAt(r, w[r + 1] as number);
      for (let k = 0; k < (w[r + 2] as number); k++) {
        const g = groupThrough(h, m + membershipWords * k, when);
        if (g >= 0 && ((w[g] as number) & assignableFlag) !== 0) tenantRolesOf(g, when, held);
      }
      return held;
    },

    /** Adds one grant (bulk loading). */
    addGrant(g: IndexedGrant): void {
      addGrant(holder(g.holderId), g);
    },
    /** Adds one membership (bulk loading). */
    addMembership(m: IndexedMembership): void {
      addMembership(holder(m.memberId), m);
    },
    /** Replaces everything a holder holds itself and every membership it has (after a change to either). */
    replaceHolder(
      holderId: string,
      grants: readonly IndexedGrant[],
      memberships: readonly IndexedMembership[],
    ): void {
      const h = holder(holderId);
      store.clear(h);
      for (const g of grants) addGrant(h, g);
      for (const m of memberships) addMembership(h, m);
    },
    /** Records that a principal exists (or, with undefined, no longer does). */
    setPrincipal(id: string, p: IndexedPrincipal | undefined): void {
      store.setFlags(
        holder(id),
        p === undefined
          ? 0
          : knownFlag | (p.type === 'group' ? groupFlag : 0) | (p.isAssignableToRole ? assignableFlag : 0),
      );
    },
    /** Writes what was loaded into the index's buffer (else the first check does). */
    settle: (): void => store.flush(),
    setTreeScope: scopes.setTreeScope,
    removeTreeScope: scopes.removeTreeScope,
    setCustomRoles: roles.setCustomRoles,
    setCustomRole: (id: string, role: RolePermissions | undefined) => roles.setCustomRole(id, role),
    /** Sizes, for logs and the benchmark (`sink` keeps the batch's reads from being optimised away). */
    stats: () => ({
      sink,
      holders: store.holders,
      grants: store.grants,
      scopes: scopes.size,
      bytes: store.bytes,
    }),
  };
}

export type AccessIndex = ReturnType<typeof createAccessIndex>;
