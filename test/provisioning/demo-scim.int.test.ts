import { afterEach, beforeEach, expect, it } from 'vitest';
import { composeDeliveryChannels } from '../../src/compose.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';

const groupRequests = '/v1.0/identityGovernance/privilegedAccess/group';

/**
 * Issue 5's "done when": in the demo tenant with a SCIM application configured (ELEVATE_DEMO_SCIM_URL), Steve
 * activates PAG-SERVICE-DESK membership, the application gets him, and the end of the window removes him.
 */
describeEachDatabase('the demo tenant provisions PAG-SERVICE-DESK by SCIM', (ctx) => {
  let t: TestApp;
  let scim: TestScimServer;
  let dispatcher: OutboxDispatcher;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    scim = await startScimServer();
    dispatcher = createOutboxDispatcher({
      outbox: t.services.outbox,
      channels: composeDeliveryChannels(t.services),
      pollIntervalMs: 3_600_000,
      onError: (error) => {
        throw error;
      },
    });
    await t.services.setup.seedDemoTenant('demo-password-for-tests');
  });
  afterEach(async () => {
    await dispatcher.stop();
    await t.close();
    await scim.close();
  });

  async function demoUser(name: string): Promise<TestUser> {
    const upn = `${name}@elevate.example`;
    const { id } = await ctx.db.db
      .selectFrom('users')
      .select('id')
      .where('user_principal_name', '=', upn)
      .executeTakeFirstOrThrow();
    const token = (await t.services.auth.issueToken({ id, type: 'user', mfa: false })).accessToken;
    return { id, upn, token, mfaToken: token };
  }

  it("links once, and the end of Steve's window removes his SCIM membership at that instant", async () => {
    const target = { baseUrl: scim.baseUrl, token: scim.token };
    const lines = await t.services.provisioning.linkDemoApplication(target);
    expect(lines.join('\n')).toContain('PAG-SERVICE-DESK membership is provisioned to');
    const linked = () =>
      ctx.db.db.selectFrom('provisioning_applications').select('group_id').orderBy('group_id').execute();
    const first = await linked();
    await t.services.provisioning.linkDemoApplication(target);
    // Each demo group is linked once (PAG-SERVICE-DESK-L3 too: test/notifications/demo-flow.int.test.ts)
    expect(await linked()).toEqual(first);

    const steve = await demoUser('steve');
    const pag = await ctx.db.db
      .selectFrom('groups')
      .select('id')
      .where('display_name', '=', 'PAG-SERVICE-DESK')
      .executeTakeFirstOrThrow();
    // The demo's PAG-SERVICE-DESK membership asks for MFA (a step-up) and a justification; no approval
    const headers = await t.steppedUp(steve, { groupId: pag.id, accessId: 'member' });
    const activated = await t.graph(
      steve,
      'POST',
      `${groupRequests}/assignmentScheduleRequests`,
      {
        accessId: 'member',
        principalId: steve.id,
        groupId: pag.id,
        action: 'selfActivate',
        justification: 'Password resets for the morning queue',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
      },
      headers,
    );
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const { end_at: end } = await ctx.db.db
      .selectFrom('schedules')
      .select('end_at')
      .where('principal_id', '=', steve.id)
      .where('target_kind', '=', 'group')
      .where('kind', '=', 'assignment')
      .executeTakeFirstOrThrow();
    expect(end).toEqual(new Date(t.clock.now().getTime() + 2 * 3_600_000));
    await dispatcher.drain();
    expect(scim.user(steve.upn)).toMatchObject({ userName: steve.upn, active: true });
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);

    // When the window ends, the scheduler's tick ends it and the outbox pushes the removal right away
    t.clock.set(end!);
    await t.services.scheduler.tick();
    await dispatcher.drain();
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([]);
    const [removal] = await ctx.db.db
      .selectFrom('provisioning_receipts')
      .select(['operation', 'delivered_at', 'response'])
      .where('operation', '=', 'remove')
      .execute();
    expect(removal).toMatchObject({ operation: 'remove', response: 'SCIM member removed (200)' });
    expect(removal!.delivered_at.getTime() - end!.getTime()).toBe(0);
  });

  it('links nothing without a demo tenant group', async () => {
    await ctx.db.db.updateTable('groups').set({ display_name: 'Renamed' }).execute();
    expect(await t.services.provisioning.linkDemoApplication({ baseUrl: scim.baseUrl, token: 't' })).toEqual(
      [],
    );
  });
});
