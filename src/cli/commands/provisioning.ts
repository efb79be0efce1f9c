import type { Command } from 'commander';
import type { ElevateClient } from '../../contracts/elevate-client.js';
import type { ProvisioningLinkResponse } from '../../contracts/provisioning-schemas.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { clip, formatTable } from '../format/table.js';
import { formatInstant } from '../format/time.js';
import { resolveGroup } from '../groups.js';
import { resolvePrincipal } from '../principals.js';
import { promptHidden, readStdin } from '../prompt.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';

/** The token: --token-stdin, else ELEVATE_SCIM_TOKEN, else asked for on a terminal. Never an argument. */
async function readToken(ctx: CommandContext, opts: { tokenStdin?: boolean }): Promise<string> {
  const token = opts.tokenStdin
    ? await readStdin(ctx.io)
    : ctx.io.env.ELEVATE_SCIM_TOKEN ||
      (ctx.io.stdin.isTTY ? await promptHidden(ctx.io, 'SCIM bearer token: ') : '');
  if (!token) {
    throw usageError(
      'a SCIM bearer token is required: pipe it to --token-stdin or set ELEVATE_SCIM_TOKEN (it is never an argument)',
    );
  }
  return token;
}

function parseRate(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  if (text === 'default') return null;
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
    throw usageError(`--rate must be a number above 0 and at most 1000, or 'default'; got '${text}'`);
  }
  return rate;
}

/** An application of the group by its id, its name, or its base URL. */
async function resolveLink(
  client: ElevateClient,
  groupId: string,
  input: string,
): Promise<ProvisioningLinkResponse> {
  const links = await client.listProvisioningApplications(groupId);
  const wanted = input.trim().replace(/\/+$/, '');
  const found = links.filter(
    (l) => l.id === wanted.toLowerCase() || l.displayName === wanted || l.baseUrl === wanted,
  );
  if (found.length === 1) return found[0]!;
  if (found.length === 0)
    throw new CliError(`The group has no application '${input}' (give its id, name or URL)`);
  throw usageError(`${found.length} applications match '${input}'; give the id`);
}

const showLinks = (ctx: CommandContext, links: readonly ProvisioningLinkResponse[]) => {
  if (ctx.json) return ctx.printJson(links);
  if (links.length === 0) return ctx.print('No application is linked to this group.');
  ctx.print(
    formatTable(
      ['application', 'SCIM base URL', 'rate/s', 'group in app', 'id'],
      links.map((l) => [
        l.displayName,
        l.baseUrl,
        l.ratePerSecond === null ? 'default' : String(l.ratePerSecond),
        l.scimGroupId ?? '-',
        l.id,
      ]),
    ),
  );
};

