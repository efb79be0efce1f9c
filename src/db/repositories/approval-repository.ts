import { type SqlBool, sql } from 'kysely';
import type { Executor } from '../../app/context.js';
import type { Approval, ApprovalStatus, ReviewResult } from '../../core/model/approval.js';
import type { ApproverSubject } from '../../core/model/policy.js';
import type { ApprovalRow } from '../schema.js';

export const toApproval = (r: ApprovalRow): Approval => ({
  id: r.id,
  requestId: r.request_id,
  stageId: r.stage_id,
  status: r.status as ApprovalStatus,
  reviewResult: r.review_result as ReviewResult,
  approvers: r.approvers as ApproverSubject[],
  isApproverJustificationRequired: r.is_approver_justification_required,
  expiresAt: r.expires_at,
  reviewedById: r.reviewed_by_id,
  reviewedAt: r.reviewed_at,
  justification: r.justification,
  createdAt: r.created_at,
});

export async function insertApproval(db: Executor, a: Approval): Promise<void> {
  await db
    .insertInto('approvals')
    .values({
      id: a.id,
      request_id: a.requestId,
      stage_id: a.stageId,
      status: a.status,
      review_result: a.reviewResult,
      approvers: JSON.stringify(a.approvers),
      is_approver_justification_required: a.isApproverJustificationRequired,
      expires_at: a.expiresAt,
      reviewed_by_id: a.reviewedById,
      reviewed_at: a.reviewedAt,
      justification: a.justification,
      created_at: a.createdAt,
    })
    .execute();
}

export async function getApproval(db: Executor, id: string): Promise<Approval | undefined> {
  const row = await db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toApproval(row);
}

/** Locks the approval row for a decision, so concurrent deciders queue and the first one wins. */
export async function getApprovalForUpdate(db: Executor, id: string): Promise<Approval | undefined> {
  const row = await db
    .selectFrom('approvals')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toApproval(row);
}

/** Records the outcome; only an InProgress approval moves, so a second decision changes nothing. */
export async function completeApproval(db: Executor, a: Approval): Promise<boolean> {
  const res = await db
    .updateTable('approvals')
    .set({
      status: a.status,
      review_result: a.reviewResult,
      reviewed_by_id: a.reviewedById,
      reviewed_at: a.reviewedAt,
      justification: a.justification,
    })
    .where('id', '=', a.id)
    .where('status', '=', 'InProgress')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listApprovals(db: Executor): Promise<Approval[]> {
  return (await db.selectFrom('approvals').selectAll().orderBy('created_at').execute()).map(toApproval);
}

/** Who decides approvals, as `approverCanDecide` sees them: a user, the groups it is a member of, default approver or not. */
export interface ApproverIdentity {
  readonly userId: string;
  readonly groupIds: readonly string[];
  /** Whether an approval that lists no approver falls to this user. */
  readonly isDefaultApprover: boolean;
}

/**
 * The ids of the approvals `who` may decide (any status): `approverCanDecide` evaluated by the database —
 * listed as a single user, a member of a listed group, or (none listed) a default approver. Containment
 * (`@>`) and the empty list are what the approvers indexes answer.
 */
export async function approvalIdsDecidableBy(db: Executor, who: ApproverIdentity): Promise<string[]> {
  const listed = [
    { kind: 'singleUser', userId: who.userId },
    ...who.groupIds.map((groupId) => ({ kind: 'groupMembers', groupId })),
  ];
  const rows = await db
    .selectFrom('approvals')
    .select('id')
    .where((eb) =>
      eb.or([
        ...listed.map((subject) => sql<SqlBool>`approvers @> ${JSON.stringify([subject])}::jsonb`),
        ...(who.isDefaultApprover ? [sql<SqlBool>`approvers = '[]'::jsonb`] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

export async function openApprovals(db: Executor): Promise<Approval[]> {
  return (await db.selectFrom('approvals').selectAll().where('status', '=', 'InProgress').execute()).map(
    toApproval,
  );
}

export async function dueApprovals(db: Executor, now: Date): Promise<Approval[]> {
  const rows = await db
    .selectFrom('approvals')
    .selectAll()
    .where('status', '=', 'InProgress')
    .where('expires_at', '<=', now)
    .limit(1000)
    .execute();
  return rows.map(toApproval);
}
