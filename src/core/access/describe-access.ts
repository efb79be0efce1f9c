import { type AccessGrant, type CheckQuery, grantMatches } from './access-grant.js';
import type { RoleCatalogue } from './action-match.js';

const iso = (d: Date): string => d.toISOString();

/** "directly" / "through activated membership of group 'PAG-SERVICE-DESK' (until …)". */
function how(g: AccessGrant): string {
  if (g.group === null) return 'directly';
  const m = g.group;
  const kind = m.membership === 'static' ? 'standing' : m.membership;
  const until = m.schedule?.end ? ` until ${iso(m.schedule.end)}` : '';
  return `through ${kind} membership of group '${m.displayName}'${until}`;
}

/** "assigned at '/'", or "assigned at '/' and inherited at '/administrativeUnits/…'". */
const where = (g: AccessGrant, asked: string): string =>
  g.inheritedFrom === null
    ? `at '${g.schedule.scopeId}'`
    : `at '${g.schedule.scopeId}', inherited at '${asked}'`;

const until = (g: AccessGrant): string => (g.window.end ? `until ${iso(g.window.end)}` : 'with no end');

/** One sentence naming the grant that allows the query and the path it comes by. */
export function describeAllowed(g: AccessGrant, q: CheckQuery): string {
  const type = g.schedule.assignmentType === 'Activated' ? 'activated' : 'assigned';
  const role = `'${g.roleDisplayName}' (${type}) ${how(g)} ${where(g, q.scope)}, ${until(g)}`;
  return 'action' in q.target ? `'${q.target.action}' is allowed by ${role}.` : `Active: ${role}.`;
}

/** Why nothing allows the query: an eligibility that was not activated, roles that lack the action, or nothing. */
export function describeDenied(grants: readonly AccessGrant[], q: CheckQuery, roles: RoleCatalogue): string {
  const wanted =
    'action' in q.target
      ? `a role that allows '${q.target.action}'`
      : `'${roles(q.target.roleDefinitionId)?.displayName ?? q.target.roleDefinitionId}'`;
  const eligible = grants.find((g) => g.state === 'eligible' && grantMatches(g, q.target, roles));
  if (eligible) {
    return `No active assignment of ${wanted} at '${q.scope}' at ${iso(q.at)}; eligible for '${eligible.roleDisplayName}' ${how(eligible)} ${where(eligible, q.scope)}, which grants nothing until activated.`;
  }
  const active = [...new Set(grants.filter((g) => g.state === 'active').map((g) => g.roleDisplayName))];
  const held = active.length > 0 && 'action' in q.target ? ` (active there: ${active.join(', ')})` : '';
  return `No active assignment of ${wanted} at '${q.scope}' at ${iso(q.at)}${held}.`;
}
