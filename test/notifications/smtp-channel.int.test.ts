import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Delivery, DeliveryFailure } from '../../src/app/outbox/delivery-ports.js';
import { createSmtpChannel, mailDomain } from '../../src/connectors/smtp/smtp-channel.js';
import type { EmailPayload } from '../../src/core/notifications/email-message.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const payload: EmailPayload = {
  to: 'grace@elevate.example',
  toName: 'Grace',
  subject: 'Approval needed: Steve wants to activate Exchange Administrator',
  text: 'Steve asks to activate Exchange Administrator.',
  html: '<p>Steve asks to activate <strong>Exchange Administrator</strong>.</p>',
  thread: 'request.0193',
  kind: 'approvalRequested',
};

const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  id: '01938f2a-0000-7000-8000-000000000001',
  eventId: '01938f2a-0000-7000-8000-0000000000e1',
  eventType: 'elevate.approval.requested',
  channel: 'email',
  receiverId: payload.to,
  orderingKey: 'request:0193',
  payload,
  attempt: 1,
  ...overrides,
});

describe('SMTP channel against a real SMTP server', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.refuseRecipients(null);
  });

  const channel = () => createSmtpChannel({ smtpUrl: smtp.url, from: 'Elevate PIM <pim@elevate.example>' });

  it('sends the message to its one receiver in text and HTML, and returns the server reply as receipt', async () => {
    const receipt = await channel().deliver(delivery());
    expect(receipt.response).toMatch(/^250/);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelope.to).toEqual(['grace@elevate.example']);
    expect(mail.envelope.from).toBe('pim@elevate.example');
    expect(mail.subject).toBe(payload.subject);
    expect(mail.text.trim()).toBe(payload.text);
    expect(mail.html).toContain('<strong>Exchange Administrator</strong>');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.headers.get('x-elevate-event-type')).toBe('elevate.approval.requested');
    expect(mail.parsed.references).toBe('<request.0193@elevate.example>');
  });

  it('gives a retried delivery the same Message-ID, and another receiver of the event a different one', async () => {
    await channel().deliver(delivery());
    await channel().deliver(delivery({ attempt: 2 }));
    await channel().deliver(
      delivery({
        id: 'other',
        receiverId: 'pat@elevate.example',
        payload: { ...payload, to: 'pat@elevate.example' },
      }),
    );
    const [first, retry, other] = smtp.received;
    expect(first!.messageId).toBe(retry!.messageId);
    expect(first!.messageId).toMatch(
      /^<01938f2a-0000-7000-8000-0000000000e1\.[0-9a-f]{16}@elevate\.example>$/,
    );
    expect(other!.messageId).not.toBe(first!.messageId);
  });

  it('reports a temporary refusal (4xx) as retryable and a permanent one (5xx) as final', async () => {
    smtp.refuseRecipients(451);
    const temporary = await channel()
      .deliver(delivery())
      .catch((e: unknown) => e);
    expect(temporary).toBeInstanceOf(DeliveryFailure);
    expect((temporary as DeliveryFailure).retryable).toBe(true);

    smtp.refuseRecipients(550);
    const permanent = await channel()
      .deliver(delivery())
      .catch((e: unknown) => e);
    expect(permanent).toBeInstanceOf(DeliveryFailure);
    expect((permanent as DeliveryFailure).retryable).toBe(false);
    expect(smtp.received).toHaveLength(0);
  });

  it('reports a server that is down as retryable, and delivers once it is back', async () => {
    await smtp.stop();
    const down = await channel()
      .deliver(delivery())
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DeliveryFailure);
    expect((down as DeliveryFailure).retryable).toBe(true);
    await smtp.start();
    await channel().deliver(delivery({ attempt: 2 }));
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses a payload that is not an e-mail as final', async () => {
    const error = await channel()
      .deliver(delivery({ payload: { hello: 'world' } }))
      .catch((e: unknown) => e);
    expect((error as DeliveryFailure).retryable).toBe(false);
  });

  it('takes the Message-ID domain from the From address', () => {
    expect(mailDomain('Elevate <PIM@Corp.Example>')).toBe('corp.example');
    expect(mailDomain('pim@corp.example')).toBe('corp.example');
    expect(mailDomain('elevate')).toBe('localhost');
  });
});
