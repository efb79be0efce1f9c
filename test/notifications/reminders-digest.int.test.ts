import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { approvalBy, type MailWorld, mailWorld } from './support.js';

const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const assignmentRequests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const day = 86_400_000;

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

describeEachDatabase('expiry reminders and the weekly digest, driven by the clock', (ctx) => {
  let w: MailWorld;
  afterEach(() => w.t.close());

  async function assign(
    user: TestUser,
    kind: 'eligible' | 'active',
    roleId: string,
    end: Date | null,
  ): Promise<void> {
    const res = await w.t.graph(
      w.t.admin,
      'POST',
      kind === 'eligible' ? eligibilityRequests : assignmentRequests,
      {
        action: 'adminAssign',
        principalId: user.id,
        roleDefinitionId: roleId,
        directoryScopeId: '/',
        justification: 'Rota',
        scheduleInfo: {
          startDateTime: w.t.clock.now().toISOString(),
          expiration: end
            ? { type: 'afterDateTime', endDateTime: end.toISOString() }
            : { type: 'noExpiration' },
        },
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  it('reminds 14 days and 1 day before an eligible or active assignment ends and at its end, each once', async () => {
    smtp.received.length = 0;
    w = await mailWorld(ctx, smtp, { now: '2026-01-06T09:00:00Z' });
    const adam = await w.person('Adam');
    const bea = await w.person('Bea');
    const end = new Date(w.t.clock.now().getTime() + 20 * day);
    await assign(adam, 'eligible', roles.helpdeskAdministrator, end);
    await assign(bea, 'active', roles.passwordAdministrator, end);
    await assign(adam, 'eligible', roles.exchangeAdministrator, null);
    await w.deliver();
    smtp.received.length = 0;

    const pass = () => w.t.services.notifications.runDue();
    expect((await pass()).reminders).toBe(0);

    w.t.clock.set(new Date(end.getTime() - 14 * day + 60_000));
    expect((await pass()).reminders).toBe(2);
    expect((await pass()).reminders).toBe(0);
    await w.deliver();
    expect(w.subjectsTo(adam.upn)).toEqual([
      'Expires in 14 days: your eligible assignment to Helpdesk Administrator',
    ]);
    expect(w.subjectsTo(bea.upn)).toEqual([
      'Expires in 14 days: your active assignment to Password Administrator',
    ]);
    expect(smtp.to(adam.upn)[0]!.text).toContain('https://pim.elevate.test/my-roles');

    w.t.clock.set(new Date(end.getTime() - 12 * 3_600_000));
    expect((await pass()).reminders).toBe(2);
    expect((await pass()).reminders).toBe(0);
    w.t.clock.set(end);
    expect(await w.t.services.scheduler.tick()).toMatchObject({ expired: 2 });
    expect((await pass()).reminders).toBe(0);
    await w.deliver();
    expect(w.subjectsTo(adam.upn)).toEqual([
      'Expires in 14 days: your eligible assignment to Helpdesk Administrator',
      'Expires in 1 day: your eligible assignment to Helpdesk Administrator',
      'Expired: your eligible assignment to Helpdesk Administrator',
    ]);
    expect(w.subjectsTo(bea.upn)).toHaveLength(3);
    expect(await w.deliver()).toBe(0);
  });

  it('reminds at once an assignment changed to end sooner than its 14-day mark, on a later pass', async () => {
    smtp.received.length = 0;
    w = await mailWorld(ctx, smtp, { now: '2026-01-06T09:00:00Z' });
    const adam = await w.person('Adam');
    await assign(
      adam,
      'eligible',
      roles.helpdeskAdministrator,
      new Date(w.t.clock.now().getTime() + 40 * day),
    );
    const pass = () => w.t.services.notifications.runDue();
    expect((await pass()).reminders).toBe(0);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 20 * day));
    expect((await pass()).reminders).toBe(0);

    // Its mark (new end − 14 days) is already behind: only "written since the last pass" finds it.
    const res = await w.t.graph(w.t.admin, 'POST', eligibilityRequests, {
      action: 'adminUpdate',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Shorter',
      scheduleInfo: {
        startDateTime: new Date(w.t.clock.now().getTime() - 20 * day).toISOString(),
        expiration: {
          type: 'afterDateTime',
          endDateTime: new Date(w.t.clock.now().getTime() + 10 * day).toISOString(),
        },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 60_000));
    expect((await pass()).reminders).toBe(1);
    expect((await pass()).reminders).toBe(0);
  });

  it('sends no 14-day reminder for an assignment made for less than 14 days, and none for an activation', async () => {
    smtp.received.length = 0;
    w = await mailWorld(ctx, smtp, { now: '2026-01-06T09:00:00Z' });
    const adam = await w.person('Adam');
    await w.setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Enablement_EndUser_Assignment: { ...r.Enablement_EndUser_Assignment, enabledRules: ['Justification'] },
    }));
    await assign(
      adam,
      'eligible',
      roles.helpdeskAdministrator,
      new Date(w.t.clock.now().getTime() + 10 * day),
    );
    const activated = await w.t.graph(adam, 'POST', assignmentRequests, {
      action: 'selfActivate',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Queue',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT8H' } },
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    await w.deliver();
    smtp.received.length = 0;
    w.t.clock.advance(4 * 3_600_000);
    expect((await w.t.services.notifications.runDue()).reminders).toBe(0);
    w.t.clock.advance(9 * day);
    expect((await w.t.services.notifications.runDue()).reminders).toBe(1);
    await w.deliver();
    expect(w.subjectsTo(adam.upn)).toEqual([
      'Expires in 1 day: your eligible assignment to Helpdesk Administrator',
    ]);
  });

  it('sends the weekly digest to role administrators once a week, from Monday 08:00 UTC', async () => {
    smtp.received.length = 0;
    w = await mailWorld(ctx, smtp, { now: '2026-01-08T10:00:00Z' });
    const pat = await w.person('Pat', [roles.privilegedRoleAdministrator]);
    const grace = await w.person('Grace', [roles.globalAdministrator]);
    const adam = await w.person('Adam');
    const stan = await w.person('Stan');
    await w.setRules(roles.helpdeskAdministrator, (r) => ({
      ...r,
      Enablement_EndUser_Assignment: { ...r.Enablement_EndUser_Assignment, enabledRules: ['Justification'] },
    }));
    await w.setRules(roles.exchangeAdministrator, approvalBy([grace.id]));
    await assign(adam, 'eligible', roles.helpdeskAdministrator, null);
    await assign(
      stan,
      'eligible',
      roles.exchangeAdministrator,
      new Date(w.t.clock.now().getTime() + 3 * day),
    );
    const activate = (user: TestUser, roleId: string) =>
      w.t.graph(user, 'POST', assignmentRequests, {
        action: 'selfActivate',
        principalId: user.id,
        roleDefinitionId: roleId,
        directoryScopeId: '/',
        justification: 'Incident <42>',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      });
    expect((await activate(adam, roles.helpdeskAdministrator)).body.status).toBe('Provisioned');
    expect((await activate(stan, roles.exchangeAdministrator)).body.status).toBe('PendingApproval');
    await w.deliver();
    smtp.received.length = 0;

    w.t.clock.advanceMinutes(5);
    expect((await w.t.services.notifications.runDue()).digestRecipients).toBe(2);
    expect((await w.t.services.notifications.runDue()).digestRecipients).toBe(0);
    await w.deliver();
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual([grace.upn, pat.upn]);
    const digest = smtp.to(pat.upn)[0]!;
    // New assignments: the two eligibilities, and the standing roles the test gave Admin, Pat and Grace.
    expect(digest.subject).toBe(
      'Elevate weekly digest: 1 activations, 5 new assignments, 1 pending, 2 expiring',
    );
    expect(digest.text).toContain('Activations in the last 7 days (1)');
    expect(digest.text).toContain('Adam — Helpdesk Administrator');
    expect(digest.text).toContain('Requests waiting for approval (1)');
    expect(digest.text).toContain('Stan — Exchange Administrator');
    expect(digest.html).toContain('Incident &lt;42&gt;');

    w.t.clock.set('2026-01-12T07:59:00Z');
    expect((await w.t.services.notifications.runDue()).digestRecipients).toBe(0);
    w.t.clock.set('2026-01-12T08:00:00Z');
    expect((await w.t.services.notifications.runDue()).digestRecipients).toBe(2);
  });
});
