import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeDeliveryChannels } from '../../src/compose.js';
import { verifyWebhook } from '../../src/connectors/webhook/standard-webhooks.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/workers/outbox-dispatcher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../outbox/webhook-receiver.js';
import { createTestApp } from '../support/app.js';
import { type CliHarness, startCliHarness } from './support/cli-harness.js';

describe('elevate webhooks and elevate outbox', () => {
  let h: CliHarness;
  let receiver: WebhookReceiver;
  let dispatcher: OutboxDispatcher;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    h = await startCliHarness({
      createApp: (database) => createTestApp(database, { outbox: { webhookAllowedNetworks: ['127.0.0.1'] } }),
    });
    await h.t.givenUser('Adam');
    dispatcher = createOutboxDispatcher({
      outbox: h.t.services.outbox,
      channels: composeDeliveryChannels(h.t.services),
      pollIntervalMs: 60_000,
      onError: (e) => {
        throw e;
      },
    });
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  it('registers an endpoint, shows dead letters and receipts, resends, and rotates the secret', async () => {
    const added = await h.run(
      [
        'webhooks',
        'add',
        receiver.url,
        '--events',
        'assignment.added,activation.granted',
        '--description',
        'SIEM',
      ],
      { as: h.t.admin },
    );
    expect(added.code, added.stderr).toBe(0);
    const secret = added.stdout.match(/(whsec_\S+)/)?.[1];
    expect(secret).toBeDefined();

    const list = await h.run(['webhooks', 'list'], { as: h.t.admin });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(receiver.url);
    expect(list.stdout).toContain('assignment.added,activation.granted');
    expect(list.stdout).not.toContain(secret!.slice(6));

    receiver.status = 410;
    const assign = await h.run(['assign', 'adam@elevate.test', 'Exchange Administrator', '--eligible'], {
      as: h.t.admin,
    });
    expect(assign.code, assign.stderr).toBe(0);
    await dispatcher.drain();

    const status = await h.run(['outbox', 'status'], { as: h.t.admin });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/webhook\s+0\s+0\s+1/);

    const dead = await h.run(['outbox', 'dead', '--json'], { as: h.t.admin });
    expect(dead.code, dead.stderr).toBe(0);
    const [letter] = dead.json();
    expect(letter).toMatchObject({
      channel: 'webhook',
      status: 'dead',
      lastError: expect.stringMatching(/^HTTP 410/),
    });

    const event = await h.run(['outbox', 'event', letter.eventId], { as: h.t.admin });
    expect(event.code, event.stderr).toBe(0);
    expect(event.stdout).toMatch(/elevate\.assignment\.added about/);
    expect(event.stdout).toMatch(/dead: HTTP 410/);

    receiver.status = 204;
    const resend = await h.run(['outbox', 'resend', letter.id], { as: h.t.admin });
    expect(resend.code, resend.stderr).toBe(0);
    expect(resend.stdout).toContain('is pending again');
    await dispatcher.drain();
    expect(receiver.received).toHaveLength(1);
    const nowSeconds = Math.floor(h.t.clock.now().getTime() / 1000);
    const [hook] = receiver.received;
    expect(verifyWebhook({ secret: secret!, headers: hook!.headers, body: hook!.body, nowSeconds })).toBe(
      true,
    );

    const again = await h.run(['outbox', 'resend', letter.id], { as: h.t.admin });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not dead/);

    const webhookId = (await h.run(['webhooks', 'list', '--json'], { as: h.t.admin })).json()[0].id;
    const rotated = await h.run(['webhooks', 'rotate-secret', webhookId, '--grace', '0'], { as: h.t.admin });
    expect(rotated.code, rotated.stderr).toBe(0);
    const newSecret = rotated.stdout.match(/(whsec_\S+)/)?.[1];
    expect(newSecret).toBeDefined();
    expect(newSecret).not.toBe(secret);
    expect(rotated.stdout).not.toMatch(/previous secret also signs/);
  });

  it('explains bad usage and refusals', async () => {
    const unknown = await h.run(['webhooks', 'add', receiver.url, '--events', 'coffee.brewed'], {
      as: h.t.admin,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown: elevate\.coffee\.brewed/);
    const ftp = await h.run(['webhooks', 'add', 'ftp://127.0.0.1/x', '--events', 'activation.granted'], {
      as: h.t.admin,
    });
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toMatch(/only http and https/);
    const status = await h.run(['outbox', 'list', '--status', 'lost'], { as: h.t.admin });
    expect(status.code).toBe(2);
  });
});
