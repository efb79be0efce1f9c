import type { Schedule } from '../model/schedule.js';
import { scopeKey } from '../scope/scope-plane.js';
import type { Window } from '../time/window.js';
import { type RoleCatalogue, roleAllowsAction, roleKey } from './action-match.js';

/** A group the principal is (or may become) a member of. */
export interface GroupMembership {
  readonly groupId: string;
  readonly displayName: string;
  /** Only role-assignable groups pass directory roles on to their members (Entra); any group passes resource roles. */
  readonly isAssignableToRole: boolean;
  /** null: a standing member, at every instant. Otherwise the PIM for Groups `member` schedule (either kind). */
  readonly schedule: Schedule | null;
}

/**
 * Everything the evaluator knows about one principal. Loaded per request from the database today; an
 * in-memory index can hand over the same facts later (the evaluator reads nothing else).
 */
export interface AccessFacts {
  readonly principalId: string;
  readonly memberships: readonly GroupMembership[];
  /** Role schedules (directory and resource roles, any kind and status) of the principal and of those groups. */
  readonly schedules: readonly Schedule[];
  readonly roles: RoleCatalogue;
}

/** What is asked for: one role, or one action (matched against the roles' actions). */
export type AccessTarget = { readonly roleDefinitionId: string } | { readonly action: string };

export interface AccessQuery {
  readonly scope: string;
  /**
   * The scopes a grant is inherited from at `scope`, nearest first, `scope` itself included (the scope tree's
   * answer for resources under management groups); by path segments when absent.
   */
  readonly scopeChain?: readonly string[];
  readonly at: Date;
}

export interface CheckQuery extends AccessQuery {
  readonly target: AccessTarget;
}

/** How the principal is a member of the group a grant comes through. */
export type MembershipKind = 'static' | 'activated' | 'assigned' | 'eligible';

export interface GroupPath {
  readonly groupId: string;
  readonly displayName: string;
  readonly membership: MembershipKind;
  /** The PIM for Groups schedule behind the membership; null for a standing member. */
  readonly schedule: Schedule | null;
}

/** One grant that applies at the asked scope and instant, and the path it reaches the principal by. */
export interface AccessGrant {
  /** `eligible`: an eligibility, or an assignment reached through an eligible membership; it grants nothing. */
  readonly state: 'active' | 'eligible';
  /** The role schedule: role, scope, kind, window, status, id, and the request that created it (`createdUsing`). */
  readonly schedule: Schedule;
  readonly roleDisplayName: string;
  /** null when the principal holds the schedule itself. */
  readonly group: GroupPath | null;
  /** The grant's own scope when it is above the asked one (inherited), else null. */
  readonly inheritedFrom: string | null;
  /** When this path holds: the role schedule's window cut to the membership's. */
  readonly window: Window;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** One sentence for the person reading it: what grants the access, or why nothing does. */
  readonly reason: string;
  /** The grant that allows it (the one lasting longest when several do). */
  readonly via?: AccessGrant;
}

/** Whether a grant is for the asked role, or its role allows the asked action. */
export function grantMatches(grant: AccessGrant, target: AccessTarget, roles: RoleCatalogue): boolean {
  if ('roleDefinitionId' in target) {
    return roleKey(grant.schedule.roleDefinitionId) === roleKey(target.roleDefinitionId);
  }
  // An action asked at `/` itself is a directory action: an Azure role held at the root (where `*` or `*/read`
  // would match any text) answers for the resource scopes beneath it, and for its own role id, not for these.
  // A role of literal actions (exactActions) cannot match text it does not name, so it answers at `/` too.
  const s = grant.schedule;
  const role = roles(s.roleDefinitionId);
  if (role === undefined) return false;
  if (
    !role.exactActions &&
    s.targetKind === 'resourceRole' &&
    grant.inheritedFrom === null &&
    scopeKey(s.scopeId) === '/'
  )
    return false;
  return roleAllowsAction(role, target.action);
}
