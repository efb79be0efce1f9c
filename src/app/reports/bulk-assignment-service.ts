import { canManageRoleAssignments, requirePermission } from '../../core/authorization/permissions.js';
import { isElevateError } from '../../core/errors.js';
import type { ScheduleInfo, ScheduleRequestInput } from '../../core/model/request.js';
import type { PimTarget, ScheduleKind } from '../../core/model/schedule.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import type { ScheduleRequestService } from '../requests/schedule-request-service.js';
import { type PrincipalView, principalViews } from './report-names.js';

/** One role (or group access) for many principals, with one justification and one window. */
export interface BulkAssignInput {
  readonly kind: ScheduleKind;
  readonly target: PimTarget;
  /** User principal names or object ids, as pasted. */
  readonly principals: readonly string[];
  readonly justification: string | null;
  readonly ticketNumber: string | null;
  readonly ticketSystem: string | null;
  readonly start: Date | null;
  readonly end: Date | null;
  readonly duration: string | null;
}

export interface BulkAssignRow {
  readonly input: string;
  readonly outcome: 'assigned' | 'pendingApproval' | 'failed';
  readonly principal: PrincipalView | null;
  readonly requestId: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each line's principal: by object id, or a user by principal name (any case); undefined when none matches. */
async function resolvePrincipals(
  db: Executor,
  lines: readonly string[],
): Promise<Map<string, PrincipalView>> {
  const ids = lines.filter((l) => guidPattern.test(l));
  const upns = lines.filter((l) => !guidPattern.test(l)).map((l) => l.toLowerCase());
  const byId = await principalViews(db, ids);
  const users = upns.length
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name', 'user_principal_name'])
        .where((eb) => eb.fn('lower', ['user_principal_name']), 'in', upns)
        .execute()
    : [];
  const out = new Map<string, PrincipalView>();
  for (const line of lines) {
    const found = guidPattern.test(line)
      ? byId.get(line.toLowerCase())
      : users.find((u) => u.user_principal_name.toLowerCase() === line.toLowerCase());
    if (!found) continue;
    out.set(
      line,
      'type' in found
        ? found
        : {
            id: found.id,
            type: 'user',
            displayName: found.display_name,
            userPrincipalName: found.user_principal_name,
          },
    );
  }
  return out;
}

const scheduleInfoOf = (b: BulkAssignInput): ScheduleInfo => ({
  startDateTime: b.start,
  expiration: b.end
    ? { type: 'afterDateTime', endDateTime: b.end, duration: null }
    : b.duration
      ? { type: 'afterDuration', endDateTime: null, duration: b.duration.toUpperCase() }
      : { type: 'noExpiration', endDateTime: null, duration: null },
});

/**
 * Bulk add: each pasted principal gets the same role (or group access) through its own `adminAssign` request —
 * decided, written and audited on its own, exactly as one made alone — so one line's refusal (unknown principal,
 * already assigned, a rule of the settings) leaves the others standing and is reported on its line.
 */
export function createBulkAssignmentService(
  deps: Pick<AppDeps, 'db'> & { requests: () => ScheduleRequestService },
) {
  const { db } = deps;
  return {
    async assign(ctx: CallContext, b: BulkAssignInput): Promise<BulkAssignRow[]> {
      requirePermission(
        canManageRoleAssignments(ctx.actor),
        'assign roles and group access',
        'Privileged Role Administrator or Global Administrator',
      );
      const lines = b.principals.map((p) => p.trim());
      const principals = await resolvePrincipals(db, lines);
      const seen = new Set<string>();
      const rows: BulkAssignRow[] = [];
      for (const line of lines) {
        const principal = principals.get(line) ?? null;
        const failed = (code: string, message: string): BulkAssignRow => ({
          input: line,
          outcome: 'failed',
          principal,
          requestId: null,
          error: { code, message },
        });
        if (!principal) {
          rows.push(
            failed(
              'resource.not_found',
              `No user has the principal name, and no principal the id, '${line}'.`,
            ),
          );
          continue;
        }
        if (seen.has(principal.id)) {
          rows.push(
            failed('request.invalid', `${principal.displayName} is listed more than once; assigned once.`),
          );
          continue;
        }
        seen.add(principal.id);
        const input: ScheduleRequestInput = {
          ...b.target,
          kind: b.kind,
          action: 'adminAssign',
          principalId: principal.id,
          justification: b.justification,
          scheduleInfo: scheduleInfoOf(b),
          ticketInfo: { ticketNumber: b.ticketNumber, ticketSystem: b.ticketSystem },
          isValidationOnly: false,
        };
        try {
          const request = await deps.requests().create(ctx, input);
          rows.push({
            input: line,
            outcome: request.status === 'PendingApproval' ? 'pendingApproval' : 'assigned',
            principal,
            requestId: request.id,
            error: null,
          });
        } catch (error) {
          // A refusal belongs to its line; anything else is a fault of the server and ends the batch.
          if (!isElevateError(error)) throw error;
          rows.push(failed(error.code, error.message));
        }
      }
      return rows;
    },
  };
}

export type BulkAssignmentService = ReturnType<typeof createBulkAssignmentService>;
