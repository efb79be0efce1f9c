import { azureRoleIds } from '../../core/catalog/azure-roles.js';
import { directoryRoleIds } from '../../core/catalog/directory-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { ScheduleRequest, ScheduleRequestInput } from '../../core/model/request.js';
import type { ScheduleKind } from '../../core/model/schedule.js';
import { isLive } from '../../core/schedules/is-live.js';
import { rootScopeId } from '../../core/scope/resource-scope.js';
import { getRequest } from '../../db/repositories/request-repository.js';
import { getSchedule, listSchedules } from '../../db/repositories/schedule-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import type { ScheduleRequestService } from '../requests/schedule-request-service.js';
import { policyFor } from '../requests/target-context.js';
import { resolveScope } from './resource-context.js';
import { type ResourceRequestView, viewLoader } from './resource-views.js';

/** What an ARM PUT of a schedule request carries, once its shape is checked (the scope and name are in the URL). */
export type ResourceRequestInput = Omit<ScheduleRequestInput, 'kind' | 'targetKind' | 'scopeId'> & {
  /** SelfActivate: the eligibility to activate; it must be one of this role at this scope. */
  readonly linkedRoleEligibilityScheduleId?: string | null;
};

/** Postgres reports a duplicate primary key as SQLSTATE 23505. */
const isDuplicate = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

/**
 * ARM's schedule requests for resource roles, on the same engine as every other target (decideScheduleRequest):
 * the request's name is the caller's GUID, so a PUT repeated with the same name and the same request answers
 * the stored request without doing anything again (a retry is safe), and the same name with a different request
 * is a conflict. Also Azure's elevate-access for Global Administrators.
 */
