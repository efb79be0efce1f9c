import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps } from '../context.js';
import type { Announcer } from '../events/announcer.js';
import type { ScheduleRequestService } from '../requests/schedule-request-service.js';
import { createResourceListService, type ResourceListService } from './resource-list-service.js';
import { createResourcePolicyService, type ResourcePolicyService } from './resource-policy-service.js';
import { createResourceRequestService, type ResourceRequestService } from './resource-request-service.js';
import { createScopeTreeService, type ScopeTreeService } from './scope-tree-service.js';

/** Azure resource roles: the scope tree, schedule requests, lists and role settings at any scope. */
export interface ResourceServices {
  readonly tree: ScopeTreeService;
  readonly requests: ResourceRequestService;
  readonly lists: ResourceListService;
  readonly policies: ResourcePolicyService;
}

/** Wires the resource-role area; `requests` is the shared schedule-request engine every target kind goes through. */
export function createResourceServices(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & {
    readonly audit: AuditWriter;
    readonly requests: () => ScheduleRequestService;
    /** Publishes settings changes (resource role settings) in their transaction. */
    readonly announcer?: Announcer;
  },
): ResourceServices {
  const requests = {
    create: (...args: Parameters<ScheduleRequestService['create']>) => deps.requests().create(...args),
    get: (...args: Parameters<ScheduleRequestService['get']>) => deps.requests().get(...args),
    cancel: (...args: Parameters<ScheduleRequestService['cancel']>) => deps.requests().cancel(...args),
    list: (...args: Parameters<ScheduleRequestService['list']>) => deps.requests().list(...args),
  } satisfies ScheduleRequestService;
  return {
    tree: createScopeTreeService(deps),
    requests: createResourceRequestService({ ...deps, requests }),
    lists: createResourceListService(deps),
    policies: createResourcePolicyService(deps),
  };
}
