import { afterEach, beforeEach, expect, it } from 'vitest';
import { DeliveryFailure } from '../../src/app/outbox/delivery-ports.js';
import { describeEachDatabase } from '../support/db.js';
import { startScimServer, type TestScimServer } from '../support/scim-server.js';
import { adminCtx, provisioningKit } from './support/provisioning-kit.js';

const hour = 3_600_000;

describeEachDatabase('outbound SCIM: planning and delivering group membership', (ctx) => {
  let scim: TestScimServer;
  let kit: ReturnType<typeof provisioningKit>;
  let steve: Awaited<ReturnType<typeof kit.givenUser>>;
  let pag: Awaited<ReturnType<typeof kit.givenGroup>>;
  let linkId: string;

  beforeEach(async () => {
    scim = await startScimServer();
    kit = provisioningKit(ctx.db);
    steve = await kit.givenUser('Steve');
    pag = await kit.givenGroup('PAG-SERVICE-DESK');
    const link = await kit.provisioning.link(adminCtx(), pag.id, {
      displayName: 'Ticketing',
      baseUrl: scim.baseUrl,
      token: scim.token,
    });
    linkId = link.id;
  });
  afterEach(async () => {
    await scim.close();
  });

  /** Steve's activation of PAG-SERVICE-DESK for one hour from now, and its granted event's deliveries. */
  async function steveActivates() {
    const now = kit.clock.now();
    const scheduleId = await kit.givenActivation({
      groupId: pag.id,
      userId: steve.id,
      start: now,
      end: new Date(now.getTime() + hour),
    });
    const granted = kit.membershipEvent('elevate.activation.granted', {
      group: pag,
      user: steve,
      scheduleId,
    });
    return { scheduleId, deliveries: await kit.plan(granted) };
  }

  async function ended(scheduleId: string) {
    await ctx.db.db
      .updateTable('schedules')
      .set({ status: 'Expired', end_at: kit.clock.now() })
      .where('id', '=', scheduleId)
      .execute();
    return kit.plan(
      kit.membershipEvent('elevate.activation.ended', { group: pag, user: steve, scheduleId, start: null }),
    );
  }

  it('plans one delivery per linked application, ordered per (application, user), with no secret in it', async () => {
    const second = await kit.provisioning.link(adminCtx(), pag.id, {
      displayName: 'Wiki',
      baseUrl: `${scim.baseUrl}/wiki`,
      token: 'another-token',
    });
    const { scheduleId, deliveries } = await steveActivates();
    expect(deliveries.map((d) => [d.receiverId, d.orderingKey]).sort()).toEqual(
      [
        [linkId, `${linkId}:${steve.id}`],
        [second.id, `${second.id}:${steve.id}`],
      ].sort(),
    );
    expect(deliveries[0]!.payload).toEqual({
      operation: 'add',
      scheduleId,
      group: { id: pag.id, displayName: 'PAG-SERVICE-DESK' },
      principalId: steve.id,
      user: {
        userName: steve.upn,
        externalId: steve.id,
        displayName: 'Steve',
        givenName: 'Steve',
        familyName: 'Tester',
        email: steve.upn,
      },
    });
    expect(JSON.stringify(deliveries)).not.toContain(scim.token);
    expect(JSON.stringify(deliveries)).not.toContain('another-token');
  });

  it('plans nothing for owners, eligibilities, unlinked groups and access that starts later', async () => {
    const other = await kit.givenGroup('PAG-DEV-TEAM');
    const scheduleId = crypto.randomUUID();
    const later = new Date(kit.clock.now().getTime() + hour);
    const events = [
      kit.membershipEvent('elevate.activation.granted', {
        group: pag,
        user: steve,
        scheduleId,
        accessId: 'owner',
      }),
      kit.membershipEvent('elevate.assignment.added', {
        group: pag,
        user: steve,
        scheduleId,
        kind: 'eligibility',
      }),
      kit.membershipEvent('elevate.activation.granted', { group: other, user: steve, scheduleId }),
      kit.membershipEvent('elevate.activation.granted', {
        group: pag,
        user: steve,
        scheduleId,
        start: later,
      }),
      kit.membershipEvent('elevate.activation.requested', { group: pag, user: steve, scheduleId }),
    ];
    for (const event of events) expect(await kit.plan(event)).toEqual([]);
  });

  it('activation creates the user in the application and adds them to the group; its end removes them', async () => {
    const { scheduleId, deliveries } = await steveActivates();
    const receipt = await kit.channel.deliver(deliveries[0]!);
    expect(receipt.response).toBe('SCIM user created (201); group created (201); member added (200)');
    expect(scim.user(steve.upn)).toMatchObject({
      userName: steve.upn,
      externalId: steve.id,
      active: true,
      name: { givenName: 'Steve', familyName: 'Tester' },
      emails: [{ value: steve.upn, type: 'work', primary: true }],
    });
    expect(scim.group('PAG-SERVICE-DESK')?.externalId).toBe(pag.id);
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);

    kit.clock.advance(hour);
    const [removal] = await ended(scheduleId);
    expect((await kit.channel.deliver(removal!)).response).toBe('SCIM member removed (200)');
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([]);

    // The receipts of the schedule: what explain shows under the membership
    const receipts = await kit.provisioning.receiptsOfSchedules([scheduleId]);
    expect(receipts.map((r) => [r.operation, r.outcome, r.applicationName, r.response])).toEqual([
      ['add', 'applied', 'Ticketing', 'SCIM user created (201); group created (201); member added (200)'],
      ['remove', 'applied', 'Ticketing', 'SCIM member removed (200)'],
    ]);
    expect(receipts[1]!.deliveredDateTime).toEqual(kit.clock.now());
  });

  it('remembers the group and reuses an existing user: a second activation sends two requests', async () => {
    const first = await steveActivates();
    await kit.channel.deliver(first.deliveries[0]!);
    kit.clock.advance(hour);
    await kit.channel.deliver((await ended(first.scheduleId))[0]!);
    const before = scim.exchanges.length;

    const second = await steveActivates();
    expect((await kit.channel.deliver(second.deliveries[0]!)).response).toBe(
      'SCIM user found (200); member added (200)',
    );
    expect(
      scim.exchanges.slice(before).map((e) => `${e.method} ${e.path.split('?')[0]} ${e.status}`),
    ).toEqual(['GET /scim/v2/Users 200', `PATCH /scim/v2/Groups/${scim.group('PAG-SERVICE-DESK')!.id} 200`]);
    expect((await kit.provisioning.list(adminCtx(), pag.id))[0]!.scimGroupId).toBe(
      scim.group('PAG-SERVICE-DESK')!.id,
    );
  });

  it('delivers each (event, application) once: a redelivery answers the first receipt and sends nothing', async () => {
    const { deliveries } = await steveActivates();
    const first = await kit.channel.deliver(deliveries[0]!);
    const traffic = scim.exchanges.length;
    const again = await kit.channel.deliver({ ...deliveries[0]!, id: crypto.randomUUID(), attempt: 2 });
    expect(again).toEqual(first);
    expect(scim.exchanges.length).toBe(traffic);
  });

  it('does not remove a standing member when their PIM activation ends', async () => {
    const { scheduleId, deliveries } = await steveActivates();
    await kit.channel.deliver(deliveries[0]!);
    await kit.givenStaticMember(pag.id, steve.id);
    kit.clock.advance(hour);
    const [removal] = await ended(scheduleId);
    expect((await kit.channel.deliver(removal!)).response).toBe(
      'not sent: still a standing (static) member of the group',
    );
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);
  });

  it('does not add a membership that ended before its delivery (its removal follows in order)', async () => {
    const { scheduleId, deliveries } = await steveActivates();
    kit.clock.advance(2 * hour);
    const [removal] = await ended(scheduleId);
    expect((await kit.channel.deliver(deliveries[0]!)).response).toBe(
      'not sent: the membership had ended before delivery',
    );
    expect((await kit.channel.deliver(removal!)).response).toBe(
      'SCIM user not in the application (200): nothing to remove',
    );
    expect(scim.users.size).toBe(0);
  });

  it('SCIM down: the failure is retryable, and the retry after it returns delivers', async () => {
    const { deliveries } = await steveActivates();
    await scim.goDown();
    const down = await kit.channel.deliver(deliveries[0]!).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DeliveryFailure);
    expect(down).toMatchObject({ retryable: true, message: expect.stringContaining('connection refused') });

    scim.failWith(503);
    await scim.comeBack();
    const unavailable = await kit.channel.deliver({ ...deliveries[0]!, attempt: 2 }).catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ retryable: true, message: expect.stringContaining('503') });

    scim.failWith(undefined);
    await kit.channel.deliver({ ...deliveries[0]!, attempt: 3 });
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);
  });

  it('a refused token is dead at once (4xx is not retried), and says which application', async () => {
    await kit.provisioning.update(adminCtx(), pag.id, linkId, { token: 'wrong-token' });
    const { deliveries } = await steveActivates();
    const failure = await kit.channel.deliver(deliveries[0]!).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect(failure).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/^Ticketing: SCIM GET \/Users: 401/),
    });
    expect((failure as Error).message).not.toContain('wrong-token');
  });

  it('finds or makes the group again when the application deleted the remembered one', async () => {
    const first = await steveActivates();
    await kit.channel.deliver(first.deliveries[0]!);
    kit.clock.advance(hour);
    await kit.channel.deliver((await ended(first.scheduleId))[0]!);
    scim.groups.clear();

    const second = await steveActivates();
    expect((await kit.channel.deliver(second.deliveries[0]!)).response).toBe(
      'SCIM user found (200); remembered group gone (404); group created (201); member added (200)',
    );
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([steve.upn]);
  });

  it('a user already in the application (same userName) is reused, not duplicated', async () => {
    const existing = await fetch(`${scim.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scim.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: steve.upn }),
    });
    expect(existing.status).toBe(201);
    const { deliveries } = await steveActivates();
    expect((await kit.channel.deliver(deliveries[0]!)).response).toBe(
      'SCIM user found (200); group created (201); member added (200)',
    );
    expect(scim.users.size).toBe(1);
  });

  it('finds the user by externalId when their UPN changed since they were added', async () => {
    const { scheduleId, deliveries } = await steveActivates();
    await kit.channel.deliver(deliveries[0]!);
    await ctx.db.db
      .updateTable('users')
      .set({ user_principal_name: 'steven@elevate.test' })
      .where('id', '=', steve.id)
      .execute();
    kit.clock.advance(hour);
    const [removal] = await ended(scheduleId);
    expect((removal!.payload as { user: { userName: string } }).user.userName).toBe('steven@elevate.test');
    expect((await kit.channel.deliver(removal!)).response).toBe('SCIM member removed (200)');
    expect(scim.memberUserNames('PAG-SERVICE-DESK')).toEqual([]);
  });

  it('an unlinked application gets nothing', async () => {
    const { deliveries } = await steveActivates();
    await kit.provisioning.unlink(adminCtx(), pag.id, linkId);
    expect((await kit.channel.deliver(deliveries[0]!)).response).toBe(
      'not sent: the application was unlinked from the group',
    );
    expect(scim.exchanges).toEqual([]);
  });
});
