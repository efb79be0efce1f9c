import type { PrincipalType } from './principal.js';
import type { PimTarget, ScheduleKind } from './schedule.js';

export const scheduleActions = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'adminExtend',
  'adminRenew',
  'selfActivate',
  'selfDeactivate',
  'selfExtend',
  'selfRenew',
] as const;
export type ScheduleAction = (typeof scheduleActions)[number];

export type ExpirationType = 'noExpiration' | 'afterDateTime' | 'afterDuration' | 'notSpecified';

export interface ScheduleInfo {
  readonly startDateTime: Date | null;
  readonly expiration: {
    readonly type: ExpirationType;
    readonly endDateTime: Date | null;
    /** ISO 8601 duration, e.g. PT8H. */
    readonly duration: string | null;
  };
}

export interface TicketInfo {
  readonly ticketNumber: string | null;
  readonly ticketSystem: string | null;
}

/** Graph `request.status` values Elevate uses. */
export type RequestStatus =
  | 'Granted'
  | 'Provisioned'
  | 'PendingApproval'
  | 'Denied'
  | 'Canceled'
  | 'Revoked'
  | 'Failed'
  | 'PendingProvisioning';

/** What the caller asked for, after the HTTP edge validated its shape. */
export interface ScheduleRequestInput extends PimTarget {
  readonly kind: ScheduleKind;
  readonly action: ScheduleAction;
  readonly principalId: string;
  readonly justification: string | null;
  readonly scheduleInfo: ScheduleInfo | null;
  readonly ticketInfo: TicketInfo;
  readonly isValidationOnly: boolean;
}

/** A stored schedule request. */
export interface ScheduleRequest extends PimTarget {
  readonly id: string;
  readonly kind: ScheduleKind;
  readonly action: ScheduleAction;
  readonly status: RequestStatus;
  readonly principalId: string;
  readonly principalType: PrincipalType;
  readonly justification: string | null;
  readonly scheduleInfo: ScheduleInfo | null;
  readonly ticketInfo: TicketInfo;
  readonly isValidationOnly: boolean;
  readonly targetScheduleId: string | null;
  /** Eligibility schedule used by a selfActivate. */
  readonly activatedUsing: string | null;
  readonly approvalId: string | null;
  readonly createdById: string;
  readonly createdByType: 'user' | 'servicePrincipal' | 'system';
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}
