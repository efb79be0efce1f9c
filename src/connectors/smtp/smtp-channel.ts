import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import {
  type Delivery,
  type DeliveryChannel,
  DeliveryFailure,
  type DeliveryReceipt,
} from '../../app/outbox/delivery-ports.js';
import { isEmailPayload } from '../../core/notifications/email-message.js';

/** The outbox channel name of e-mail deliveries (the planner's and this channel's). */
const emailChannel = 'email';

/** Where e-mail goes out (ELEVATE_SMTP_URL, ELEVATE_MAIL_FROM). */
export interface EmailSettings {
  /** ELEVATE_SMTP_URL: `smtp://[user:pass@]host[:port]` or `smtps://…`; nodemailer's URL options are allowed. */
  readonly smtpUrl: string;
  /** ELEVATE_MAIL_FROM: `Elevate <pim@example.com>` or a bare address. */
  readonly from: string;
}

/** The domain of a From address, for Message-IDs (`localhost` when it has none). */
export function mailDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase() ?? 'localhost';
}

/**
 * The Message-ID of a delivery: the event id and a digest of the receiver, so every retry of the same delivery
 * carries the same id (a receiving server or client that saw it already can drop the copy), and two receivers of
 * one event never share one.
 */
function messageIdFor(delivery: Pick<Delivery, 'eventId' | 'receiverId'>, domain: string): string {
  const receiver = createHash('sha256').update(delivery.receiverId.toLowerCase()).digest('hex').slice(0, 16);
  return `<${delivery.eventId}.${receiver}@${domain}>`;
}

/** SMTP reply codes that will be refused again (5xx but 503, a session-state error): the delivery is dead. */
const isPermanent = (error: unknown): boolean => {
  const e = error as { permanent?: boolean; responseCode?: number };
  if (typeof e.permanent === 'boolean') return e.permanent;
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 503;
};

/**
 * Sends `email` deliveries over SMTP with nodemailer: one message per delivery, to its one receiver, with a stable
 * Message-ID. A refused recipient or message (5xx) is final; a connection failure or a 4xx reply is retried by
 * the outbox. The receipt is the server's reply (`250 … queued as …`).
 */
export function createSmtpChannel(options: EmailSettings): DeliveryChannel {
  const transport = nodemailer.createTransport(options.smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as object);
  const domain = mailDomain(options.from);
  return {
    name: emailChannel,
    async deliver(delivery: Delivery): Promise<DeliveryReceipt> {
      const payload = delivery.payload;
      if (!isEmailPayload(payload)) {
        throw new DeliveryFailure(`Delivery ${delivery.id} does not carry an e-mail message`, false);
      }
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: payload.toName ? { name: payload.toName, address: payload.to } : payload.to,
          subject: payload.subject,
          text: payload.text,
          html: payload.html,
          messageId: messageIdFor(delivery, domain),
          ...(payload.thread ? { references: `<${payload.thread}@${domain}>` } : {}),
          headers: {
            'Auto-Submitted': 'auto-generated',
            'X-Auto-Response-Suppress': 'All',
            'X-Elevate-Event-Id': delivery.eventId,
            'X-Elevate-Event-Type': delivery.eventType,
          },
        });
        return { response: String(info.response ?? 'accepted') };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new DeliveryFailure(`SMTP: ${message}`, !isPermanent(error));
      }
    },
  };
}
