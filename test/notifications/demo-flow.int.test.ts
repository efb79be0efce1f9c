import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoGroupNames } from '../../src/app/setup/demo-groups.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { type MailWorld, mailWorld, portalUrl } from './support.js';

const password = 'demo-password-for-the-flow';
const groupPim = '/v1.0/identityGovernance/privilegedAccess/group';
const l3 = demoGroupNames.serviceDeskL3;

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

/**
 * Issue 5's first "done when", as the README's demo section tells a person to try it: the demo tenant with a
 * local SMTP server (ELEVATE_SMTP_URL) and a SCIM application (ELEVATE_DEMO_SCIM_URL); Steve activates his
 * membership of PAG-SERVICE-DESK-L3, which needs Grace's or Pat's approval.
 */
describeEachDatabase(
  "the demo tenant: Steve's approved activation is e-mailed once to each party and provisioned by SCIM until its end",
  (ctx) => {
    let w: MailWorld;
    let scim: TestScimServer;
    let groupId: string;
    let steve: TestUser;
    let grace: TestUser;
    let pat: TestUser;
    const signIn = async (upn: string): Promise<TestUser> => {
      const res = await w.t.graph(null, 'POST', '/api/auth/token', { username: upn, password });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const me = await w.t.graph(
        { id: '', upn, token: res.body.access_token, mfaToken: '' },
        'GET',
        '/v1.0/me',
      );
      return { id: me.body.id, upn, token: res.body.access_token, mfaToken: '' };
    };
    const activation = (body: Record<string, unknown> = {}) => ({
      accessId: 'member',
      principalId: steve.id,
      groupId,
      action: 'selfActivate',
      justification: 'Mailbox migration, change 2211',
      ticketInfo: { ticketNumber: 'CHG-2211', ticketSystem: 'ServiceNow' },
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      ...body,
    });

    beforeAll(async () => {
      smtp.received.length = 0;
      w = await mailWorld(ctx, smtp);
      scim = await startScimServer();
      await w.t.services.setup.seedDemoTenant(password);
      await w.t.services.provisioning.linkDemoApplication({ baseUrl: scim.baseUrl, token: scim.token });
      await w.deliver();
      groupId = (
        await ctx.db.db
          .selectFrom('groups')
          .select('id')
          .where('display_name', '=', l3)
          .executeTakeFirstOrThrow()
      ).id;
      // Signed in with the password before Steve enrols an authenticator app (sign-in then asks for it too)
      steve = await signIn('steve@elevate.example');
      grace = await signIn('grace@elevate.example');
      pat = await signIn('pat@elevate.example');
    });
    afterAll(async () => {
      await w.t.close();
      await scim.close();
    });

    it('seeds PAG-SERVICE-DESK-L3: Exchange Administrator, Steve eligible, MFA + ticket + approval by Grace or Pat, linked to the demo application', async () => {
      const { rules } = await ctx.db.db
        .selectFrom('role_management_policies')
        .select('rules')
        .where('target_kind', '=', 'group')
        .where('scope_id', '=', groupId)
        .where('role_definition_id', '=', 'member')
        .executeTakeFirstOrThrow();
      const rule = (id: string) => (rules as Record<string, any>)[id];
      expect(rule('Enablement_EndUser_Assignment').enabledRules).toEqual([
        'MultiFactorAuthentication',
        'Justification',
        'Ticketing',
      ]);
      expect(rule('Expiration_EndUser_Assignment').maximumDuration).toBe('PT1H');
      const approvers = rule('Approval_EndUser_Assignment').setting.approvalStages[0].primaryApprovers;
      expect(approvers.map((a: { userId: string }) => a.userId)).toEqual([grace.id, pat.id]);
      const holds = await ctx.db.db
        .selectFrom('schedules')
        .select(['role_definition_id', 'end_at'])
        .where('principal_id', '=', groupId)
        .where('kind', '=', 'assignment')
        .execute();
      expect(holds).toEqual([{ role_definition_id: roles.exchangeAdministrator, end_at: null }]);
      const eligible = await ctx.db.db
        .selectFrom('schedules')
        .innerJoin('users', 'users.id', 'schedules.principal_id')
        .select('users.user_principal_name')
        .where('schedules.scope_id', '=', groupId)
        .where('schedules.kind', '=', 'eligibility')
        .execute();
      expect(eligible.map((e) => e.user_principal_name)).toEqual(['steve@elevate.example']);
      const links = await ctx.db.db
        .selectFrom('provisioning_applications')
        .innerJoin('groups', 'groups.id', 'provisioning_applications.group_id')
        .select(['groups.display_name', 'provisioning_applications.base_url'])
        .orderBy('groups.display_name')
        .execute();
      expect(links).toEqual([
        { display_name: demoGroupNames.serviceDesk, base_url: scim.baseUrl },
        { display_name: l3, base_url: scim.baseUrl },
      ]);
    });

    it('refuses an activation without the step-up or the ticket, naming the rule, and e-mails nobody', async () => {
      smtp.received.length = 0;
      const url = `${groupPim}/assignmentScheduleRequests`;
      const withoutMfa = await w.t.graph(steve, 'POST', url, activation());
      expect(withoutMfa.status).toBe(400);
      expect(JSON.stringify(withoutMfa.body)).toContain('MfaRule');
      const withoutTicket = await w.t.graph(
        steve,
        'POST',
        url,
        activation({ ticketInfo: {} }),
        await w.t.steppedUp(steve, { groupId, accessId: 'member' }),
      );
      expect(withoutTicket.status).toBe(400);
      expect(JSON.stringify(withoutTicket.body)).toContain('TicketingRule');
      expect(await w.deliver()).toBe(0);
      expect(smtp.received).toEqual([]);
    });

    it('asks Grace and Pat once each; Grace approves, Pat is told once, Steve is e-mailed and provisioned, and the end of the hour removes him at that instant', async () => {
      smtp.received.length = 0;

      // When Steve steps up and asks for an hour of PAG-SERVICE-DESK-L3 membership
      const pending = await w.t.graph(
        steve,
        'POST',
        `${groupPim}/assignmentScheduleRequests`,
        activation(),
        await w.t.steppedUp(steve, { groupId, accessId: 'member' }),
      );
      expect(pending.status, JSON.stringify(pending.body)).toBe(201);
      expect(pending.body.status).toBe('PendingApproval');
      await w.deliver();

      // Then each approver gets one message asking them to act, and nothing reaches the application yet
      const asked = `Approval needed: Steve asks to activate membership of ${l3}`;
      expect(w.subjectsTo('grace@elevate.example')).toEqual([asked]);
      expect(w.subjectsTo('pat@elevate.example')).toEqual([asked]);
      expect(w.subjectsTo('steve@elevate.example')).toEqual([]);
      const request = smtp.to('pat@elevate.example')[0]!;
      expect(request.text).toContain('Justification: Mailbox migration, change 2211');
      expect(request.text).toContain('CHG-2211');
      expect(request.text).toContain(`${portalUrl}/approvals`);
      expect(scim.user('steve@elevate.example')).toBeUndefined();

      // When Grace approves
      const approvals = `${groupPim}/assignmentApprovals/${pending.body.approvalId}`;
      const stage = (await w.t.graph(grace, 'GET', approvals)).body.stages[0];
      const decided = await w.t.graph(grace, 'PATCH', `${approvals}/stages/${stage.id}`, {
        reviewResult: 'Approve',
        justification: 'Change 2211 is approved',
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(204);
      // (Pat, a moment later, is too late: the first decision wins)
      const late = await w.t.graph(pat, 'PATCH', `${approvals}/stages/${stage.id}`, {
        reviewResult: 'Deny',
        justification: 'Not during the freeze',
      });
      expect(late.status, JSON.stringify(late.body)).toBe(409);
      await w.deliver();

      // Then Pat is told once that it is decided, Steve hears that he is active: four messages in all
      const decidedNotice = `Decided: Steve's request for membership of ${l3} was approved by Grace`;
      expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([
        [['grace@elevate.example'], asked],
        [['pat@elevate.example'], asked],
        [['pat@elevate.example'], decidedNotice],
        [
          ['steve@elevate.example'],
          expect.stringMatching(/^Active: membership of PAG-SERVICE-DESK-L3 until .+ UTC$/),
        ],
      ]);
      const approved = smtp.to('steve@elevate.example')[0]!;
      expect(approved.text).toContain('Grace approved your request.');
      expect(approved.text).toContain(`${portalUrl}/my-roles`);

      // And the application has Steve as a member of its PAG-SERVICE-DESK-L3, receipted at the approval
      expect(scim.user('steve@elevate.example')).toMatchObject({
        userName: 'steve@elevate.example',
        active: true,
      });
      expect(scim.memberUserNames(l3)).toEqual(['steve@elevate.example']);
      expect(scim.memberUserNames(demoGroupNames.serviceDesk)).toEqual([]);
      const schedule = await ctx.db.db
        .selectFrom('schedules')
        .select(['id', 'start_at', 'end_at'])
        .where('principal_id', '=', steve.id)
        .where('scope_id', '=', groupId)
        .where('kind', '=', 'assignment')
        .executeTakeFirstOrThrow();
      const end = schedule.end_at!;
      expect(end.getTime() - schedule.start_at.getTime()).toBe(3_600_000);
      const receipts = () =>
        ctx.db.db
          .selectFrom('provisioning_receipts')
          .select(['operation', 'outcome', 'delivered_at'])
          .where('schedule_id', '=', schedule.id)
          .orderBy('delivered_at')
          .execute();
      expect(await receipts()).toEqual([
        { operation: 'add', outcome: 'applied', delivered_at: w.t.clock.now() },
      ]);

      // When the hour passes: the scheduler's tick ends the membership and the outbox is dispatched
      w.t.clock.set(end);
      await w.t.services.scheduler.tick();
      await w.deliver();

      // Then the application no longer has him as a member, receipted at the window's end
      expect(scim.memberUserNames(l3)).toEqual([]);
      expect(await receipts()).toEqual([
        { operation: 'add', outcome: 'applied', delivered_at: expect.any(Date) },
        { operation: 'remove', outcome: 'applied', delivered_at: end },
      ]);
      // And nobody was e-mailed again: nothing is left to send
      expect(smtp.received).toHaveLength(4);
      expect(await w.deliver()).toBe(0);
    });
  },
  { shared: true },
);
