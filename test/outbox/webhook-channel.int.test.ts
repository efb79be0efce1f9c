import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Delivery, DeliveryFailure } from '../../src/app/outbox/delivery-ports.js';
import { createWebhookAddressGuard } from '../../src/connectors/webhook/address-guard.js';
import { newWebhookSecret, verifyWebhook } from '../../src/connectors/webhook/standard-webhooks.js';
import { createWebhookChannel } from '../../src/connectors/webhook/webhook-channel.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const delivery = (receiverId: string): Delivery => ({
  id: 'd1',
  eventId: '0193a0c0-0000-7000-8000-000000000001',
  eventType: 'elevate.activation.granted',
  channel: 'webhook',
  receiverId,
  orderingKey: receiverId,
  payload: { body: '{"specversion":"1.0"}' },
  attempt: 1,
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('delivered, but should have failed');
    },
    (e: unknown) => {
      if (!(e instanceof DeliveryFailure)) throw e;
      return { message: e.message, retryable: e.retryable };
    },
  );

describe('the webhook channel (a real HTTP receiver on 127.0.0.1)', () => {
  let receiver: WebhookReceiver;
  const secret = newWebhookSecret();
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  const channel = (options: {
    resolve?: (host: string) => Promise<string[]>;
    allowed?: string[];
    url?: string;
    timeoutMs?: number;
  }) =>
    createWebhookChannel({
      endpoint: async (id) =>
        id === 'gone' ? undefined : { url: options.url ?? receiver.url, secrets: [secret], enabled: true },
      guard: createWebhookAddressGuard({
        allowedNetworks: options.allowed ?? [],
        ...(options.resolve ? { resolve: options.resolve } : {}),
      }),
      nowSeconds: () => 1_767_600_000,
      timeoutMs: options.timeoutMs ?? 5_000,
    });

  it('delivers to an allowed address through its host name, signed', async () => {
    const url = receiver.url.replace('127.0.0.1', 'localhost');
    const receipt = await channel({ allowed: ['127.0.0.0/8', '::1'], url }).deliver(delivery('s1'));
    expect(receipt.response).toBe('HTTP 204');
    const [hook] = receiver.received;
    expect(
      verifyWebhook({ secret, headers: hook!.headers, body: hook!.body, nowSeconds: 1_767_600_010 }),
    ).toBe(true);
    expect(hook!.headers['webhook-timestamp']).toBe('1767600000');
  });

  it('refuses, without connecting, a host name that now resolves to a private address (DNS rebinding)', async () => {
    // Public when it was registered; loopback now.
    const url = receiver.url.replace('127.0.0.1', 'hooks.example.test');
    const now = await failure(channel({ url, resolve: async () => ['127.0.0.1'] }).deliver(delivery('s1')));
    expect(now).toEqual({ message: expect.stringMatching(/loopback/), retryable: false });
    // Public at the check, loopback by the time the socket connects: the connection's own lookup refuses it.
    let lookups = 0;
    const flip = async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']);
    const racing = await failure(channel({ url, resolve: flip }).deliver(delivery('s1')));
    expect(racing).toEqual({ message: expect.stringMatching(/resolves to 127\.0\.0\.1/), retryable: false });
    expect(lookups).toBe(2);
    expect(receiver.connections).toBe(0);
  });

  it('gives up on an endpoint that does not answer in time, to retry later', async () => {
    receiver.status = 'hang';
    const late = await failure(channel({ allowed: ['127.0.0.1'], timeoutMs: 200 }).deliver(delivery('s1')));
    expect(late).toEqual({ message: 'No answer within 200 ms', retryable: true });
  });

  it('marks a delivery to a deleted subscription dead', async () => {
    expect(await failure(channel({ allowed: ['127.0.0.1'] }).deliver(delivery('gone')))).toEqual({
      message: 'The webhook subscription was deleted',
      retryable: false,
    });
  });
});
