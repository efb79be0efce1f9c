import type { ApproverSubject } from './policy.js';

/** Lifecycle: InProgress → Completed (approved or denied) | Expired | Canceled. */
export type ApprovalStatus = 'InProgress' | 'Completed' | 'Expired' | 'Canceled';
export type ReviewResult = 'NotReviewed' | 'Approved' | 'Denied';

/** Roles use one approval stage (Graph supports single-stage only for roles). */
export interface Approval {
  readonly id: string;
  readonly requestId: string;
  readonly stageId: string;
  readonly status: ApprovalStatus;
  readonly reviewResult: ReviewResult;
  readonly approvers: readonly ApproverSubject[];
  /** When approvers is empty, Privileged Role Administrators and Global Administrators decide. */
  readonly isApproverJustificationRequired: boolean;
  readonly expiresAt: Date;
  readonly reviewedById: string | null;
  readonly reviewedAt: Date | null;
  readonly justification: string | null;
  readonly createdAt: Date;
}
