import { scopeKey } from '../../scope/scope-plane.js';
import type { AccessTarget } from '../access-grant.js';
import type { RolePermissions } from '../action-match.js';
import { createHolderStore, effectiveStride } from './holder-grants.js';
import { createRoleActions } from './role-actions.js';
import { createScopeChains } from './scope-chains.js';

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

const live = new Set(['Scheduled', 'Provisioned']);

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
 * Effective access held in memory: principals and groups interned to integers, each with its active grants and
 * the memberships that pass group grants on; role → actions (memoised); the scope tree with each asked scope's
 * ancestor chain. A check walks the grants of the principal and of each group whose membership holds at `at`,
 * keeps those at a scope of the chain whose window holds at `at`, and matches the role or the action — the
 * answer `checkAccess` gives over the same facts (invariant 1: windows are compared at read time, so expiry
 * needs nothing to run).
 */
export function createAccessIndex() {
  const holderIds = new Map<string, number>();
  const store = createHolderStore();
  const scopes = createScopeChains();
  const roles = createRoleActions();
  /** The scope `/`, interned: where tenant-wide directory roles are held. */
  const rootScope = scopes.intern(scopeKey('/'));
  /** Each interned role's id as the first grant naming it spelled it (what the caller's `roleIds` carry). */
  const roleNames: string[] = [];
  let grantCount = 0;
  let mark = new Int32Array(1024);
  let stamp = 0;

  function holder(id: string): number {
    const key = id.toLowerCase();
    let h = holderIds.get(key);
    if (h === undefined) {
      h = store.add();
      holderIds.set(key, h);
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
    store.addGrant(h, [scope, role, g.start, g.end, g.targetKind === 'directoryRole' ? 1 : 0]);
    grantCount++;
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

  return {
    /** Whether the principal holds the role (or an action through a role) at the scope at `at`. */
    check(q: IndexQuery): boolean {
      const h = holderIds.get(q.principalId) ?? holderIds.get(q.principalId.toLowerCase());
      if (h === undefined) return false;
      if (!store.known(h)) return false;
      // -2: an action is asked; -1: a role no grant names (nothing can match); else the role's id.
      const target = q.target;
      const asksRole = 'roleDefinitionId' in target;
      const role = asksRole ? askedRole(target.roleDefinitionId) : -2;
      if (role === -1) return false;
      const action = asksRole ? '' : target.action;
      const actionId = asksRole ? -1 : roles.action(action);
      const c = scopes.chainOf(q.scope);
      if (mark.length < scopes.size) {
        mark = new Int32Array(Math.max(scopes.size, mark.length * 2));
        stamp = 0;
      }
      stamp = stamp === 0x7fffffff ? 1 : stamp + 1;
      if (stamp === 1) mark.fill(0);
      const chain = c.chain;
      for (let i = 0; i < chain.length; i++) mark[chain[i] as number] = stamp;
      const at = q.at;
      const { inDirectory, askedIsRoot, asked } = c;
      const o = store.effectiveOffset(h);
      const n = store.effectiveCount(h);
      const g = store.buffer();
      const data = o + n;
      for (let j = 0; j < n; j++) {
        const scope = g[o + j] as number;
        if (mark[scope] !== stamp) continue;
        const i = data + j * effectiveStride;
        if (at < (g[i + 1] as number) || at >= (g[i + 2] as number)) continue;
        const directory = g[i + 3] === 1;
        if (directory ? !inDirectory : inDirectory && !askedIsRoot) continue;
        const grantRole = g[i] as number;
        if (role >= 0) {
          if (grantRole === role) return true;
          continue;
        }
        // An Azure role held at `/` itself answers no action asked at `/` unless its actions are literal.
        if (!directory && askedIsRoot && scope === asked && !roles.exact(grantRole)) continue;
        if (roles.allows(grantRole, actionId, action)) return true;
      }
      return false;
    },

    /**
     * The directory roles the principal holds at `/` at `at` (epoch ms): its own, and those of each
     * role-assignable group whose membership (standing, or an active PIM for Groups one) holds at `at` — what
     * the caller's `roleIds` are made of. Windows are compared here, so an expired role is gone at once.
     */
    tenantDirectoryRoles(principalId: string, at: number): string[] {
      const h = holderIds.get(principalId) ?? holderIds.get(principalId.toLowerCase());
      if (h === undefined) return [];
      const o = store.effectiveOffset(h);
      const n = store.effectiveCount(h);
      const g = store.buffer();
      const data = o + n;
      const held = new Set<string>();
      for (let j = 0; j < n; j++) {
        if (g[o + j] !== rootScope) continue;
        const i = data + j * effectiveStride;
        if (g[i + 3] !== 1 || at < (g[i + 1] as number) || at >= (g[i + 2] as number)) continue;
        held.add(roleNames[g[i] as number] as string);
      }
      return [...held];
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
      grantCount -= store.clear(h);
      for (const g of grants) addGrant(h, g);
      for (const m of memberships) addMembership(h, m);
    },
    /** Records that a principal exists (or, with undefined, no longer does). */
    setPrincipal(id: string, p: IndexedPrincipal | undefined): void {
      store.setFlags(holder(id), {
        known: p !== undefined,
        isGroup: p?.type === 'group',
        assignable: p?.isAssignableToRole === true,
      });
    },
    setTreeScope: scopes.setTreeScope,
    removeTreeScope: scopes.removeTreeScope,
    setCustomRoles: roles.setCustomRoles,
    setCustomRole: (id: string, role: RolePermissions | undefined) => roles.setCustomRole(id, role),
    /** Sizes, for logs and the benchmark. */
    stats: () => ({ holders: store.holders.length, grants: grantCount, scopes: scopes.size }),
  };
}

export type AccessIndex = ReturnType<typeof createAccessIndex>;
