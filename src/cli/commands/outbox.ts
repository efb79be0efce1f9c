import type { Command } from 'commander';
import type { OutboxDeliveryResponse } from '../../contracts/outbox-schemas.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { clip, formatTable } from '../format/table.js';
import { formatInstant } from '../format/time.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';

const statuses = ['pending', 'delivered', 'dead'] as const;
type Status = (typeof statuses)[number];

function parseTop(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw usageError(`--top must be 1 to 1000; got '${text}'`);
  return n;
}

const when = (iso: string | null) => (iso ? formatInstant(new Date(iso)) : '-');

function showDeliveries(ctx: CommandContext, deliveries: readonly OutboxDeliveryResponse[], empty: string) {
  if (ctx.json) return ctx.printJson(deliveries);
  if (deliveries.length === 0) return ctx.print(empty);
  ctx.print(
    formatTable(
      ['delivery', 'event', 'type', 'channel', 'receiver', 'status', 'tries', 'last answer'],
      deliveries.map((d) => [
        d.id,
        d.eventId,
        d.eventType.replace(/^elevate\./, ''),
        d.channel,
        clip(d.receiverId, 40),
        d.status === 'pending' ? `pending (next ${when(d.nextAttemptDateTime)})` : d.status,
        String(d.attempts),
        clip(d.status === 'delivered' ? d.lastResponse : (d.lastError ?? d.lastResponse), 60),
      ]),
    ),
  );
}

/** `elevate outbox`: what notifications (e-mail, webhooks, SCIM) are pending, delivered or dead; resend dead ones. */
export function registerOutbox(program: Command, io: CliIo): void {
  const outbox = program
    .command('outbox')
    .description(
      'The outbox of notifications: state, dead letters, deliveries of an event, resend (administrators)',
    );

  outbox
    .command('status')
    .description('Deliveries per channel: pending, delivered, dead')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const stats = await client.outboxStats();
      if (ctx.json) return ctx.printJson(stats);
      ctx.print(
        formatTable(
          ['channel', 'pending', 'delivered', 'dead'],
          [
            ...stats.channels.map((c) => [c.channel, String(c.pending), String(c.delivered), String(c.dead)]),
            [
              '(all)',
              String(stats.totals.pending),
              String(stats.totals.delivered),
              String(stats.totals.dead),
            ],
          ],
        ),
      );
    });

  outbox
    .command('list')
    .description('Deliveries, newest first')
    .option('--status <status>', `only ${statuses.join(', ')}`)
    .option('--channel <channel>', 'only this channel (email, webhook, scim)')
    .option('--top <n>', 'at most this many (100)')
    .action(async (opts: { status?: string; channel?: string; top?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      if (opts.status !== undefined && !(statuses as readonly string[]).includes(opts.status))
        throw usageError(`--status must be one of ${statuses.join(', ')}; got '${opts.status}'`);
      const top = parseTop(opts.top);
      const { client } = await signedIn(ctx);
      const deliveries = await client.outboxDeliveries({
        ...(opts.status ? { status: opts.status as Status } : {}),
        ...(opts.channel ? { channel: opts.channel } : {}),
        ...(top ? { top } : {}),
      });
      showDeliveries(ctx, deliveries, 'No deliveries.');
    });

  outbox
    .command('dead')
    .description('Dead letters: deliveries that failed past the retry limit or were refused for good')
    .option('--channel <channel>', 'only this channel (email, webhook, scim)')
    .action(async (opts: { channel?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const dead = await client.outboxDeliveries({
        status: 'dead',
        ...(opts.channel ? { channel: opts.channel } : {}),
      });
      showDeliveries(ctx, dead, 'No dead deliveries.');
    });

  outbox
    .command('event')
    .description('One event: its deliveries and every attempt (the receipts)')
    .argument('<eventId>', 'the event id (CloudEvents id, webhook-id)')
    .action(async (eventId: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const event = await client.outboxEvent(eventId);
      if (ctx.json) return ctx.printJson(event);
      ctx.print(`${event.type} about ${event.subject} at ${when(event.time)}`);
      if (event.deliveries.length === 0) return ctx.print('No deliveries were planned for it.');
      ctx.print(
        formatTable(
          ['delivery', 'channel', 'receiver', 'status', 'attempt', 'at', 'answer'],
          event.deliveries.flatMap((d) =>
            (d.receipts.length > 0 ? d.receipts : [null]).map((r) => [
              d.id,
              d.channel,
              clip(d.receiverId, 40),
              d.status,
              r ? String(r.attempt) : '-',
              r ? when(r.dateTime) : '-',
              clip(r ? `${r.outcome}: ${r.response}` : 'not tried yet', 60),
            ]),
          ),
        ),
      );
    });

  outbox
    .command('resend')
    .description('Put a dead delivery back in line, with a fresh retry budget (audited)')
    .argument('<deliveryId>', 'the delivery id (elevate outbox dead)')
    .action(async (deliveryId: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const d = await client.resendDelivery(deliveryId);
      if (ctx.json) ctx.printJson(d);
      else ctx.print(`Delivery ${d.id} (${d.channel} to ${d.receiverId}) is pending again.`);
    });
}
