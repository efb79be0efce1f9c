import type { Schedule } from '../model/schedule.js';
import { pathScopeChain, scopeKey, scopePlane } from '../scope/scope-plane.js';
import type { Window } from '../time/window.js';
import {
  type AccessDecision,
  type AccessFacts,
  type AccessGrant,
  type AccessQuery,
  type CheckQuery,
  type GroupPath,
  grantMatches,
  type MembershipKind,
} from './access-grant.js';
import { describeAllowed, describeDenied } from './describe-access.js';
import { heldAt } from './held-at.js';

const membershipKind = (s: Schedule | null): MembershipKind =>
  s === null
    ? 'static'
    : s.kind === 'eligibility'
      ? 'eligible'
      : s.assignmentType === 'Activated'
        ? 'activated'
        : 'assigned';

function intersect(a: Window, b: Window | null): Window {
  if (b === null) return { start: a.start, end: a.end };
  const start = a.start.getTime() >= b.start.getTime() ? a.start : b.start;
  const end = a.end === null ? b.end : b.end === null || a.end.getTime() <= b.end.getTime() ? a.end : b.end;
  return { start, end };
}

/** The memberships that hold at `at`, by group id; a standing membership makes PIM ones of that group moot. */
function pathsByGroup(facts: AccessFacts, at: Date): Map<string, { path: GroupPath; assignable: boolean }[]> {
  const out = new Map<string, { path: GroupPath; assignable: boolean }[]>();
  const standing = new Set(
    facts.memberships.filter((m) => m.schedule === null).map((m) => m.groupId.toLowerCase()),
  );
  for (const m of facts.memberships) {
    const key = m.groupId.toLowerCase();
    if (m.schedule !== null && (standing.has(key) || !heldAt(m.schedule, at))) continue;
    const path = {
      groupId: m.groupId,
      displayName: m.displayName,
      membership: membershipKind(m.schedule),
      schedule: m.schedule,
    };
    out.set(key, [...(out.get(key) ?? []), { path, assignable: m.isAssignableToRole }]);
  }
  return out;
}

/** Every (role schedule, path) pair in effect at the asked scope and instant, unsorted, possibly repeated. */
function* candidateGrants(facts: AccessFacts, q: AccessQuery): Generator<AccessGrant> {
  const chain = new Set((q.scopeChain ?? pathScopeChain(q.scope)).map(scopeKey));
  const asked = scopeKey(q.scope);
  const inDirectory = scopePlane(q.scope) === 'directory';
  const me = facts.principalId.toLowerCase();
  const groups = pathsByGroup(facts, q.at);
  for (const s of facts.schedules) {
    // Directory roles act in the directory, resource roles in the resource tree; `/` is the root of both.
    const applies = s.targetKind === 'directoryRole' ? inDirectory : !inDirectory || asked === '/';
    if (s.targetKind === 'group' || !applies) continue;
    const at = scopeKey(s.scopeId);
    if (!chain.has(at) || !heldAt(s, q.at)) continue;
    const holder = s.principalId.toLowerCase();
    const paths =
      holder === me
        ? [null]
        : (groups.get(holder) ?? [])
            .filter((g) => g.assignable || s.targetKind !== 'directoryRole')
            .map((g) => g.path);
    for (const group of paths) {
      yield {
        state: s.kind === 'assignment' && group?.membership !== 'eligible' ? 'active' : 'eligible',
        schedule: s,
        roleDisplayName: facts.roles(s.roleDefinitionId)?.displayName ?? s.roleDefinitionId,
        group,
        inheritedFrom: at === asked ? null : s.scopeId,
        window: intersect(s, group?.schedule ?? null),
      };
    }
  }
}

const endOf = (w: Window): number => w.end?.getTime() ?? Number.POSITIVE_INFINITY;

/**
 * Explains what the principal holds at a scope at an instant, and by which path: directly or through a group
 * (standing, or PIM membership with its window), at the scope or inherited from one above it, active or
 * only eligible. Active grants come first, then the nearest scope; one entry per schedule and group.
 */
export function explainAccess(facts: AccessFacts, q: AccessQuery): AccessGrant[] {
  const chain = (q.scopeChain ?? pathScopeChain(q.scope)).map(scopeKey);
  const best = new Map<string, AccessGrant>();
  for (const g of candidateGrants(facts, q)) {
    const key = `${g.schedule.id}|${g.group?.groupId ?? ''}`;
    const seen = best.get(key);
    if (!seen || (seen.state === 'eligible' && g.state === 'active')) best.set(key, g);
  }
  const depth = (g: AccessGrant) => chain.indexOf(scopeKey(g.schedule.scopeId));
  return [...best.values()].sort(
    (a, b) =>
      (a.state === b.state ? 0 : a.state === 'active' ? -1 : 1) ||
      depth(a) - depth(b) ||
      a.roleDisplayName.localeCompare(b.roleDisplayName, 'en') ||
      (a.group === null ? 0 : 1) - (b.group === null ? 0 : 1) ||
      a.schedule.id.localeCompare(b.schedule.id),
  );
}

/**
 * Decides whether the principal holds the role (or an action through a role) at the scope at `at`: only an
 * active assignment whose window contains `at` counts, held directly or through a group whose membership also
 * holds at `at` (invariant 1: never at `at >= end`); eligibility grants nothing.
 */
export function checkAccess(facts: AccessFacts, q: CheckQuery): AccessDecision {
  let via: AccessGrant | undefined;
  for (const g of candidateGrants(facts, q)) {
    if (g.state !== 'active' || !grantMatches(g, q.target, facts.roles)) continue;
    if (via === undefined || endOf(g.window) > endOf(via.window)) via = g;
  }
  if (via) return { allowed: true, reason: describeAllowed(via, q), via };
  return { allowed: false, reason: describeDenied(explainAccess(facts, q), q, facts.roles) };
}
