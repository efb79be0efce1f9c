import type { AuditSearch } from '../../../app/audit/audit-query-service.js';
import type { AuditCategory, AuditService } from '../../../core/audit/audit-record.js';
import type { FilterNode, Literal } from '../odata/index.js';

/**
 * What the database can do for a directoryAudits `$filter`. `search` holds conditions every matching entry
 * meets (never more: it may let through entries the filter refuses, never drop one it accepts); `exact` is
 * true when `search` alone selects exactly the matching entries, so the filter need not be run in memory.
 */
export interface AuditFilterPlan {
  readonly search: AuditSearch;
  readonly exact: boolean;
}

const guidShaped = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type MutableSearch = { -readonly [K in keyof AuditSearch]: AuditSearch[K] };

/**
 * Splits a validated filter (see `directoryAuditListSpec`) into its top-level `and` terms and pushes down
 * those the audit log's columns answer: the time range, category, activityDisplayName, loggedByService and
 * correlationId (exactly), a target id inside `targetResources/any(…)` and initiator ids (as a superset:
 * the database compares them ignoring case and across user and app ids). `or`, `not`, `ne`, `startswith`
 * and everything else stay for `matchFilter`.
 */
export function planAuditFilter(filter: FilterNode | undefined): AuditFilterPlan {
  if (filter === undefined) return { search: {}, exact: true };
  const search: MutableSearch = {};
  let exact = true;
  for (const term of conjuncts(filter)) {
    if (!absorb(search, term)) exact = false;
  }
  return { search, exact };
}

function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

/** Adds what `term` says to `search`; true when `search` now says all of it. */
function absorb(search: MutableSearch, term: FilterNode): boolean {
  if (term.kind === 'lambda') return absorbTarget(search, term);
  if (term.kind !== 'compare' || term.property.variable !== undefined) return false;
  const text = textOf(term.value);
  switch (term.property.path) {
    case 'activityDateTime':
      return absorbTime(search, term.op, term.value);
    case 'category':
      return term.op === 'eq' && text !== undefined && setOnce(search, 'category', text as AuditCategory);
    case 'loggedByService':
      return (
        term.op === 'eq' && text !== undefined && setOnce(search, 'loggedByService', text as AuditService)
      );
    case 'activityDisplayName':
      // matchFilter compares two GUIDs ignoring case and SQL would not: leave such a name to matchFilter.
      if (term.op !== 'eq' || text === undefined || guidShaped.test(text)) return false;
      return setOnce(search, 'activityDisplayName', text);
    case 'correlationId':
      return term.op === 'eq' && text !== undefined && setOnce(search, 'correlationId', text);
    case 'initiatedBy/user/id':
    case 'initiatedBy/app/appId':
    case 'initiatedBy/app/servicePrincipalId':
      if (term.op === 'eq' && text !== undefined) setOnce(search, 'initiatedById', text);
      return false;
    default:
      return false;
  }
}

/** `targetResources/any(t: … t/id eq 'x' …)`: entries with a target of that id, whatever else the lambda asks. */
function absorbTarget(search: MutableSearch, term: Extract<FilterNode, { kind: 'lambda' }>): boolean {
  if (term.op !== 'any' || term.collection.path !== 'targetResources' || term.predicate === undefined) {
    return false;
  }
  for (const inner of conjuncts(term.predicate)) {
    if (inner.kind !== 'compare' || inner.op !== 'eq' || inner.property.variable !== term.variable) continue;
    const text = textOf(inner.value);
    if (inner.property.path === 'id' && text !== undefined) {
      setOnce(search, 'targetId', text);
      break;
    }
  }
  return false;
}

/**
 * Audit times are written from JavaScript dates, so they are whole milliseconds: `gt t` is `ge t + 1 ms` and
 * `le t` is `lt t + 1 ms`, which keeps every bound exact on the half-open range `[from, to)`.
 */
function absorbTime(search: MutableSearch, op: string, value: Literal): boolean {
  if (value.type !== 'datetime') return false;
  const at = Date.parse(value.value);
  if (Number.isNaN(at)) return false;
  const from = (t: number) => {
    if (search.from === undefined || search.from.getTime() < t) search.from = new Date(t);
  };
  const to = (t: number) => {
    if (search.to === undefined || search.to.getTime() > t) search.to = new Date(t);
  };
  switch (op) {
    case 'eq':
      from(at);
      to(at + 1);
      return true;
    case 'ge':
      from(at);
      return true;
    case 'gt':
      from(at + 1);
      return true;
    case 'lt':
      to(at);
      return true;
    case 'le':
      to(at + 1);
      return true;
    default:
      return false;
  }
}

/** Sets a field the first time; a second, different value cannot be pushed down (the filter then decides). */
function setOnce<K extends keyof MutableSearch>(
  search: MutableSearch,
  key: K,
  value: MutableSearch[K],
): boolean {
  if (search[key] === undefined) {
    search[key] = value;
    return true;
  }
  return search[key] === value;
}

function textOf(value: Literal): string | undefined {
  return value.type === 'string' || value.type === 'guid' ? value.value : undefined;
}
