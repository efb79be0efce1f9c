import { directoryRoleIds } from '../../core/catalog/directory-roles.js';
import type {
  EndReason,
  EventParty,
  EventTarget,
  PimEvent,
  PimEventData,
  PimEventType,
} from '../../core/events/pim-event.js';
import type { ApproverSubject } from '../../core/model/policy.js';
import type { Actor } from '../../core/model/principal.js';
import type { TicketInfo } from '../../core/model/request.js';
import type { PimTarget, ScheduleKind } from '../../core/model/schedule.js';
import { rootScopeId } from '../../core/scope/resource-scope.js';
import { administrativeUnitName, partiesByIds } from '../../db/repositories/event-party-repository.js';
import { groupRelations } from '../../db/repositories/membership-repository.js';
import { usersHoldingRoles } from '../../db/repositories/principal-repository.js';
import type { AppDeps, Executor } from '../context.js';
import { resolveTarget } from '../requests/target-context.js';
import { resolveScope } from '../resources/resource-context.js';

/** At most this many approvers are named on one event (and so e-mailed). */
const maxApproversPerEvent = 1000;

/** One event as a use case describes it: ids only; `build` looks the names and mail up in the transaction. */
export interface PimEventSpec {
  readonly type: PimEventType;
  readonly subject: string;
  readonly principalId: string;
  readonly target: PimTarget;
  /** The target's name when it is no role or group (e.g. an emergency sign-in); looked up otherwise. */
  readonly targetDisplayName?: string;
  readonly kind: ScheduleKind;
  readonly requestId?: string | null;
  readonly scheduleId?: string | null;
  readonly approvalId?: string | null;
  readonly justification?: string | null;
  readonly ticket?: TicketInfo | null;
  readonly start?: Date | null;
  readonly end?: Date | null;
  /** approval.*: who may decide (groups are expanded to their members at `at`). */
  readonly approvers?: readonly ApproverSubject[];
  readonly decision?: {
    readonly decidedById: string;
    readonly outcome: 'Approved' | 'Denied';
    readonly justification: string | null;
  };
  readonly reason?: EndReason;
  readonly remaining?: 'P14D' | 'P1D';
  readonly changedRules?: readonly string[];
}

const systemParty = (actor: Actor): EventParty => ({
  id: actor.id,
  type: 'system',
  displayName: actor.displayName,
  userPrincipalName: null,
  mail: null,
});

const unknownParty = (id: string): EventParty => ({
  id,
  type: 'user',
  displayName: id,
  userPrincipalName: null,
  mail: null,
});

/** The target's display name and its scope's (directory `/` is "Directory"; a group is its own scope). */
async function eventTarget(db: Executor, t: PimTarget, principalId: string): Promise<EventTarget> {
  // A role or group that no longer exists is named by its id.
  const resolved = await resolveTarget(db, { ...t, principalId }).catch(() => undefined);
  const ref = resolved?.target;
  const displayName = ref?.displayName ?? t.roleDefinitionId;
  let scopeDisplayName = t.scopeId;
  if (t.targetKind === 'group') scopeDisplayName = ref?.displayName ?? t.scopeId;
  else if (t.targetKind === 'resourceRole')
    scopeDisplayName =
      t.scopeId === rootScopeId
        ? '/'
        : ((await resolveScope(db, t.scopeId).catch(() => undefined))?.path ?? t.scopeId);
  else if (t.scopeId === '/') scopeDisplayName = 'Directory';
  else {
    const au = t.scopeId.match(/^\/administrativeUnits\/([0-9a-f-]{36})$/i)?.[1];
    if (au) scopeDisplayName = (await administrativeUnitName(db, au.toLowerCase())) ?? t.scopeId;
  }
  return {
    targetKind: t.targetKind,
    roleDefinitionId: t.roleDefinitionId,
    scopeId: t.scopeId,
    displayName,
    scopeDisplayName,
  };
}

/**
 * The users who may decide: named users, and the members (direct or through PIM) of named groups at `at`; with
 * none named, the Privileged Role and Global Administrators of the tenant (who decide then, as in Entra).
 */
async function approverIds(
  db: Executor,
  approvers: readonly ApproverSubject[],
  at: Date,
  target: PimTarget,
): Promise<string[]> {
  if (approvers.length === 0)
    return target.targetKind === 'resourceRole'
      ? []
      : (
          await usersHoldingRoles(
            db,
            [directoryRoleIds.privilegedRoleAdministrator, directoryRoleIds.globalAdministrator],
            at,
          )
        ).slice(0, maxApproversPerEvent);
  const users = approvers.flatMap((a) => (a.kind === 'singleUser' ? [a.userId] : []));
  const groupIds = approvers.flatMap((a) => (a.kind === 'groupMembers' ? [a.groupId] : []));
  const members =
    groupIds.length === 0 ? [] : await groupRelations(db, { relationship: 'member', at, groupIds });
  const ids = [...users, ...members.filter((m) => m.principalType === 'user').map((m) => m.principalId)];
  return [...new Set(ids)].slice(0, maxApproversPerEvent);
}

/**
 * Turns what a use case knows (ids) into PimEvents with the names and mail addresses a message needs, read in
 * the use case's transaction so they describe the state being committed.
 */
export function createPimEventBuilder(deps: Pick<AppDeps, 'ids' | 'tenantId'>) {
  return async function buildPimEvents(
    db: Executor,
    actor: Actor,
    at: Date,
    specs: readonly PimEventSpec[],
  ): Promise<PimEvent[]> {
    if (specs.length === 0) return [];
    const approversBySpec = await Promise.all(
      specs.map((s) => (s.approvers ? approverIds(db, s.approvers, at, s.target) : [])),
    );
    const parties = await partiesByIds(db, [
      actor.id,
      ...specs.map((s) => s.principalId),
      ...specs.flatMap((s) => (s.decision ? [s.decision.decidedById] : [])),
      ...approversBySpec.flat(),
    ]);
    const party = (id: string): EventParty => parties.get(id) ?? unknownParty(id);
    const actorParty = actor.isSystem ? systemParty(actor) : party(actor.id);
    const targets = new Map<string, EventTarget>();
    const events: PimEvent[] = [];
    for (const [i, s] of specs.entries()) {
      const key = `${s.target.targetKind}|${s.target.roleDefinitionId}|${s.target.scopeId}`;
      const target = s.targetDisplayName
        ? { ...s.target, displayName: s.targetDisplayName, scopeDisplayName: 'Directory' }
        : (targets.get(key) ?? (await eventTarget(db, s.target, s.principalId)));
      targets.set(key, target);
      const data: PimEventData = {
        principal: party(s.principalId),
        target,
        kind: s.kind,
        requestId: s.requestId ?? null,
        scheduleId: s.scheduleId ?? null,
        approvalId: s.approvalId ?? null,
        justification: s.justification ?? null,
        ticket: s.ticket ?? null,
        start: s.start ?? null,
        end: s.end ?? null,
        ...(s.approvers ? { approvers: (approversBySpec[i] ?? []).map(party) } : {}),
        ...(s.decision
          ? {
              decision: {
                decidedBy: party(s.decision.decidedById),
                outcome: s.decision.outcome,
                justification: s.decision.justification,
              },
            }
          : {}),
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.remaining ? { remaining: s.remaining } : {}),
        ...(s.changedRules ? { changedRules: s.changedRules } : {}),
      };
      events.push({
        id: deps.ids.newId(),
        type: s.type,
        time: at,
        tenantId: deps.tenantId,
        subject: s.subject,
        actor: actorParty,
        data,
      });
    }
    return events;
  };
}
