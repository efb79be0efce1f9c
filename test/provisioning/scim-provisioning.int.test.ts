import { afterEach, beforeEach, expect, it } from 'vitest';
import { composeDeliveryChannels } from '../../src/compose.js';
import { directoryRoleIds } from '../../src/core/catalog/directory-roles.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';

const groupRequests = '/v1.0/identityGovernance/privilegedAccess/group';
const hour = 3_600_000;
const helpdeskAdministrator = directoryRoleIds.helpdeskAdministrator;

describeEachDatabase('outbound SCIM provisioning through the API and the outbox', (ctx) => {
  let t: TestApp;
  let scim: TestScimServer;
  let dispatcher: OutboxDispatcher;
  let steve: TestUser;
  let pag: { id: string; displayName: string };
  const applications = () => `/api/v1/groups/${pag.id}/provisioning/applications`;

  beforeEach(async () => {
    t = await createTestApp(ctx.db);
    scim = await startScimServer();
    dispatcher = createOutboxDispatcher({
      outbox: t.services.outbox,
      channels: composeDeliveryChannels(t.services),
      pollIntervalMs: hour,
      onError: (error) => {
        throw error;
      },
    });
    steve = await t.givenUser('Steve');
    const created = await t.graph(t.admin, 'POST', '/v1.0/groups', {
      displayName: 'PAG-SERVICE-DESK',
      mailNickname: 'pag-service-desk',
      securityEnabled: true,
      mailEnabled: false,
      isAssignableToRole: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    pag = created.body;
    const eligible = await t.graph(t.admin, 'POST', `${groupRequests}/eligibilityScheduleRequests`, {
      accessId: 'member',
      principalId: steve.id,
      groupId: pag.id,
      action: 'adminAssign',
      justification: 'Service desk rota',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
  });
  afterEach(async () => {
    await dispatcher.stop();
    await t.close();
    await scim.close();
  });

  const link = () =>
    t.graph(t.admin, 'POST', applications(), {
      displayName: 'Ticketing',
      baseUrl: scim.baseUrl,
      token: scim.token,
    });

  const activate = () =>
    t.graph(steve, 'POST', `${groupRequests}/assignmentScheduleRequests`, {
      accessId: 'member',
      principalId: steve.id,
      groupId: pag.id,
      action: 'selfActivate',
      justification: 'Ticket queue',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    });

  const receipts = async () => {
    const res = await t.graph(t.admin, 'GET', `/api/v1/groups/${pag.id}/provisioning/receipts`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.value as { operation: string; outcome: string; response: string; scheduleId: string }[];
  };

  it('links a group to an application; the token is write-only (not in answers, lists or audit)', async () => {
    const created = await link();
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      groupId: pag.id,
      displayName: 'Ticketing',
      baseUrl: scim.baseUrl,
      ratePerSecond: null,
      scimGroupId: null,
      createdDateTime: '2026-01-05T09:00:00.000Z',
      updatedDateTime: '2026-01-05T09:00:00.000Z',
    });
    const listed = await t.graph(t.admin, 'GET', applications());
    expect(listed.body.value).toEqual([created.body]);

    const rotated = await t.graph(t.admin, 'PATCH', `${applications()}/${created.body.id}`, {
      token: 'rotated-secret-token',
      ratePerSecond: 2.5,
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.ratePerSecond).toBe(2.5);

    const audit = await ctx.db.db
      .selectFrom('audit_log')
      .select(['activity_display_name', 'target_resources'])
      .where('category', '=', 'ApplicationManagement')
      .orderBy('sequence')
      .execute();
    expect(audit.map((a) => a.activity_display_name)).toEqual([
      'Add provisioning application to group',
      'Update provisioning application of group',
    ]);
    const everything = JSON.stringify([created.body, listed.body, rotated.body, audit]);
    expect(everything).not.toContain(scim.token);
    expect(everything).not.toContain('rotated-secret-token');
    const stored = await ctx.db.db.selectFrom('provisioning_applications').select('token_sealed').execute();
    expect(JSON.stringify(stored)).not.toContain('rotated-secret-token');

    const removed = await t.graph(t.admin, 'DELETE', `${applications()}/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect((await t.graph(t.admin, 'GET', applications())).body.value).toEqual([]);
  });

  it('refuses bad links with a message naming the field, and changes nothing', async () => {
    const attempts: [object, RegExp][] = [
      [
        { displayName: 'X', baseUrl: 'ftp://apps.example/scim', token: 't' },
        /baseUrl must be an https:\/\/ URL/,
      ],
      [
        { displayName: 'X', baseUrl: 'http://apps.example/scim', token: 't' },
        /baseUrl must be an https:\/\/ URL/,
      ],
      [
        { displayName: 'X', baseUrl: 'https://u:p@apps.example/scim', token: 't' },
        /baseUrl must not carry credentials/,
      ],
      [{ displayName: 'X', baseUrl: 'not a url', token: 't' }, /baseUrl must be an absolute URL/],
      [{ displayName: 'X', baseUrl: 'https://apps.example/scim' }, /token/],
      [
        { displayName: 'X', baseUrl: 'https://apps.example/scim', token: 't', ratePerSecond: 0 },
        /ratePerSecond/,
      ],
      [{ displayName: '', baseUrl: 'https://apps.example/scim', token: 't' }, /displayName/],
      [{ displayName: 'X', baseUrl: 'https://apps.example/scim', token: 't', secret: 1 }, /secret/],
    ];
    for (const [body, message] of attempts) {
      const res = await t.graph(t.admin, 'POST', applications(), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    expect(
      JSON.stringify((await t.graph(t.admin, 'POST', applications(), attempts[2]![0])).body),
    ).not.toContain('u:p@');

    const unknownGroup = await t.graph(
      t.admin,
      'POST',
      '/api/v1/groups/00000000-0000-4000-8000-000000000000/provisioning/applications',
      { displayName: 'X', baseUrl: 'https://apps.example/scim', token: 't' },
    );
    expect(unknownGroup.status).toBe(404);
    expect((await link()).status).toBe(201);
    const twice = await link();
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/already linked/);

    const forbidden = await t.graph(steve, 'POST', applications(), {
      displayName: 'X',
      baseUrl: 'https://apps.example/scim',
      token: 't',
    });
    expect(forbidden.status).toBe(403);
    expect((await t.graph(steve, 'GET', applications())).status).toBe(403);
    expect(await ctx.db.db.selectFrom('provisioning_applications').select('id').execute()).toHaveLength(1);
  });

  it('activation pushes the user and membership; deactivation removes it; receipts tell what was answered', async () => {
    expect((await link()).status).toBe(201);
    const activated = await activate();
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    expect(await dispatcher.drain()).toBe(1);
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);

    // Entra refuses a deactivation within five minutes of the activation
    t.clock.advance(10 * 60_000);
    const deactivated = await t.graph(steve, 'POST', `${groupRequests}/assignmentScheduleRequests`, {
      accessId: 'member',
      principalId: steve.id,
      groupId: pag.id,
      action: 'selfDeactivate',
    });
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(201);
    await dispatcher.drain();
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([]);

    const all = await receipts();
    expect(all.map((r) => [r.operation, r.outcome, r.response])).toEqual([
      ['remove', 'applied', 'SCIM member removed (200)'],
      ['add', 'applied', 'SCIM user created (201); group created (201); member added (200)'],
    ]);
    // The same receipts by schedule, readable by Steve himself; the id in Graph's form, as explain shows it
    const wireId = `${pag.id}_member_${all[0]!.scheduleId}`;
    const bySchedule = await t.graph(steve, 'GET', `/api/v1/provisioning/receipts?scheduleId=${wireId}`);
    expect(bySchedule.status, JSON.stringify(bySchedule.body)).toBe(200);
    expect(bySchedule.body.value.map((r: { operation: string }) => r.operation)).toEqual(['add', 'remove']);
    const other = await t.givenUser('Other');
    const hidden = await t.graph(
      other,
      'GET',
      `/api/v1/provisioning/receipts?scheduleId=${all[0]!.scheduleId}`,
    );
    expect(hidden.body.value).toEqual([]);
    const bad = await t.graph(steve, 'GET', '/api/v1/provisioning/receipts?scheduleId=abc');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/scheduleId/);
  });

  it('explain shows, on a role held through the activated membership, the receipt of its SCIM delivery', async () => {
    const held = await t.graph(
      t.admin,
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      {
        action: 'adminAssign',
        principalId: pag.id,
        roleDefinitionId: helpdeskAdministrator,
        directoryScopeId: '/',
        justification: 'The team role',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect((await link()).status).toBe(201);
    expect((await activate()).status).toBe(201);
    await dispatcher.drain();

    const explained = await t.graph(steve, 'GET', `/api/v1/access/explain?principalId=${steve.id}&scope=/`);
    expect(explained.status, JSON.stringify(explained.body)).toBe(200);
    const viaGroup = explained.body.grants.find(
      (g: { group: { id: string } | null }) => g.group?.id === pag.id,
    );
    expect(viaGroup.group.provisioning).toEqual([
      expect.objectContaining({
        applicationName: 'Ticketing',
        operation: 'add',
        outcome: 'applied',
        deliveredDateTime: t.clock.now().toISOString(),
      }),
    ]);
  });

  it('the end of the window (the scheduler) removes the SCIM membership', async () => {
    expect((await link()).status).toBe(201);
    expect((await activate()).status).toBe(201);
    await dispatcher.drain();
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);

    t.clock.advance(hour);
    await t.services.scheduler.tick();
    expect(await dispatcher.drain()).toBe(1);
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([]);
    expect((await receipts())[0]).toMatchObject({ operation: 'remove', outcome: 'applied' });
  });

  it('an activation scheduled for later is pushed when the scheduler starts it', async () => {
    expect((await link()).status).toBe(201);
    const start = new Date(t.clock.now().getTime() + hour);
    const scheduled = await t.graph(steve, 'POST', `${groupRequests}/assignmentScheduleRequests`, {
      accessId: 'member',
      principalId: steve.id,
      groupId: pag.id,
      action: 'selfActivate',
      justification: 'Night shift',
      scheduleInfo: {
        startDateTime: start.toISOString(),
        expiration: { type: 'afterDuration', duration: 'PT1H' },
      },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    await dispatcher.drain();
    expect(scim.exchanges).toEqual([]);

    t.clock.set(start);
    await t.services.scheduler.tick();
    await dispatcher.drain();
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);
  });

  it('SCIM down for a while: delivered after it returns, exactly once', async () => {
    expect((await link()).status).toBe(201);
    await scim.goDown();
    expect((await activate()).status).toBe(201);
    await dispatcher.drain();
    expect(await receipts()).toEqual([]);
    const [pending] = await ctx.db.db
      .selectFrom('outbox_deliveries')
      .select(['status', 'attempts'])
      .where('channel', '=', 'scim')
      .execute();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });

    await scim.comeBack();
    t.clock.advance(10 * 60_000);
    expect(await dispatcher.drain()).toBe(1);
    t.clock.advance(hour / 2);
    expect(await dispatcher.drain()).toBe(0);
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);
    expect(scim.exchanges.filter((e) => e.method === 'PATCH')).toHaveLength(1);
    expect(await receipts()).toHaveLength(1);
  });

  it('plans nothing for a group no application is linked to', async () => {
    expect((await activate()).status).toBe(201);
    await dispatcher.drain();
    expect(scim.exchanges).toEqual([]);
    const scimDeliveries = await ctx.db.db
      .selectFrom('outbox_deliveries')
      .select('id')
      .where('channel', '=', 'scim')
      .execute();
    expect(scimDeliveries).toEqual([]);
  });
});