export function createResourceRequestService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & { readonly requests: ScheduleRequestService },
) {
  const { db, clock, requests } = deps;

  const view = async (r: ScheduleRequest): Promise<ResourceRequestView> =>
    (await viewLoader(db).requests([r]))[0]!;

  /** The stored request of this name, if it is the same request as `input` asks for. */
  async function replay(kind: ScheduleKind, scopeId: string, name: string, input: ResourceRequestInput) {
    const existing = await getRequest(db, name);
    if (!existing) return undefined;
    const same =
      existing.targetKind === 'resourceRole' &&
      existing.kind === kind &&
      existing.scopeId === scopeId &&
      existing.roleDefinitionId === input.roleDefinitionId &&
      existing.principalId === input.principalId &&
      existing.action === input.action;
    if (!same) {
      throw new ElevateError(
        'resource.conflict',
        `A schedule request named '${name}' already exists for another principal, role, scope or requestType; choose a new GUID for a new request.`,
        { target: name },
      );
    }
    const { policyRules: _, ...request } = existing;
    return request;
  }

  async function checkLinkedEligibility(scopeId: string, input: ResourceRequestInput) {
    const id = input.linkedRoleEligibilityScheduleId;
    if (!id) return;
    const s = /^[0-9a-f-]{36}$/i.test(id) ? await getSchedule(db, id.toLowerCase()) : undefined;
    if (
      s?.kind !== 'eligibility' ||
      s.targetKind !== 'resourceRole' ||
      s.roleDefinitionId !== input.roleDefinitionId ||
      s.scopeId !== scopeId ||
      !isLive(s, clock.now())
    ) {
      throw new ElevateError(
        'request.invalid',
        `linkedRoleEligibilityScheduleId '${id}' names no live eligibility of this role at this scope; an activation is made at the scope of the eligibility it draws on.`,
      );
    }
  }

  return {
    /**
     * Creates (or, for the same name and request, replays) a schedule request at a scope. Returns the request and
     * whether this call created it.
     */
    async put(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      name: string,
      input: ResourceRequestInput,
      options: { readonly stepUpProof?: string } = {},
    ): Promise<{ view: ResourceRequestView; created: boolean }> {
      const scope = await resolveScope(db, scopeId);
      const replayed = await replay(kind, scope.id, name, input);
      if (replayed) return { view: await view(replayed), created: false };
      await checkLinkedEligibility(scope.id, input);
      const { linkedRoleEligibilityScheduleId: _, ...rest } = input;
      try {
        const created = await requests.create(
          ctx,
          { ...rest, kind, targetKind: 'resourceRole', scopeId: scope.id },
          { requestId: name, ...(options.stepUpProof ? { stepUpProof: options.stepUpProof } : {}) },
        );
        return { view: await view(created), created: true };
      } catch (error) {
        if (!isDuplicate(error)) throw error;
        // A concurrent PUT of the same name won: answer as a replay of it.
        const again = await replay(kind, scope.id, name, input);
        if (!again) throw error;
        return { view: await view(again), created: false };
      }
    },

    /** Checks a request without making it (ARM `…/{name}/validate`): the answer it would get, nothing stored. */
    async validate(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      name: string,
      input: ResourceRequestInput,
    ): Promise<ResourceRequestView> {
      const scope = await resolveScope(db, scopeId);
      await checkLinkedEligibility(scope.id, input);
      const { linkedRoleEligibilityScheduleId: _, ...rest } = input;
      const checked = await requests.create(
        ctx,
        { ...rest, kind, targetKind: 'resourceRole', scopeId: scope.id, isValidationOnly: true },
        { requestId: name },
      );
      return view(checked);
    },

    /** One request by name, at exactly the scope it was made at. */
    async get(
      ctx: CallContext,
      kind: ScheduleKind,
      scopeId: string,
      name: string,
    ): Promise<ResourceRequestView> {
      const scope = await resolveScope(db, scopeId);
      const found = await requests.get(ctx, kind, name, 'resourceRole');
      if (found.scopeId !== scope.id) throw notFound('Schedule request', name);
      return view(found);
    },

    /** Cancels a pending (or granted, not yet started) request. */
    async cancel(ctx: CallContext, kind: ScheduleKind, scopeId: string, name: string): Promise<void> {
      await this.get(ctx, kind, scopeId, name);
      await requests.cancel(ctx, kind, name, 'resourceRole');
    },

    /**
     * Azure's elevate access: a Global Administrator gives themself User Access Administrator at the root scope
     * `/`, through an adminAssign request like any other (audited, under the role settings of that role at `/`;
     * time-bound when they require an end). Idempotent: an elevation in effect is left as it is. Taking it back
     * is an AdminRemove of that assignment.
     */
    async elevateAccess(ctx: CallContext): Promise<void> {
      const { actor } = ctx;
      if (actor.type !== 'user' || !actor.roleIds.has(directoryRoleIds.globalAdministrator)) {
        throw new ElevateError(
          'auth.forbidden',
          `The client '${actor.displayName}' with object id '${actor.id}' does not have authorization to perform action 'Microsoft.Authorization/elevateAccess/action' over scope '/': only a Global Administrator elevates access.`,
        );
      }
      const target = {
        targetKind: 'resourceRole' as const,
        roleDefinitionId: azureRoleIds.userAccessAdministrator,
        scopeId: rootScopeId,
      };
      const now = clock.now();
      const held = await listSchedules(db, {
        kind: 'assignment',
        targetKind: 'resourceRole',
        principalIds: [actor.id],
        scopeIds: [rootScopeId],
        activeAt: now,
      });
      if (held.some((s) => s.roleDefinitionId === target.roleDefinitionId)) return;
      const rules = (await policyFor(db, deps, target, now)).rules.Expiration_Admin_Assignment;
      await requests.create(ctx, {
        ...target,
        kind: 'assignment',
        action: 'adminAssign',
        principalId: actor.id,
        justification: 'Elevated access for Azure resources (elevateAccess)',
        ticketInfo: { ticketNumber: null, ticketSystem: null },
        isValidationOnly: false,
        scheduleInfo: {
          startDateTime: null,
          expiration: rules.isExpirationRequired
            ? { type: 'afterDuration', endDateTime: null, duration: rules.maximumDuration }
            : { type: 'noExpiration', endDateTime: null, duration: null },
        },
      });
    },
  };
}

export type ResourceRequestService = ReturnType<typeof createResourceRequestService>;
