// Builders for the core's pure tests: a fixed instant, Entra's default settings, schedules and contexts.
import { globalAdministratorId, privilegedRoleAdministratorId } from '../access/is-role-administrator.js';
import type { Approval } from '../model/approval.js';
import type { ApprovalRule, ApproverSubject, EnablementFeature, PolicyRules } from '../model/policy.js';
import type { Actor, PrincipalType } from '../model/principal.js';
import type { ScheduleAction, ScheduleInfo, ScheduleRequest } from '../model/request.js';
import type { Schedule, ScheduleKind } from '../model/schedule.js';
import { defaultDirectoryRoleRules } from '../policy/default-rules.js';
import { addDuration, parseDuration } from '../time/duration.js';
import type { AcrFallback, DecisionContext } from './decision.js';

export const alice = { id: '0a11ce00-0000-4000-8000-000000000001', displayName: 'Alice' };
export const bob = { id: '0b0b0000-0000-4000-8000-000000000002', displayName: 'Bob' };
export const admin = { id: '0ad00000-0000-4000-8000-000000000003', displayName: 'Ada Admin' };
export const helpdesk = { id: '06700000-0000-4000-8000-000000000004', displayName: 'Helpdesk PAG' };
export const robot = { id: '05900000-0000-4000-8000-000000000005', displayName: 'Deploy Robot' };
export const exchangeAdmin = {
  id: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  displayName: 'Exchange Administrator',
};

/** Monday 2 March 2026, 09:00 UTC: "now" unless a test says otherwise. */
export const t0 = new Date('2026-03-02T09:00:00.000Z');
const d = (spec: string) => parseDuration(spec)!;
/** t0 plus an ISO 8601 duration. */
export const later = (spec: string, from: Date = t0): Date => addDuration(from, d(spec));
/** t0 minus an ISO 8601 duration (exact units only). */
export const earlier = (spec: string, from: Date = t0): Date =>
  new Date(from.getTime() - (addDuration(from, d(spec)).getTime() - from.getTime()));

export function actor(who: { id: string; displayName: string }, p: Partial<Actor> = {}): Actor {
  return { id: who.id, type: 'user', displayName: who.displayName, roleIds: new Set(), mfa: true, ...p };
}
export const roleAdmin = (p: Partial<Actor> = {}): Actor =>
  actor(admin, { roleIds: new Set([privilegedRoleAdministratorId]), ...p });
export const globalAdmin = (p: Partial<Actor> = {}): Actor =>
  actor(admin, { roleIds: new Set([globalAdministratorId]), ...p });

export interface RulePatch {
  readonly activationMax?: string;
  readonly activationRequires?: readonly EnablementFeature[];
  readonly acrs?: boolean;
  readonly approval?: boolean;
  readonly approvers?: readonly ApproverSubject[];
  readonly requestorJustification?: boolean;
  readonly approverJustification?: boolean;
  readonly approvalDays?: number;
  readonly eligible?: { readonly required: boolean; readonly max: string };
  readonly active?: { readonly required: boolean; readonly max: string };
  readonly eligibleRequires?: readonly EnablementFeature[];
  readonly activeRequires?: readonly EnablementFeature[];
}

/** Entra's default directory-role settings (MFA + justification on activation, 8 h), with a few changed. */
export function rules(p: RulePatch = {}): PolicyRules {
  const r = defaultDirectoryRoleRules();
  const a = r.Approval_EndUser_Assignment;
  const stage = a.setting.approvalStages[0]!;
  const approval: ApprovalRule = {
    ...a,
    setting: {
      ...a.setting,
      isApprovalRequired: p.approval ?? a.setting.isApprovalRequired,
      isRequestorJustificationRequired:
        p.requestorJustification ?? a.setting.isRequestorJustificationRequired,
      approvalStages: [
        {
          ...stage,
          primaryApprovers: p.approvers ?? stage.primaryApprovers,
          isApproverJustificationRequired: p.approverJustification ?? stage.isApproverJustificationRequired,
          approvalStageTimeOutInDays: p.approvalDays ?? stage.approvalStageTimeOutInDays,
        },
      ],
    },
  };
  const exp = (rule: PolicyRules['Expiration_Admin_Eligibility'], v?: { required: boolean; max: string }) =>
    v ? { ...rule, isExpirationRequired: v.required, maximumDuration: v.max } : rule;
  const en = (rule: PolicyRules['Enablement_Admin_Eligibility'], v?: readonly EnablementFeature[]) =>
    v ? { ...rule, enabledRules: v } : rule;
  return {
    ...r,
    Expiration_EndUser_Assignment: {
      ...r.Expiration_EndUser_Assignment,
      maximumDuration: p.activationMax ?? r.Expiration_EndUser_Assignment.maximumDuration,
    },
    Enablement_EndUser_Assignment: en(r.Enablement_EndUser_Assignment, p.activationRequires),
    AuthenticationContext_EndUser_Assignment: {
      ...r.AuthenticationContext_EndUser_Assignment,
      isEnabled: p.acrs ?? false,
      claimValue: p.acrs ? 'c1' : null,
    },
    Approval_EndUser_Assignment: approval,
    Expiration_Admin_Eligibility: exp(r.Expiration_Admin_Eligibility, p.eligible),
    Expiration_Admin_Assignment: exp(r.Expiration_Admin_Assignment, p.active),
    Enablement_Admin_Eligibility: en(r.Enablement_Admin_Eligibility, p.eligibleRequires),
    Enablement_Admin_Assignment: en(r.Enablement_Admin_Assignment, p.activeRequires),
  };
}