/** `elevate provisioning`: link groups to applications for outbound SCIM, and read the receipts. */
export function registerProvisioning(program: Command, io: CliIo): void {
  const provisioning = program
    .command('provisioning')
    .description(
      'Outbound SCIM 2.0: link a group to applications that receive its activated membership (application administrators)',
    );

  provisioning
    .command('list')
    .description('The applications GROUP is provisioned to')
    .argument('<group>', 'group display name or id')
    .action(async (groupInput: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const group = await resolveGroup(client, groupInput);
      showLinks(ctx, await client.listProvisioningApplications(group.id));
    });

  provisioning
    .command('link')
    .description(
      'Link GROUP to the SCIM application at URL; the token is read from stdin or ELEVATE_SCIM_TOKEN',
    )
    .argument('<group>', 'group display name or id')
    .argument('<url>', 'SCIM base URL, e.g. https://app.example/scim/v2')
    .requiredOption('--name <name>', "the application's name, as receipts show it")
    .option('--token-stdin', 'read the bearer token from stdin')
    .option('--rate <perSecond>', "requests per second to this application, or 'default'")
    .action(
      async (
        groupInput: string,
        url: string,
        opts: { name: string; tokenStdin?: boolean; rate?: string },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        const rate = parseRate(opts.rate);
        const token = await readToken(ctx, opts);
        const { client } = await signedIn(ctx);
        const group = await resolveGroup(client, groupInput);
        const link = await client.linkProvisioningApplication(group.id, {
          displayName: opts.name,
          baseUrl: url,
          token,
          ...(rate !== undefined ? { ratePerSecond: rate } : {}),
        });
        if (ctx.json) ctx.printJson(link);
        else
          ctx.print(`Linked ${group.displayName} to ${link.displayName} (${link.baseUrl}); id ${link.id}.`);
      },
    );

  provisioning
    .command('update')
    .description("Change a link's name, URL or rate, or rotate its token (--token-stdin)")
    .argument('<group>', 'group display name or id')
    .argument('<application>', 'application id, name or SCIM base URL')
    .option('--name <name>', 'a new name')
    .option('--url <url>', 'a new SCIM base URL')
    .option('--rate <perSecond>', "requests per second, or 'default'")
    .option('--token-stdin', 'read a new bearer token from stdin')
    .action(
      async (
        groupInput: string,
        appInput: string,
        opts: { name?: string; url?: string; rate?: string; tokenStdin?: boolean },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        const rate = parseRate(opts.rate);
        if (opts.name === undefined && opts.url === undefined && rate === undefined && !opts.tokenStdin) {
          throw usageError('give at least one of --name, --url, --rate, --token-stdin');
        }
        const token = opts.tokenStdin ? await readToken(ctx, opts) : undefined;
        const { client } = await signedIn(ctx);
        const group = await resolveGroup(client, groupInput);
        const link = await resolveLink(client, group.id, appInput);
        const updated = await client.updateProvisioningApplication(group.id, link.id, {
          ...(opts.name !== undefined ? { displayName: opts.name } : {}),
          ...(opts.url !== undefined ? { baseUrl: opts.url } : {}),
          ...(rate !== undefined ? { ratePerSecond: rate } : {}),
          ...(token !== undefined ? { token } : {}),
        });
        if (ctx.json) ctx.printJson(updated);
        else ctx.print(`Updated ${updated.displayName} (${updated.baseUrl}).`);
      },
    );

  provisioning
    .command('unlink')
    .description('Stop provisioning GROUP to an application (what was pushed stays there)')
    .argument('<group>', 'group display name or id')
    .argument('<application>', 'application id, name or SCIM base URL')
    .action(async (groupInput: string, appInput: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const group = await resolveGroup(client, groupInput);
      const link = await resolveLink(client, group.id, appInput);
      await client.unlinkProvisioningApplication(group.id, link.id);
      if (ctx.json) ctx.printJson({ unlinked: link.id });
      else ctx.print(`Unlinked ${link.displayName} from ${group.displayName}.`);
    });

  provisioning
    .command('receipts')
    .description("What the applications answered to GROUP's membership changes, newest first")
    .argument('<group>', 'group display name or id')
    .option('--principal <principal>', 'only this user (user principal name or id)')
    .option('--top <n>', 'at most this many', '20')
    .action(async (groupInput: string, opts: { principal?: string; top: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 1 || top > 1000) throw usageError('--top must be 1 to 1000');
      const { client } = await signedIn(ctx);
      const group = await resolveGroup(client, groupInput);
      const principal = opts.principal ? await resolvePrincipal(client, opts.principal) : undefined;
      const receipts = await client.listProvisioningReceipts(group.id, {
        top,
        ...(principal ? { principalId: principal.id } : {}),
      });
      if (ctx.json) return ctx.printJson(receipts);
      if (receipts.length === 0) return ctx.print('No SCIM deliveries yet.');
      ctx.print(
        formatTable(
          ['delivered', 'application', 'principal', 'change', 'outcome', 'response'],
          receipts.map((r) => [
            formatInstant(new Date(r.deliveredDateTime)),
            r.applicationName,
            r.principalId,
            r.operation,
            r.outcome,
            clip(r.response, 80),
          ]),
        ),
      );
    });
}
