import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.js';
import { directoryRoleIds as roles } from '../../core/catalog/directory-roles.js';
import { activationsFrom, dueSchedules } from './schedule-repository.js';

const t0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describeEachDatabase("the scheduler's and activations' lookups", (ctx) => {
  async function givenUser(): Promise<string> {
    const id = randomUUID();
    await ctx.db.db
      .insertInto('users')
      .values({
        id,
        user_principal_name: `u-${id}@elevate.test`,
        display_name: 'U',
        mail: null,
        given_name: null,
        surname: null,
        job_title: null,
        account_enabled: true,
        password_hash: null,
        is_emergency_access: false,
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    return id;
  }

  /** One schedule of its own user (so windows never overlap); returns its id. */
  async function given(p: {
    start: Date;
    end: Date | null;
    status: 'Scheduled' | 'Provisioned' | 'Expired' | 'Revoked';
    activatedUsing?: string;
    principal?: string;
  }): Promise<string> {
    const id = randomUUID();
    await ctx.db.db
      .insertInto('schedules')
      .values({
        id,
        kind: 'assignment',
        principal_id: p.principal ?? (await givenUser()),
        principal_type: 'user',
        target_kind: 'directoryRole',
        role_definition_id: roles.helpdeskAdministrator,
        scope_id: '/',
        assignment_type: p.activatedUsing ? 'Activated' : 'Assigned',
        start_at: p.start,
        end_at: p.end,
        status: p.status,
        created_using: id,
        activated_using: p.activatedUsing ?? null,
        created_at: t0,
        modified_at: t0,
      })
      .execute();
    return id;
  }

  it('finds live schedules whose end has passed and scheduled ones whose start has come, each once, and nothing else', async () => {
    const now = at(0);
    const ended = await given({ start: at(-120), end: at(-1), status: 'Provisioned' });
    const endsNow = await given({ start: at(-120), end: now, status: 'Provisioned' });
    const starts = await given({ start: at(-5), end: at(60), status: 'Scheduled' });
    const startedAndEnded = await given({ start: at(-60), end: at(-30), status: 'Scheduled' });
    await given({ start: at(-120), end: at(1), status: 'Provisioned' });
    await given({ start: at(-120), end: null, status: 'Provisioned' });
    await given({ start: at(1), end: at(60), status: 'Scheduled' });
    await given({ start: at(-120), end: at(-60), status: 'Expired' });
    await given({ start: at(-120), end: at(-60), status: 'Revoked' });

    const due = await dueSchedules(ctx.db.db, now);
    expect(due.map((s) => s.id).sort()).toEqual([ended, endsNow, starts, startedAndEnded].sort());
  });

  it('finds the live activations made from an eligibility, not ended ones nor those of another', async () => {
    const eligibility = randomUUID();
    const user = await givenUser();
    const live = await given({
      start: at(-10),
      end: at(50),
      status: 'Provisioned',
      activatedUsing: eligibility,
      principal: user,
    });
    await given({
      start: at(-120),
      end: at(-60),
      status: 'Expired',
      activatedUsing: eligibility,
      principal: user,
    });
    await given({ start: at(-10), end: at(50), status: 'Provisioned', activatedUsing: randomUUID() });

    expect((await activationsFrom(ctx.db.db, [eligibility])).map((s) => s.id)).toEqual([live]);
    expect(await activationsFrom(ctx.db.db, [])).toEqual([]);
  });
});
