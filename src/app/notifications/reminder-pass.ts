import { dueReminders, reminderHorizonMs, reminderLeadsMs } from '../../core/notifications/due-reminders.js';
import { existingOutboxEventIds, getOutboxEvent } from '../../db/repositories/outbox-repository.js';
import { getRequest } from '../../db/repositories/request-repository.js';
import { toSchedule } from '../../db/repositories/schedule-repository.js';
import { type AppDeps, systemActor } from '../context.js';
import { createPimEventBuilder } from '../events/pim-events.js';
import type { EventPublisher } from '../outbox/event-publisher.js';
import { stableEventId } from './stable-event-id.js';

/** How far back a pass also looks at schedules written since the last one (instances' clocks differ). */
const modifiedSlackMs = 5 * 60_000;

/**
 * Publishes `elevate.assignment.expiring` for every eligible or active assignment whose 14-day or 1-day mark has
 * come (core/notifications/due-reminders.ts). Each reminder's event id is derived from (schedule, end, lead),
 * so a second pass — or a second instance — publishes nothing new, while an assignment extended to a new end is
 * reminded again. The first pass of a process looks at every schedule ending within the longest lead; each
 * later one only at those whose mark passed since the previous pass or that were written since (on a large
 * tenant, thousands of schedules would otherwise be read again every tick). Each reminder not sent yet is its own short transaction; the e-mail and webhook planners run inside it.
 */
export function createReminderPass(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids' | 'tenantId'> & { events: EventPublisher },
) {
  const { db, clock, events } = deps;
  const build = createPimEventBuilder(deps);
  /** When the last pass that finished began: later passes look only at what could have become due since. */
  let previous: number | null = null;
  return async function publishDueReminders(): Promise<number> {
    const now = clock.now();
    const t = now.getTime();
    const since = previous !== null && previous <= t ? previous : null;
    const rows = await db
      .selectFrom('schedules')
      .selectAll()
      .where('status', 'in', ['Scheduled', 'Provisioned'])
      .where('end_at', '>', now)
      .where('end_at', '<=', new Date(t + reminderHorizonMs))
      .where((eb) => eb.or([eb('kind', '=', 'eligibility'), eb('assignment_type', '=', 'Assigned')]))
      .$if(since !== null, (q) =>
        q.where((eb) =>
          eb.or([
            // A mark (end − lead) passed since the last pass …
            ...reminderLeadsMs.map((lead) =>
              eb.and([
                eb('end_at', '>', new Date((since as number) + lead)),
                eb('end_at', '<=', new Date(t + lead)),
              ]),
            ),
            // … or the schedule was written since (made, extended), a little before for clocks apart.
            eb('modified_at', '>=', new Date((since as number) - modifiedSlackMs)),
          ]),
        ),
      )
      .orderBy('end_at')
      .execute();
    const due = dueReminders(rows.map(toSchedule), now).map((r) => ({
      ...r,
      id: stableEventId('reminder', r.schedule.id, r.schedule.end?.toISOString() ?? '', r.remaining),
    }));
    // Reminders sent before (most, on every pass after the first) are skipped without a transaction each; the
    // transaction below looks again, for another instance sending the same one meanwhile.
    const sent = await existingOutboxEventIds(
      db,
      due.map((r) => r.id),
    );
    let published = 0;
    for (const { schedule: s, remaining, id } of due) {
      if (sent.has(id)) continue;
      const done = await db.transaction().execute(async (trx) => {
        if (await getOutboxEvent(trx, id)) return false;
        const request = await getRequest(trx, s.createdUsing);
        const [event] = await build(trx, systemActor, now, [
          {
            type: 'elevate.assignment.expiring',
            subject: s.id,
            principalId: s.principalId,
            target: { targetKind: s.targetKind, roleDefinitionId: s.roleDefinitionId, scopeId: s.scopeId },
            kind: s.kind,
            requestId: request?.id ?? null,
            scheduleId: s.id,
            start: s.start,
            end: s.end,
            remaining,
          },
        ]);
        if (!event) return false;
        await events.publish(trx, [{ ...event, id }]);
        return true;
      });
      if (done) published++;
    }
    previous = t;
    return published;
  };
}
