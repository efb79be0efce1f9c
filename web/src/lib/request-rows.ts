import type { QueryClient } from '@tanstack/react-query';
import type {
  ElevateClient,
  GraphGroupScheduleRequest,
  GraphPage,
  GraphScheduleInfo,
  GraphScheduleRequest,
} from '../../../src/contracts/browser';
import { roleNamesQuery } from './my-access';
import type { Target } from './targets';
import type { PagedSource } from './use-merged-pages';

/** A schedule request on a directory role or a group, as the request and approval pages list it. */
export interface RequestRow {
  readonly id: string;
  readonly target: Target;
  /** The role's or the group's display name. */
  readonly name: string;
  readonly action: string;
  readonly status: string;
  readonly createdDateTime: string;
  readonly completedDateTime: string | null;
  readonly justification: string | null;
  readonly ticketNumber: string | null;
  readonly ticketSystem: string | null;
  readonly scheduleInfo: GraphScheduleInfo | null;
  readonly approvalId: string | null;
  readonly principalId: string;
  /** With `$expand=principal`. */
  readonly principalName: string | null;
  readonly principalUpn: string | null;
}

const fromRole = (r: GraphScheduleRequest, names: ReadonlyMap<string, string>): RequestRow => ({
  id: r.id,
  target: {
    kind: 'directoryRole',
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
  },
  name: names.get(r.roleDefinitionId.toLowerCase()) ?? r.roleDefinitionId,
  action: r.action,
  status: r.status,
  createdDateTime: r.createdDateTime,
  completedDateTime: r.completedDateTime,
  justification: r.justification,
  ticketNumber: r.ticketInfo?.ticketNumber ?? null,
  ticketSystem: r.ticketInfo?.ticketSystem ?? null,
  scheduleInfo: r.scheduleInfo,
  approvalId: r.approvalId,
  principalId: r.principalId,
  principalName: r.principal?.displayName ?? null,
  principalUpn: r.principal?.userPrincipalName ?? null,
});

const fromGroup = (r: GraphGroupScheduleRequest): RequestRow => ({
  id: r.id,
  target: { kind: 'group', groupId: r.groupId, accessId: r.accessId },
  name: r.group?.displayName ?? r.groupId,
  action: r.action,
  status: r.status,
  createdDateTime: r.createdDateTime,
  completedDateTime: r.completedDateTime,
  justification: r.justification,
  ticketNumber: r.ticketInfo?.ticketNumber ?? null,
  ticketSystem: r.ticketInfo?.ticketSystem ?? null,
  scheduleInfo: r.scheduleInfo,
  approvalId: r.approvalId,
  principalId: r.principalId,
  principalName: r.principal?.displayName ?? null,
  principalUpn: r.principal?.userPrincipalName ?? null,
});

/** The status filters the pages offer, as OData conditions on Graph's `status`. */
export const statusFilters = {
  all: { label: 'All', filter: undefined },
  pending: { label: 'Pending approval', filter: "status eq 'PendingApproval'" },
  approved: { label: 'Active or scheduled', filter: "status in ('Provisioned', 'Granted')" },
  denied: { label: 'Denied', filter: "status eq 'Denied'" },
  canceled: { label: 'Canceled', filter: "status eq 'Canceled'" },
  revoked: { label: 'Revoked', filter: "status eq 'Revoked'" },
  decided: { label: 'Decided', filter: "status ne 'PendingApproval'" },
} as const;
export type StatusFilter = keyof typeof statusFilters;

const pageSize = 20;

/**
 * Activation requests (assignment schedule requests) of directory roles and of groups, newest first, as two
 * server-paged sources: mine (`on='principal'`) or those I may decide (`on='approver'`), with a status filter.
 */
export function requestSources(
  client: ElevateClient,
  queryClient: QueryClient,
  opts: { on: 'principal' | 'approver'; status: StatusFilter },
): PagedSource<RequestRow>[] {
  const filter = statusFilters[opts.status].filter;
  const common = {
    on: opts.on,
    orderBy: 'createdDateTime desc',
    top: pageSize,
    ...(filter ? { filter } : {}),
  };
  const names = () => queryClient.ensureQueryData(roleNamesQuery(client));
  const mapPage = <A, B>(page: GraphPage<A>, f: (a: A) => B): GraphPage<B> => ({
    ...page,
    items: page.items.map(f),
  });
  return [
    {
      first: async () => {
        const [page, n] = await Promise.all([
          client.pageScheduleRequests('assignment', { ...common, expand: 'principal' }),
          names(),
        ]);
        return mapPage(page, (r) => fromRole(r, n));
      },
      next: async (link) => {
        const [page, n] = await Promise.all([client.nextPage<GraphScheduleRequest>(link), names()]);
        return mapPage(page, (r) => fromRole(r, n));
      },
    },
    {
      first: async () =>
        mapPage(
          await client.pageGroupScheduleRequests('assignment', { ...common, expand: 'principal,group' }),
          fromGroup,
        ),
      next: async (link) => mapPage(await client.nextPage<GraphGroupScheduleRequest>(link), fromGroup),
    },
  ];
}

export const requestTime = (r: RequestRow): number => new Date(r.createdDateTime).getTime();
