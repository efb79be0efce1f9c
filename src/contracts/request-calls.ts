import { type ActivationSettings, activationSettingsFrom } from './activation-settings.js';
import type { CurrentUserFilter } from './elevate-client.js';
import type {
  GraphApproval,
  GraphApprovalStep,
  GraphGroupScheduleRequest,
  GraphPage,
  GraphPolicy,
  GraphPolicyAssignment,
  GraphScheduleRequest,
  GroupAccessId,
  ScheduleKind,
} from './graph-types.js';

type Query = Readonly<Record<string, string | number | undefined>>;

/** What the client's transport lends these calls: one call, every page of a list, or one page of it. */
export interface RequestTransport {
  call<T>(method: string, path: string, opts?: { body?: unknown; query?: Query }): Promise<T>;
  list<T>(path: string, query?: Query, limit?: number): Promise<T[]>;
  page<T>(pathOrNextLink: string, query?: Query): Promise<GraphPage<T>>;
}

/** How a page of schedule requests is asked for: whose (`on`), which (`filter`), in what order, how many. */
export interface RequestPageOptions {
  readonly on?: CurrentUserFilter;
  readonly filter?: string;
  readonly expand?: string;
  readonly orderBy?: string;
  readonly top?: number;
  readonly count?: boolean;
}

const roleManagement = '/v1.0/roleManagement/directory';
const groupPim = '/v1.0/identityGovernance/privilegedAccess/group';
const roleNouns: Record<ScheduleKind, string> = {
  assignment: 'roleAssignment',
  eligibility: 'roleEligibility',
};
const id = (value: string) => encodeURIComponent(value);
const odataString = (s: string): string => s.replaceAll("'", "''");

const pageQuery = (opts: RequestPageOptions): Query => ({
  $filter: opts.filter,
  $expand: opts.expand,
  $orderby: opts.orderBy,
  $top: opts.top,
  $count: opts.count ? 'true' : undefined,
});

const listPath = (base: string, on: CurrentUserFilter | undefined) =>
  on ? `${base}/filterByCurrentUser(on='${on}')` : base;

/**
 * The calls a person's request and approval pages make, one page at a time: schedule requests of directory roles
 * and of PIM for Groups (research §1.4, §3.1), a group request's cancel, group approvals and their stages (§4.2),
 * and a group's activation settings.
 */
export function requestCalls(t: RequestTransport) {
  return {
    /** One page of `roleAssignmentScheduleRequests` (or eligibility ones), optionally `filterByCurrentUser(on=…)`. */
    pageScheduleRequests: (kind: ScheduleKind, opts: RequestPageOptions = {}) =>
      t.page<GraphScheduleRequest>(
        listPath(`${roleManagement}/${roleNouns[kind]}ScheduleRequests`, opts.on),
        pageQuery(opts),
      ),

    /** One page of PIM for Groups schedule requests; without `on`, `filter` must name groupId or principalId. */
    pageGroupScheduleRequests: (kind: ScheduleKind, opts: RequestPageOptions = {}) =>
      t.page<GraphGroupScheduleRequest>(
        listPath(`${groupPim}/${kind}ScheduleRequests`, opts.on),
        pageQuery(opts),
      ),

    /** The page an `@odata.nextLink` of this server points at. */
    nextPage: <T>(nextLink: string) => t.page<T>(nextLink),

    cancelGroupScheduleRequest: (kind: ScheduleKind, requestId: string) =>
      t.call<void>('POST', `${groupPim}/${kind}ScheduleRequests/${id(requestId)}/cancel`),

    /** `GET …/group/assignmentApprovals/{id}`; its `stages` are read as `steps`, as for roles. */
    async getGroupApproval(approvalId: string): Promise<GraphApproval> {
      const found = await t.call<{ id: string; stages?: GraphApprovalStep[] }>(
        'GET',
        `${groupPim}/assignmentApprovals/${id(approvalId)}`,
      );
      return { id: found.id, steps: found.stages ?? [] };
    },

    /** `PATCH …/group/assignmentApprovals/{id}/stages/{stageId}` with `Approve` or `Deny`. */
    decideGroupApprovalStage: (
      approvalId: string,
      stageId: string,
      decision: { reviewResult: 'Approve' | 'Deny'; justification?: string },
    ) =>
      t.call<void>('PATCH', `${groupPim}/assignmentApprovals/${id(approvalId)}/stages/${id(stageId)}`, {
        body: decision,
      }),

    /** What activating a group's membership or ownership asks for: the rules of its `Group` policy. */
    async getGroupActivationSettings(groupId: string, accessId: GroupAccessId): Promise<ActivationSettings> {
      const filter = `scopeId eq '${odataString(groupId)}' and scopeType eq 'Group' and roleDefinitionId eq '${accessId}'`;
      const [found] = await t.list<GraphPolicyAssignment & { policy?: GraphPolicy }>(
        '/v1.0/policies/roleManagementPolicyAssignments',
        { $filter: filter, $expand: 'policy($expand=rules)' },
        1,
      );
      return activationSettingsFrom(found?.policy?.rules ?? []);
    },
  };
}
