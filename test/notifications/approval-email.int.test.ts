import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { type PimEventJson, pimEventFromJson } from '../../src/core/events/pim-event-json.js';
import type { TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { approvalBy, type MailWorld, mailWorld, portalUrl } from './support.js';

const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';
const approvals = '/beta/roleManagement/directory/roleAssignmentApprovals';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

describeEachDatabase('e-mail of an approval, received by a real SMTP server', (ctx) => {
  let w: MailWorld;
  let adam: TestUser;
  let grace: TestUser;
  let gina: TestUser;
  let pat: TestUser;

  beforeEach(async () => {
    smtp.received.length = 0;
    smtp.refuseRecipients(null);
    w = await mailWorld(ctx, smtp);
    adam = await w.person('Adam');
    grace = await w.person('Grace');
    gina = await w.person('Gina');
    pat = await w.person('Pat', [roles.privilegedRoleAdministrator]);
    await w.setRules(roles.helpdeskAdministrator, approvalBy([grace.id, gina.id]));
    const eligible = await w.t.graph(w.t.admin, 'POST', eligibilityRequests, {
      action: 'adminAssign',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification: 'Service desk rota',
      scheduleInfo: { startDateTime: w.t.clock.now().toISOString(), expiration: { type: 'noExpiration' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    await w.deliver();
  });
  afterEach(() => w.t.close());

  const activate = (justification = 'Ticket <b>4711</b> & "queue"') =>
    w.t.graph(adam, 'POST', requests, {
      action: 'selfActivate',
      principalId: adam.id,
      roleDefinitionId: roles.helpdeskAdministrator,
      directoryScopeId: '/',
      justification,
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
    });

  async function decide(approver: TestUser, approvalId: string, reviewResult: 'Approve' | 'Deny') {
    const approval = await w.t.graph(approver, 'GET', `${approvals}/${approvalId}`);
    const res = await w.t.graph(
      approver,
      'PATCH',
      `${approvals}/${approvalId}/steps/${approval.body.steps[0].id}`,
      {
        reviewResult,
        justification: 'Checked the rota',
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  }

  it('tells the assignee and the other administrators of a new eligible assignment, not the admin who made it', () => {
    expect(w.subjectsTo(adam.upn)).toEqual(['Assigned: you are now eligible for Helpdesk Administrator']);
    expect(w.subjectsTo(pat.upn)).toEqual([
      'Role assignment assigned: Adam — Helpdesk Administrator (eligible assignment)',
    ]);
    expect(smtp.received).toHaveLength(2);
  });

  it('asks each approver once; when one approves, tells the other once and the requestor of the approval', async () => {
    smtp.received.length = 0;
    const pending = await activate();
    expect(pending.body.status).toBe('PendingApproval');
    await w.deliver();

    for (const approver of [grace, gina]) {
      const mail = smtp.to(approver.upn);
      expect(mail.map((m) => m.subject)).toEqual([
        'Approval needed: Adam asks to activate Helpdesk Administrator',
      ]);
      expect(mail[0]!.text).toContain(`Review the request: ${portalUrl}/approvals`);
      expect(mail[0]!.text).toContain('Justification: Ticket <b>4711</b> & "queue"');
      expect(mail[0]!.html).toContain('Ticket &lt;b&gt;4711&lt;/b&gt; &amp; &quot;queue&quot;');
      expect(mail[0]!.html).not.toContain('<b>4711</b>');
      expect(mail[0]!.html).toContain(`href="${portalUrl}/approvals"`);
    }
    expect(w.subjectsTo(adam.upn)).toEqual([]);
    expect(w.subjectsTo(pat.upn)).toEqual([]);

    await decide(grace, pending.body.approvalId, 'Approve');
    await w.deliver();
    expect(w.subjectsTo(grace.upn)).toHaveLength(1);
    expect(w.subjectsTo(gina.upn)).toEqual([
      'Approval needed: Adam asks to activate Helpdesk Administrator',
      "Decided: Adam's request for Helpdesk Administrator was approved by Grace",
    ]);
    const [asked, decided] = smtp.to(gina.upn);
    expect(decided!.parsed.references).toBe(asked!.parsed.references);
    const granted = smtp.to(adam.upn);
    expect(granted.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Active: Helpdesk Administrator until /),
    ]);
    expect(granted[0]!.text).toContain('Grace approved your request.');
    expect(granted[0]!.text).toContain(`${portalUrl}/my-roles`);
    expect(w.subjectsTo(pat.upn)).toEqual(['Role activated: Adam activated Helpdesk Administrator']);
    const messageIds = smtp.received.map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
  });

  it('sends nothing new when the same events are published again', async () => {
    const pending = await activate();
    await decide(gina, pending.body.approvalId, 'Approve');
    await w.deliver();
    const before = smtp.received.length;
    const stored = await ctx.db.db.selectFrom('outbox_events').select('event').execute();
    await ctx.db.db.transaction().execute(async (trx) => {
      await w.t.services.events.publish(
        trx,
        stored.map((r) => pimEventFromJson(r.event as PimEventJson)),
      );
    });
    expect(await w.deliver()).toBe(0);
    expect(smtp.received).toHaveLength(before);
  });

  it('tells the requestor of a denial, and the approvers once of a request withdrawn', async () => {
    smtp.received.length = 0;
    const first = await activate();
    const cancel = await w.t.graph(adam, 'POST', `${requests}/${first.body.id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(204);
    await w.deliver();
    expect(w.subjectsTo(grace.upn)).toEqual([
      'Approval needed: Adam asks to activate Helpdesk Administrator',
      'Withdrawn: Adam canceled the request for Helpdesk Administrator',
    ]);

    smtp.received.length = 0;
    const second = await activate('Again');
    await decide(gina, second.body.approvalId, 'Deny');
    await w.deliver();
    expect(w.subjectsTo(adam.upn)).toEqual(['Denied: your request for Helpdesk Administrator']);
    expect(smtp.to(adam.upn)[0]!.text).toContain('Gina denied your request');
    expect(w.subjectsTo(grace.upn)).toEqual([
      'Approval needed: Adam asks to activate Helpdesk Administrator',
      "Decided: Adam's request for Helpdesk Administrator was denied by Gina",
    ]);
    expect(w.subjectsTo(gina.upn)).toEqual(['Approval needed: Adam asks to activate Helpdesk Administrator']);
    expect(w.subjectsTo(pat.upn)).toEqual([]);
  });

  it('delivers what was planned while the SMTP server was down once it is back, once per receiver', async () => {
    smtp.received.length = 0;
    await smtp.stop();
    try {
      await activate();
      await w.deliver();
      const waiting = await ctx.db.db
        .selectFrom('outbox_deliveries')
        .select(['receiver_id', 'status', 'attempts', 'last_error'])
        .where('channel', '=', 'email')
        .where('event_type', '=', 'elevate.approval.requested')
        .execute();
      expect(waiting).toHaveLength(2);
      for (const d of waiting) expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      await smtp.start();
    }
    w.t.clock.advanceMinutes(10);
    await w.deliver();
    expect(w.subjectsTo(grace.upn)).toEqual([
      'Approval needed: Adam asks to activate Helpdesk Administrator',
    ]);
    expect(w.subjectsTo(gina.upn)).toEqual(['Approval needed: Adam asks to activate Helpdesk Administrator']);
    w.t.clock.advanceMinutes(10);
    expect(await w.deliver()).toBe(0);
  });

  it('marks a message the server refuses for good (5xx) dead at once', async () => {
    smtp.received.length = 0;
    smtp.refuseRecipients(550);
    await activate();
    await w.deliver();
    smtp.refuseRecipients(null);
    const dead = await ctx.db.db
      .selectFrom('outbox_deliveries')
      .select(['status', 'last_error'])
      .where('channel', '=', 'email')
      .execute();
    const refused = dead.filter((d) => d.status === 'dead');
    expect(refused).toHaveLength(2);
    for (const d of refused) expect(d.last_error).toContain('550');
  });
});
