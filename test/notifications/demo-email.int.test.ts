import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { type MailWorld, mailWorld } from './support.js';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

/** The demo's e-mail addresses; Steve's approved activation, end to end, is demo-flow.int.test.ts. */
describeEachDatabase(
  'e-mail on the demo tenant with a local SMTP server',
  (ctx) => {
    let w: MailWorld;
    beforeAll(async () => {
      w = await mailWorld(ctx, smtp);
      await w.t.services.setup.seedDemoTenant('demo-password-123456');
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
      const toSteve = w.subjectsTo('steve@elevate.example');
      expect(toSteve).toContain('Assigned: you are now eligible for Exchange Administrator');
      expect(toSteve).toContain('Assigned: you are now eligible for membership of PAG-SERVICE-DESK-L3');
    });
  },
  { shared: true },
);