let serial = 0;
/** A schedule of Exchange Administrator at `/` for Alice, live since 30 days ago, permanent unless told. */
export function schedule(kind: ScheduleKind, p: Partial<Schedule> = {}): Schedule {
  serial += 1;
  const start = p.start ?? earlier('P30D');
  return {
    id: `${kind}-${serial}`,
    kind,
    principalId: alice.id,
    principalType: 'user',
    targetKind: 'directoryRole',
    roleDefinitionId: exchangeAdmin.id,
    scopeId: '/',
    assignmentType: kind === 'assignment' ? 'Assigned' : null,
    start,
    end: null,
    status: start.getTime() > t0.getTime() ? 'Scheduled' : 'Provisioned',
    createdUsing: `request-${serial}`,
    activatedUsing: null,
    createdAt: start,
    modifiedAt: start,
    ...p,
  };
}
export const eligibility = (p: Partial<Schedule> = {}) => schedule('eligibility', p);
export const activation = (p: Partial<Schedule> = {}) =>
  schedule('assignment', { assignmentType: 'Activated', start: t0, end: later('PT1H'), ...p });

/** scheduleInfo for a duration from `start` (absent: now). */
export const forDuration = (duration: string, start: Date | null = null): ScheduleInfo => ({
  startDateTime: start,
  expiration: { type: 'afterDuration', endDateTime: null, duration },
});
export const until = (end: Date, start: Date | null = null): ScheduleInfo => ({
  startDateTime: start,
  expiration: { type: 'afterDateTime', endDateTime: end, duration: null },
});
export const permanent = (start: Date | null = null): ScheduleInfo => ({
  startDateTime: start,
  expiration: { type: 'noExpiration', endDateTime: null, duration: null },
});
export const notSpecified = (start: Date | null = null): ScheduleInfo => ({
  startDateTime: start,
  expiration: { type: 'notSpecified', endDateTime: null, duration: null },
});

export interface Given {
  readonly action?: ScheduleAction;
  readonly kind?: ScheduleKind;
  readonly principal?: { id: string; displayName: string; type?: PrincipalType; isAssignableGroup?: boolean };
  readonly actor?: Actor;
  readonly scheduleInfo?: ScheduleInfo | null;
  readonly justification?: string | null;
  readonly ticketNumber?: string | null;
  readonly rules?: PolicyRules;
  readonly schedules?: readonly Schedule[];
  readonly pendingRequests?: readonly ScheduleRequest[];
  readonly roleEnabled?: boolean;
  readonly scope?: string;
  readonly now?: Date;
  readonly validationOnly?: boolean;
  /** A step-up made for this request; by default a self* request has one (as the default actor has MFA). */
  readonly stepUp?: boolean;
  /** The step-up was an OIDC re-authentication asserting this `acr` (null: none); by default a TOTP step-up. */
  readonly stepUpAcr?: string | null;
  readonly acrFallback?: AcrFallback;
}

/**
 * A decision context: by default Alice (with a step-up, a justification and a permanent eligibility) self-activates
 * Exchange Administrator at `/` for one hour under Entra's default settings.
 */
export function given(g: Given = {}): DecisionContext {
  const action = g.action ?? 'selfActivate';
  const principal: NonNullable<Given['principal']> = g.principal ?? alice;
  const self = action.startsWith('self');
  return {
    input: {
      kind: g.kind ?? 'assignment',
      action,
      principalId: principal.id,
      targetKind: 'directoryRole',
      roleDefinitionId: exchangeAdmin.id,
      scopeId: g.scope ?? '/',
      justification: g.justification === undefined ? 'Mailbox migration, change 4711' : g.justification,
      scheduleInfo: g.scheduleInfo === undefined ? forDuration('PT1H') : g.scheduleInfo,
      ticketInfo: {
        ticketNumber: g.ticketNumber ?? null,
        ticketSystem: g.ticketNumber ? 'ServiceNow' : null,
      },
      isValidationOnly: g.validationOnly ?? false,
    },
    actor: g.actor ?? (self ? actor(principal) : roleAdmin()),
    principal: {
      id: principal.id,
      type: principal.type ?? 'user',
      displayName: principal.displayName,
      isAssignableGroup: principal.isAssignableGroup ?? false,
    },
    target: { kind: 'directoryRole', ...exchangeAdmin, isEnabled: g.roleEnabled ?? true },
    rules: g.rules ?? rules(),
    schedules: g.schedules ?? (action === 'selfActivate' ? [eligibility()] : []),
    pendingRequests: g.pendingRequests ?? [],
    now: g.now ?? t0,
    ids: { requestId: 'req-new', stageId: 'stage-new' },
    ...((g.stepUp ?? self)
      ? {
          stepUp:
            g.stepUpAcr === undefined ? { method: 'totp', acr: null } : { method: 'oidc', acr: g.stepUpAcr },
        }
      : {}),
    ...(g.acrFallback ? { acrFallback: g.acrFallback } : {}),
  };
}

/** A pending approval for a request, as openApproval makes it. */
export function openedApproval(requestId: string, p: Partial<Approval> = {}): Approval {
  return {
    id: requestId,
    requestId,
    stageId: 'stage-1',
    status: 'InProgress',
    reviewResult: 'NotReviewed',
    approvers: [],
    isApproverJustificationRequired: true,
    expiresAt: later('P1D'),
    reviewedById: null,
    reviewedAt: null,
    justification: null,
    createdAt: t0,
    ...p,
  };
}
