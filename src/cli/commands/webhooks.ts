import type { Command } from 'commander';
import { type WebhookBody, type WebhookResponse, webhookEventTypes } from '../../contracts/outbox-schemas.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { clip, formatTable } from '../format/table.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';

/** `--events a,b` (with or without the `elevate.` prefix) → the event types, each checked. */
function parseEvents(text: string): WebhookBody['eventTypes'] {
  const types = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (t.startsWith('elevate.') ? t : `elevate.${t}`));
  const unknown = types.filter((t) => !(webhookEventTypes as readonly string[]).includes(t));
  if (types.length === 0 || unknown.length > 0)
    throw usageError(
      `--events must list event types separated by commas; ${unknown.length ? `unknown: ${unknown.join(', ')}; ` : ''}known: ${webhookEventTypes.join(', ')}`,
    );
  return types as WebhookBody['eventTypes'];
}

const show = (ctx: CommandContext, hooks: readonly WebhookResponse[]) => {
  if (ctx.json) return ctx.printJson(hooks);
  if (hooks.length === 0) return ctx.print('No webhooks are registered.');
  ctx.print(
    formatTable(
      ['id', 'url', 'events', 'enabled', 'description'],
      hooks.map((h) => [
        h.id,
        h.url,
        h.eventTypes.map((t) => t.replace(/^elevate\./, '')).join(','),
        h.enabled ? 'yes' : 'no',
        clip(h.description, 40),
      ]),
    ),
  );
};

/** `elevate webhooks`: register endpoints that receive signed CloudEvents; rotate their secrets. */
export function registerWebhooks(program: Command, io: CliIo): void {
  const webhooks = program
    .command('webhooks')
    .description('Webhook endpoints receiving signed CloudEvents (Privileged Role or Global Administrators)');

  webhooks
    .command('list')
    .description('Registered endpoints (secrets are never shown)')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      show(ctx, await client.listWebhooks());
    });

  webhooks
    .command('add')
    .description('Register URL for some event types; prints the signing secret once')
    .argument(
      '<url>',
      'https:// endpoint (private addresses only if ELEVATE_WEBHOOK_ALLOWED_NETWORKS allows them)',
    )
    .requiredOption(
      '--events <types>',
      'event types separated by commas, e.g. activation.granted,approval.requested',
    )
    .option('--description <text>', 'what the endpoint is for')
    .action(async (url: string, opts: { events: string; description?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const eventTypes = parseEvents(opts.events);
      const { client } = await signedIn(ctx);
      const { webhook, secret } = await client.createWebhook({
        url,
        eventTypes,
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      if (ctx.json) return ctx.printJson({ webhook, secret });
      ctx.print(`Registered ${webhook.url}; id ${webhook.id}.`);
      ctx.print(`Signing secret (shown once — store it with the receiver): ${secret}`);
    });

  webhooks
    .command('update')
    .description("Change an endpoint's URL, event types or description, or enable/disable it")
    .argument('<id>', 'webhook id')
    .option('--url <url>', 'a new URL')
    .option('--events <types>', 'new event types, separated by commas')
    .option('--description <text>', 'a new description')
    .option('--enable', 'deliver to it again')
    .option('--disable', 'stop delivering to it')
    .action(
      async (
        id: string,
        opts: { url?: string; events?: string; description?: string; enable?: boolean; disable?: boolean },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        if (opts.enable && opts.disable) throw usageError('give --enable or --disable, not both');
        const patch = {
          ...(opts.url !== undefined ? { url: opts.url } : {}),
          ...(opts.events !== undefined ? { eventTypes: parseEvents(opts.events) } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
        };
        if (Object.keys(patch).length === 0)
          throw usageError('give at least one of --url, --events, --description, --enable, --disable');
        const { client } = await signedIn(ctx);
        const updated = await client.updateWebhook(id, patch);
        if (ctx.json) ctx.printJson(updated);
        else ctx.print(`Updated ${updated.url}.`);
      },
    );

  webhooks
    .command('remove')
    .description('Delete an endpoint; its pending deliveries die')
    .argument('<id>', 'webhook id')
    .action(async (id: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      await client.deleteWebhook(id);
      if (ctx.json) ctx.printJson({ removed: id });
      else ctx.print(`Removed webhook ${id}.`);
    });

  webhooks
    .command('rotate-secret')
    .description('Make a new signing secret (printed once); the old one also signs for --grace seconds')
    .argument('<id>', 'webhook id')
    .option('--grace <seconds>', 'how long the previous secret keeps signing (86400; 0 stops it now)')
    .action(async (id: string, opts: { grace?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const grace = opts.grace === undefined ? undefined : Number(opts.grace);
      if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > 7 * 86_400))
        throw usageError(`--grace must be whole seconds from 0 to 604800; got '${opts.grace}'`);
      const { client } = await signedIn(ctx);
      const { webhook, secret } = await client.rotateWebhookSecret(id, grace);
      if (ctx.json) return ctx.printJson({ webhook, secret });
      ctx.print(`New signing secret for ${webhook.url} (shown once): ${secret}`);
      if (webhook.previousSecretExpiresDateTime)
        ctx.print(`The previous secret also signs until ${webhook.previousSecretExpiresDateTime}.`);
    });
}
