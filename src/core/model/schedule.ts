import type { PrincipalType } from './principal.js';

/** Eligibility = the right to activate later; assignment = held (active) when its window contains now. */
export type ScheduleKind = 'eligibility' | 'assignment';

export type AssignmentType = 'Assigned' | 'Activated';

/**
 * `Scheduled`: created, start in the future. `Provisioned`: started. `Revoked`: ended early by a
 * deactivation or removal. `Expired`: reached its end. Live = Scheduled | Provisioned.
 */
export type ScheduleStatus = 'Scheduled' | 'Provisioned' | 'Revoked' | 'Expired';

/**
 * What PIM governs (PRODUCT.md, "target"): a directory role, a group's membership or ownership (PIM for
 * Groups), or an Azure resource role at a scope of the resource tree.
 */
export const targetKinds = ['directoryRole', 'group', 'resourceRole'] as const;
export type TargetKind = (typeof targetKinds)[number];

/** PIM for Groups: a target is the group's membership or its ownership (Graph's `accessId`). */
export type GroupAccessId = 'member' | 'owner';

/**
 * One target, written the way Graph keys group policies (scopeType Group, scopeId groupId, roleDefinitionId
 * member|owner): a directory role is (role definition, directory scope `/` or `/administrativeUnits/{id}`); a
 * group target is (`member` | `owner`, the group's id); a resource role is (Azure role definition GUID, the ARM
 * scope path in its canonical lower-case form, e.g. `/subscriptions/{s}/resourcegroups/{rg}`, or `/`).
 */
export interface PimTarget {
  readonly targetKind: TargetKind;
  /** The role definition's id; for a group target the access id, `member` or `owner`. */
  readonly roleDefinitionId: string;
  /** The directory scope of a role; for a group target the group's id; for a resource role the ARM scope. */
  readonly scopeId: string;
}

/** A grant over the half-open window [start, end); `end = null` is permanent. */
export interface Schedule extends PimTarget {
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
