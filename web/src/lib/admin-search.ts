import type { AdminAssignmentQuery, ScheduleKindChoice } from './admin-types';

/** The Assignments page's address: which view, which filters, which page (shareable, and the dashboard's links). */
export interface AssignmentsSearch {
  readonly view?: 'holders';
  readonly role?: string;
  readonly group?: string;
  readonly scope?: string;
  readonly principal?: string;
  readonly kind?: ScheduleKindChoice;
  readonly permanent?: boolean;
  readonly privileged?: boolean;
  readonly expiring?: number;
  readonly activated?: number;
  readonly page?: number;
  /** Who can do what: only active or only eligible paths; only direct or only group paths. */
  readonly state?: 'active' | 'eligible';
  readonly via?: 'Direct' | 'Group';
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown, ok: (s: string) => boolean): string | undefined =>
  typeof v === 'string' && ok(v) ? v : undefined;
const bool = (v: unknown): boolean | undefined =>
  v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
const int = (v: unknown, max: number): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
};
const oneOf = <T extends string>(v: unknown, values: readonly T[]): T | undefined =>
  values.find((x) => x === v);

/** Keeps what is valid in the address, drops the rest (a hand-edited link shows the closest list). */
export function assignmentsSearch(search: Record<string, unknown>): AssignmentsSearch {
  const s: Record<string, unknown> = {
    view: oneOf(search.view, ['holders'] as const),
    role: str(search.role, (v) => guid.test(v) || v === 'member' || v === 'owner'),
    group: str(search.group, (v) => guid.test(v)),
    scope: str(search.scope, (v) => v.startsWith('/') && v.length <= 1024),
    principal: str(search.principal, (v) => guid.test(v)),
    kind: oneOf(search.kind, ['eligibility', 'assignment'] as const),
    permanent: bool(search.permanent),
    privileged: bool(search.privileged) || undefined,
    expiring: int(search.expiring, 365),
    activated: int(search.activated, 365),
    page: int(search.page, 100_000),
    state: oneOf(search.state, ['active', 'eligible'] as const),
    via: oneOf(search.via, ['Direct', 'Group'] as const),
  };
  return Object.fromEntries(Object.entries(s).filter((e) => e[1] !== undefined)) as AssignmentsSearch;
}

/** Rows per page of the admin lists. */
export const adminPageSize = 25;

/** The list the address asks for, as the API takes it. */
export function assignmentQuery(s: AssignmentsSearch): AdminAssignmentQuery {
  const q: AdminAssignmentQuery = {
    roleDefinitionId: s.role,
    groupId: s.group,
    scope: s.scope,
    principalId: s.principal,
    kind: s.kind,
    permanent: s.permanent,
    privileged: s.privileged,
    expiringWithinDays: s.expiring,
    activatedWithinDays: s.activated,
    top: adminPageSize,
    skip: ((s.page ?? 1) - 1) * adminPageSize,
  };
  return Object.fromEntries(Object.entries(q).filter((e) => e[1] !== undefined)) as AdminAssignmentQuery;
}
