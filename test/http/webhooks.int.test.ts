import { afterEach, beforeEach, expect, it } from 'vitest';
import { composeDeliveryChannels } from '../../src/compose.js';
import { verifyWebhook } from '../../src/connectors/webhook/standard-webhooks.js';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../outbox/webhook-receiver.js';
import { createTestApp, type TestApp, type TestUser } from '../support/app.js';
import { describeEachDatabase } from '../support/db.js';

const eligibilityRequests = '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests';

describeEachDatabase('webhooks: registration, CloudEvents, Standard Webhooks signatures', (ctx) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let dispatcher: OutboxDispatcher;
  let steve: TestUser;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(ctx.db, {
      outbox: { webhookAllowedNetworks: ['127.0.0.1'], random: () => 0.5 },
    });
    steve = await t.givenUser('Steve');
    dispatcher = createOutboxDispatcher({
      outbox: t.services.outbox,
      channels: composeDeliveryChannels(t.services),
      pollIntervalMs: 60_000,
      onError: (e) => {
        throw e;
      },
    });
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  async function register(eventTypes = ['elevate.assignment.added', 'elevate.assignment.removed']) {
    const res = await t.graph(t.admin, 'POST', '/api/v1/webhooks', {
      url: receiver.url,
      eventTypes,
      description: 'SIEM',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { webhook: { id: string }; secret: string };
  }

  async function assignEligible(user: TestUser, action: 'adminAssign' | 'adminRemove' = 'adminAssign') {
    const res = await t.graph(t.admin, 'POST', eligibilityRequests, {
      action,
      principalId: user.id,
      roleDefinitionId: roles.exchangeAdministrator,
      directoryScopeId: '/',
      justification: 'Service desk rota',
      ...(action === 'adminAssign'
        ? {
            scheduleInfo: {
              startDateTime: t.clock.now().toISOString(),
              expiration: { type: 'noExpiration' },
            },
          }
        : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; targetScheduleId: string };
  }

  it('given a registered endpoint, when an admin assigns a role, then it receives one signed CloudEvent', async () => {
    const { webhook, secret } = await register();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await assignEligible(steve);
    expect(await dispatcher.drain()).toBe(1);
    expect(await dispatcher.drain()).toBe(0);

    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    const event = JSON.parse(hook!.body);
    expect(hook!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'elevate.assignment.added',
      source: `/elevate/tenants/${t.services.tenantId}`,
      datacontenttype: 'application/json',
      time: t.clock.now().toISOString(),
      data: {
        principal: { id: steve.id, displayName: 'Steve' },
        target: { displayName: 'Exchange Administrator', scopeDisplayName: 'Directory' },
        kind: 'eligibility',
        justification: 'Service desk rota',
        actor: { id: t.admin.id },
      },
    });
    expect(hook!.headers['webhook-id']).toBe(event.id);
    expect(event.subject).toBe(event.data.scheduleId);
    // The documented verifier accepts it; a changed body, another secret or an old timestamp are refused.
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const verify = (body: string, s = secret, nowSeconds = now) =>
      verifyWebhook({ secret: s, headers: hook!.headers, body, nowSeconds });
    expect(verify(hook!.body)).toBe(true);
    expect(verify(hook!.body.replace('Steve', 'Mallory'))).toBe(false);
    expect(verify(hook!.body, 'whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==')).toBe(false);
    expect(verify(hook!.body, secret, now + 3600)).toBe(false);

    // The outbox shows the delivery, with its receipt, under the event.
    const seen = await t.graph(t.admin, 'GET', `/api/v1/outbox/events/${event.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.deliveries).toMatchObject([
      {
        channel: 'webhook',
        receiverId: webhook.id,
        status: 'delivered',
        receipts: [{ response: 'HTTP 204' }],
      },
    ]);
  });

  it('given events of types it did not choose, then the endpoint receives none', async () => {
    await register(['elevate.settings.updated']);
    await assignEligible(steve);
    expect(await dispatcher.drain()).toBe(0);
    expect(receiver.connections).toBe(0);
  });

  it('given several events, then one endpoint receives them in the order they happened', async () => {
    await register();
    await assignEligible(steve);
    receiver.status = 503;
    await dispatcher.drain(); // the first fails, so the second must wait behind it
    await assignEligible(steve, 'adminRemove');
    expect(await dispatcher.drain()).toBe(0);
    receiver.status = 204;
    t.clock.advanceMinutes(1);
    await dispatcher.drain();
    expect(receiver.received.map((h) => JSON.parse(h.body).type)).toEqual([
      'elevate.assignment.added',
      'elevate.assignment.removed',
    ]);
  });

  it('given an endpoint answering 4xx, then the delivery is dead at once; 429 and 5xx are retried', async () => {
    await register();
    receiver.status = 429;
    await assignEligible(steve);
    await dispatcher.drain();
    let list = await t.graph(t.admin, 'GET', '/api/v1/outbox/deliveries?channel=webhook');
    expect(list.body.value).toMatchObject([
      { status: 'pending', attempts: 1, lastError: expect.stringMatching(/^HTTP 429/) },
    ]);
    receiver.status = 410;
    t.clock.advanceMinutes(1);
    await dispatcher.drain();
    list = await t.graph(t.admin, 'GET', '/api/v1/outbox/deliveries?status=dead');
    expect(list.body.value).toMatchObject([
      { status: 'dead', attempts: 2, lastError: expect.stringMatching(/^HTTP 410/) },
    ]);
    const stats = await t.graph(t.admin, 'GET', '/api/v1/outbox');
    expect(stats.body.channels).toContainEqual({ channel: 'webhook', pending: 0, delivered: 0, dead: 1 });

    receiver.status = 200;
    const resent = await t.graph(
      t.admin,
      'POST',
      `/api/v1/outbox/deliveries/${list.body.value[0].id}/resend`,
    );
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    await dispatcher.drain();
    expect(receiver.received).toHaveLength(1);
  });

  it('given a rotation, then both secrets sign until the grace period ends', async () => {
    const { webhook, secret: oldSecret } = await register();
    const rotated = await t.graph(t.admin, 'POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, {
      graceSeconds: 3600,
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.body.webhook.previousSecretExpiresDateTime).toBe(
      new Date(t.clock.now().getTime() + 3600_000).toISOString(),
    );

    await assignEligible(steve);
    await dispatcher.drain();
    const during = receiver.received[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const nowSeconds = Math.floor(t.clock.now().getTime() / 1000);
    for (const secret of [oldSecret, newSecret])
      expect(verifyWebhook({ secret, headers: during.headers, body: during.body, nowSeconds })).toBe(true);

    t.clock.advanceHours(2);
    await assignEligible(steve, 'adminRemove');
    await dispatcher.drain();
    const after = receiver.received[1]!;
    const later = Math.floor(t.clock.now().getTime() / 1000);
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(
      verifyWebhook({ secret: newSecret, headers: after.headers, body: after.body, nowSeconds: later }),
    ).toBe(true);
    expect(
      verifyWebhook({ secret: oldSecret, headers: after.headers, body: after.body, nowSeconds: later }),
    ).toBe(false);
  });

  it('never shows a secret again: not in reads, lists, the audit log, or the outbox', async () => {
    const { webhook, secret } = await register();
    const rotated = await t.graph(t.admin, 'POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, {});
    await assignEligible(steve);
    await dispatcher.drain();
    const key = (s: string) => s.slice('whsec_'.length);
    const reads = [
      await t.graph(t.admin, 'GET', '/api/v1/webhooks'),
      await t.graph(t.admin, 'GET', `/api/v1/webhooks/${webhook.id}`),
      await t.graph(t.admin, 'PATCH', `/api/v1/webhooks/${webhook.id}`, { description: 'SIEM (prod)' }),
      await t.graph(t.admin, 'GET', '/api/v1/outbox/deliveries'),
      await t.graph(t.admin, 'GET', '/v1.0/auditLogs/directoryAudits'),
    ];
    for (const r of reads) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const stored = JSON.stringify(await ctx.db.db.selectFrom('audit_log').selectAll().execute());
    const outbox = JSON.stringify(await ctx.db.db.selectFrom('outbox_deliveries').selectAll().execute());
    for (const text of [...reads.map((r) => JSON.stringify(r.body)), stored, outbox]) {
      expect(text).not.toContain(key(secret));
      expect(text).not.toContain(key(rotated.body.secret));
    }
    expect(stored).toContain('Rotate webhook signing secret');
  });

  it('refuses what is not an http(s) URL, unknown event types, and non-administrators', async () => {
    const ftp = await t.graph(t.admin, 'POST', '/api/v1/webhooks', {
      url: 'ftp://127.0.0.1/hook',
      eventTypes: ['elevate.activation.granted'],
    });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.message).toMatch(/url .*only http and https/);
    const unknownType = await t.graph(t.admin, 'POST', '/api/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['elevate.coffee.brewed'],
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.message).toMatch(/eventTypes/);
    const asSteve = await t.graph(steve, 'POST', '/api/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['elevate.activation.granted'],
    });
    expect(asSteve.status).toBe(403);
    const list = await t.graph(t.admin, 'GET', '/api/v1/webhooks');
    expect(list.body.value).toEqual([]);
  });
});

describeEachDatabase('webhooks without an allow-list', (ctx) => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp(ctx.db);
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  it('refuses loopback, private and link-local addresses without opening a socket', async () => {
    const urls = [
      receiver.url,
      receiver.url.replace('127.0.0.1', 'localhost'),
      receiver.url.replace('127.0.0.1', '[::1]'),
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]:80/hook',
    ];
    for (const url of urls) {
      const res = await t.graph(t.admin, 'POST', '/api/v1/webhooks', {
        url,
        eventTypes: ['elevate.activation.granted'],
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/private, loopback, link-local or reserved/);
    }
    expect(receiver.connections).toBe(0);
    expect((await t.graph(t.admin, 'GET', '/api/v1/webhooks')).body.value).toEqual([]);
  });
});
