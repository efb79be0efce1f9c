import { sql } from 'kysely';
import { directoryRoles } from '../../core/catalog/directory-roles.js';
import { liveScheduleStatuses } from '../../core/model/schedule.js';
import type { Executor } from '../context.js';
import type { PrincipalView } from './report-names.js';

const dayMs = 86_400_000;
/** "Expiring soon" on the dashboard: ending within this many days. */
const expiringSoonDays = 14;

interface PrivilegedRoleCounts {
  readonly roleDefinitionId: string;
  readonly displayName: string;
  readonly eligible: number;
  readonly active: number;
  readonly permanent: number;
}

export interface DashboardView {
  readonly at: Date;
  /** Every built-in role Microsoft labels privileged, most held first. */
  readonly privilegedRoles: PrivilegedRoleCounts[];
  readonly totals: { readonly eligible: number; readonly active: number; readonly permanent: number };
  readonly activations: { readonly last7Days: number; readonly last30Days: number };
  readonly pendingApprovals: number;
  readonly expiringSoon: { readonly withinDays: number; readonly count: number };
  readonly emergencyAccounts: (PrincipalView & { accountEnabled: boolean; activeAssignments: number })[];
}

const n = (v: unknown): number => Number(v ?? 0);

/**
 * The numbers an administrator starts with, each matching a list the assignments page shows: live eligible,
 * active and permanent grants of the privileged directory roles; activations made in the last 7 and 30 days;
 * requests waiting for approval; live grants ending within 14 days; emergency-access accounts and what they hold.
 */
export async function dashboard(db: Executor, now: Date): Promise<DashboardView> {
  const live = { statuses: [...liveScheduleStatuses], now };
  const privileged = directoryRoles.filter((r) => r.isPrivileged);
  const [perRole, activations, pending, expiring, emergency] = await Promise.all([
    db
      .selectFrom('schedules')
      .select((eb) => [
        eb.fn<string>('lower', ['role_definition_id']).as('role'),
        'kind',
        eb.fn.countAll().as('held'),
        sql<number>`count(*) filter (where end_at is null)`.as('permanent'),
      ])
      .where('target_kind', '=', 'directoryRole')
      .where('status', 'in', live.statuses)
      .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)]))
      .where(
        (eb) => eb.fn('lower', ['role_definition_id']),
        'in',
        privileged.map((r) => r.id),
      )
      .groupBy([sql`lower(role_definition_id)`, 'kind'])
      .execute(),
    db
      .selectFrom('schedules')
      .select([
        sql<number>`count(*) filter (where created_at >= ${new Date(now.getTime() - 7 * dayMs)})`.as('week'),
        sql<number>`count(*)`.as('month'),
      ])
      .where('kind', '=', 'assignment')
      .where('assignment_type', '=', 'Activated')
      .where('created_at', '>=', new Date(now.getTime() - 30 * dayMs))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('schedule_requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'PendingApproval')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('schedules')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', 'in', live.statuses)
      .where('end_at', '>', now)
      .where('end_at', '<=', new Date(now.getTime() + expiringSoonDays * dayMs))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('users as u')
      .select(['u.id', 'u.display_name', 'u.user_principal_name', 'u.account_enabled'])
      .select((eb) =>
        eb
          .selectFrom('schedules as s')
          .select(eb.fn.countAll().as('n'))
          .whereRef('s.principal_id', '=', 'u.id')
          .where('s.kind', '=', 'assignment')
          .where('s.status', 'in', live.statuses)
          .where('s.start_at', '<=', now)
          .where((w) => w.or([w('s.end_at', 'is', null), w('s.end_at', '>', now)]))
          .as('active'),
      )
      .where('u.is_emergency_access', '=', true)
      .orderBy('u.display_name')
      .limit(50)
      .execute(),
  ]);

  const countOf = (role: string, kind: string, field: 'held' | 'permanent') =>
    n(perRole.find((r) => r.role === role && r.kind === kind)?.[field]);
  const privilegedRoles = privileged
    .map((r) => ({
      roleDefinitionId: r.id,
      displayName: r.displayName,
      eligible: countOf(r.id, 'eligibility', 'held'),
      active: countOf(r.id, 'assignment', 'held'),
      permanent: countOf(r.id, 'eligibility', 'permanent') + countOf(r.id, 'assignment', 'permanent'),
    }))
    .sort(
      (a, b) =>
        b.eligible + b.active - (a.eligible + a.active) || a.displayName.localeCompare(b.displayName, 'en'),
    );
  const sum = (f: (r: PrivilegedRoleCounts) => number) => privilegedRoles.reduce((t, r) => t + f(r), 0);
  return {
    at: now,
    privilegedRoles,
    totals: {
      eligible: sum((r) => r.eligible),
      active: sum((r) => r.active),
      permanent: sum((r) => r.permanent),
    },
    activations: { last7Days: n(activations.week), last30Days: n(activations.month) },
    pendingApprovals: n(pending.n),
    expiringSoon: { withinDays: expiringSoonDays, count: n(expiring.n) },
    emergencyAccounts: emergency.map((u) => ({
      id: u.id,
      type: 'user' as const,
      displayName: u.display_name,
      userPrincipalName: u.user_principal_name,
      accountEnabled: u.account_enabled,
      activeAssignments: n(u.active),
    })),
  };
}
