import type { PrincipalType } from './principal.js';

/** Eligibility = the right to activate later; assignment = held (active) when its window contains now. */
export type ScheduleKind = 'eligibility' | 'assignment';

export type AssignmentType = 'Assigned' | 'Activated';

/**
 * `Scheduled`: created, start in the future. `Provisioned`: started. `Revoked`: ended early by a
 * deactivation or removal. `Expired`: reached its end. Live = Scheduled | Provisioned.
 */
export type ScheduleStatus = 'Scheduled' | 'Provisioned' | 'Revoked' | 'Expired';

/** A directory-role target: one role definition at one directory scope. */
export interface RoleTarget {
  readonly roleDefinitionId: string;
  readonly directoryScopeId: string;
}

/** A grant over the half-open window [start, end); `end = null` is permanent. */
export interface Schedule extends RoleTarget {
  readonly id: string;
  readonly kind: ScheduleKind;
  readonly principalId: string;
  readonly principalType: PrincipalType;
  /** Assignments only. */
  readonly assignmentType: AssignmentType | null;
  readonly start: Date;
  readonly end: Date | null;
  readonly status: ScheduleStatus;
  /** The request that created this schedule. */
  readonly createdUsing: string;
  /** For activated assignments: the eligibility schedule it was activated from. */
  readonly activatedUsing: string | null;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

export const liveScheduleStatuses: readonly ScheduleStatus[] = ['Scheduled', 'Provisioned'];
