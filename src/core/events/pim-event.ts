import type { PrincipalType } from '../model/principal.js';
import type { TicketInfo } from '../model/request.js';
import type { PimTarget, ScheduleKind } from '../model/schedule.js';

/**
 * What happened in Elevate that someone outside must be told (email, webhook, SCIM). Use cases publish these
 * in the transaction of the change they describe; the outbox fans them out to deliveries. `type` is the
 * CloudEvents `type` webhooks carry, so it is part of the public contract: add types, never rename them.
 */
export const pimEventTypes = [
  /** A self-activation (or extension/renewal) waits for approval. Subject: the request. */
  'elevate.activation.requested',
  /** Access began: an activation was granted (at once, after approval, or when its scheduled start came). Subject: the schedule. */
  'elevate.activation.granted',
  /** An approver denied, or nobody decided in time (`data.reason` 'denied' | 'approvalExpired'). Subject: the request. */
  'elevate.activation.denied',
  /** Active access ended: deactivated, expired, or removed by an admin (`data.reason`). Subject: the schedule. */
  'elevate.activation.ended',
  /** A pending request was canceled by its requestor. Subject: the request. */
  'elevate.request.canceled',
  /** An approval stage opened: `data.approvers` may decide. Subject: the approval. */
  'elevate.approval.requested',
  /** One approver decided a stage (`data.decision`); the other approvers of that stage are told it is decided. Subject: the approval. */
  'elevate.approval.decided',
  /** An administrator assigned an eligible or active assignment (`data.kind`). Subject: the schedule. */
  'elevate.assignment.added',
  /** An administrator changed an assignment's window. Subject: the new schedule. */
  'elevate.assignment.updated',
  /** An administrator removed an assignment, or a time-bound one reached its end (`data.reason`). Subject: the schedule. */
  'elevate.assignment.removed',
  /** Reminder: an eligible or active assignment ends soon (`data.remaining` P14D or P1D). Subject: the schedule. */
  'elevate.assignment.expiring',
  /** A target's role settings changed. Subject: the policy. */
  'elevate.settings.updated',
  /** An emergency-access account signed in. Subject: the user. */
  'elevate.signin.emergency',
] as const;
export type PimEventType = (typeof pimEventTypes)[number];

/** A person, group, app or Elevate itself, as a message names them. */
export interface EventParty {
  readonly id: string;
  readonly type: PrincipalType | 'system';
  readonly displayName: string;
  readonly userPrincipalName: string | null;
  /** Where email reaches them; null when unknown (groups, apps, users without mail). */
  readonly mail: string | null;
}

/** The target with the names a message shows (role or group display name, scope display name). */
export interface EventTarget extends PimTarget {
  readonly displayName: string;
  readonly scopeDisplayName: string;
}

export type EndReason = 'deactivated' | 'expired' | 'removed' | 'denied' | 'approvalExpired';

export interface ApprovalDecision {
  readonly decidedBy: EventParty;
  readonly outcome: 'Approved' | 'Denied';
  readonly justification: string | null;
}

/** What every event says about the access it concerns; optional parts are set by the types that need them. */
export interface PimEventData {
  /** Whose access this is. */
  readonly principal: EventParty;
  readonly target: EventTarget;
  readonly kind: ScheduleKind;
  readonly requestId: string | null;
  readonly scheduleId: string | null;
  readonly approvalId: string | null;
  readonly justification: string | null;
  readonly ticket: TicketInfo | null;
  /** The window of the access (granted, requested, or ended); null where it does not apply. */
  readonly start: Date | null;
  readonly end: Date | null;
  /** approval.requested / approval.decided: everyone who may decide the stage. */
  readonly approvers?: readonly EventParty[];
  /** approval.decided. */
  readonly decision?: ApprovalDecision;
  readonly reason?: EndReason;
  /** assignment.expiring: ISO 8601 duration left, P14D or P1D. */
  readonly remaining?: 'P14D' | 'P1D';
  /** settings.updated: the rule ids that changed. */
  readonly changedRules?: readonly string[];
}

export interface PimEvent {
  /** A UUID, stable: the CloudEvents `id`, the webhook-id, the e-mail Message-ID's local part. */
  readonly id: string;
  readonly type: PimEventType;
  readonly time: Date;
  readonly tenantId: string;
  /** The request, schedule, approval, policy or user the event is about (CloudEvents `subject`). */
  readonly subject: string;
  /** Who did it; Elevate itself (`type: 'system'`) for the scheduler's work. */
  readonly actor: EventParty;
  readonly data: PimEventData;
}
