import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/app/context.js';
import { policyFor } from '../../src/app/requests/target-context.js';
import { uuidV7Ids } from '../../src/compose.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import type { TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { type MailWorld, mailWorld, portalUrl } from './support.js';

const password = 'demo-password-123456';
const requests = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const approvals = '/beta/roleManagement/directory/roleAssignmentApprovals';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

describeEachDatabase(
  'e-mail on the demo tenant with a local SMTP server',
  (ctx) => {
    let w: MailWorld;
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

    beforeAll(async () => {
      w = await mailWorld(ctx, smtp);
      await w.t.services.setup.seedDemoTenant(password);
      await w.deliver();
    });
    afterAll(() => w.t.close());

    it('gives every demo account a mail address, and tells the seeded assignees of their eligibilities', async () => {
      const users = await ctx.db.db
        .selectFrom('users')
        .select(['user_principal_name', 'mail'])
        .where('user_principal_name', 'like', '%@elevate.example')
        .execute();
      expect(users.length).toBeGreaterThanOrEqual(7);
      for (const u of users) expect(u.mail).toBe(u.user_principal_name);
      expect(w.subjectsTo('steve@elevate.example')).toContain(
        'Assigned: you are now eligible for Exchange Administrator',
      );
    });

    it("emails the approvers of Steve's activation once each, and Steve when Grace approves it", async () => {
      // Given the role administrators require approval for Exchange Administrator, by Grace or Pat.
      const grace = await signIn('grace@elevate.example');
      const pat = await signIn('pat@elevate.example');
      const steve = await signIn('steve@elevate.example');
      const target = {
        targetKind: 'directoryRole' as const,
        roleDefinitionId: roles.exchangeAdministrator,
        scopeId: '/',
      };
      const policy = await policyFor(
        ctx.db.db,
        { ids: uuidV7Ids, tenantId: w.t.services.tenantId },
        target,
        w.t.clock.now(),
      );
      const approval = policy.rules.Approval_EndUser_Assignment;
      await w.t.services.policies.updateRules(
        {
          actor: { ...systemActor, roleIds: new Set([roles.globalAdministrator]), mfa: true },
          requestId: uuidV7Ids.newId(),
        },
        policy.id,
        [
          {
            rule: {
              ...approval,
              setting: {
                ...approval.setting,
                isApprovalRequired: true,
                approvalStages: [
                  {
                    ...approval.setting.approvalStages[0]!,
                    primaryApprovers: [
                      { kind: 'singleUser', userId: grace.id, description: 'Grace' },
                      { kind: 'singleUser', userId: pat.id, description: 'Pat' },
                    ],
                  },
                ],
              },
            },
          },
        ],
      );
      smtp.received.length = 0;

      const pending = await w.t.graph(
        steve,
        'POST',
        requests,
        {
          action: 'selfActivate',
          principalId: steve.id,
          roleDefinitionId: roles.exchangeAdministrator,
          directoryScopeId: '/',
          justification: 'Mailbox migration, change 2211',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
        },
        await w.t.steppedUp(steve, roles.exchangeAdministrator),
      );
      expect(pending.status, JSON.stringify(pending.body)).toBe(201);
      expect(pending.body.status).toBe('PendingApproval');
      await w.deliver();
      const asked = 'Approval needed: Steve asks to activate Exchange Administrator';
      expect(w.subjectsTo('grace@elevate.example')).toEqual([asked]);
      expect(w.subjectsTo('pat@elevate.example')).toEqual([asked]);
      expect(w.subjectsTo('steve@elevate.example')).toEqual([]);
      const request = smtp.to('grace@elevate.example')[0]!;
      expect(request.text).toContain('Justification: Mailbox migration, change 2211');
      expect(request.text).toContain(`${portalUrl}/approvals`);

      const step = (await w.t.graph(grace, 'GET', `${approvals}/${pending.body.approvalId}`)).body.steps[0];
      const decided = await w.t.graph(
        grace,
        'PATCH',
        `${approvals}/${pending.body.approvalId}/steps/${step.id}`,
        {
          reviewResult: 'Approve',
          justification: 'Change 2211 is approved',
        },
      );
      expect(decided.status, JSON.stringify(decided.body)).toBe(204);
      await w.deliver();

      expect(w.subjectsTo('grace@elevate.example')).toEqual([asked]);
      expect(w.subjectsTo('pat@elevate.example')).toEqual([
        asked,
        "Decided: Steve's request for Exchange Administrator was approved by Grace",
        'Role activated: Steve activated Exchange Administrator',
      ]);
      const toSteve = smtp.to('steve@elevate.example');
      expect(toSteve.map((m) => m.subject)).toEqual([
        expect.stringMatching(/^Active: Exchange Administrator until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      ]);
      expect(toSteve[0]!.text).toContain('Grace approved your request.');
      expect(await w.deliver()).toBe(0);
    });
  },
  { shared: true },
);
