import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message the test SMTP server accepted: the envelope as sent, the raw text and mailparser's reading of it. */
export interface ReceivedMail {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly messageId: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The To header's addresses, lower case. */
  readonly to: readonly string[];
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: what ELEVATE_SMTP_URL would be. */
  readonly url: string;
  readonly port: number;
  /** Every message accepted so far, in order. */
  readonly received: ReceivedMail[];
  /** Messages whose envelope includes `address` (case-insensitive). */
  to(address: string): ReceivedMail[];
  /** Answers every later RCPT TO with `code` (e.g. 451 for a temporary refusal, 550 for a permanent one); null accepts again. */
  refuseRecipients(code: number | null): void;
  /** Stops listening (connections are refused) until `start` is called again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server in the test process (npm smtp-server) that captures what it is sent, parsed with
 * mailparser. Plain SMTP on 127.0.0.1 with STARTTLS disabled and authentication optional (research/stack.md §6).
 * A message is recorded before the server answers 250, so once the sender's call resolved it is in `received`.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let refuseWith: number | null = null;
  let port = 0;
  let server: SMTPServer | undefined;

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuseWith === null) return callback();
        const error = Object.assign(new Error(`Mailbox ${address.address} refused by the test`), {
          responseCode: refuseWith,
        });
        callback(error);
      },
      onData(stream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              const toHeader = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
              received.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                },
                raw,
                parsed,
                messageId: parsed.messageId ?? '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                to: toHeader.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
              });
              callback();
            })
            .catch(callback);
        });
      },
    });

  async function start(): Promise<void> {
    const next = create();
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        resolve();
      });
    });
    port = (next.server.address() as AddressInfo).port;
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    server = undefined;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await start();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    to: (address) => received.filter((m) => m.envelope.to.includes(address.toLowerCase())),
    refuseRecipients(code) {
      refuseWith = code;
    },
    stop,
    start,
    close: stop,
  };
}
