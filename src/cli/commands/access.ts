import type { Command } from 'commander';
import type { AccessGrantResponse } from '../../contracts/access-schemas.js';
import type { ElevateClient } from '../../contracts/elevate-client.js';
import { isResourceScope, resolveAzureRole } from '../azure-role-names.js';
import { CliError, exitCodes, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format/table.js';
import { formatInstant, parseInstant } from '../format/time.js';
import { resolvePrincipal } from '../principals.js';
import { type RoleRef, roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';

/** PRINCIPAL: `me`, a user principal name, or an object id. */
async function principal(client: ElevateClient, input: string): Promise<{ id: string; label: string }> {
  if (input.trim().toLowerCase() === 'me') {
    const me = await client.me();
    return { id: me.id, label: me.userPrincipalName };
  }
  return resolvePrincipal(client, input);
}

/** ROLE: at an Azure resource scope an Azure role, else a directory role (name, start of one, or id). */
const role = async (client: ElevateClient, input: string, scope: string): Promise<RoleRef> =>
  isResourceScope(scope) ? resolveAzureRole(input) : roleNames(client).resolve(input);

const at = (text: string | undefined) => (text === undefined ? undefined : parseInstant(text, '--at'));

/** How a grant reaches the principal: `direct`, or `group NAME (activated membership, request …)`. */
function path(g: AccessGrantResponse): string {
  if (g.group === null) return 'direct';
  const m = g.group;
  const how =
    m.membership === 'static' ? 'standing member' : `${m.membership} membership, request ${m.createdUsing}`;
  return `group ${m.displayName} (${how})`;
}

/** `elevate access check|explain`: effective access, as downstream systems ask for it. */
export function registerAccess(program: Command, io: CliIo): void {
  const access = program
    .command('access')
    .description("Check or explain a principal's effective access (readers: anyone; everyone: themselves)");

  access
    .command('check')
    .description(
      'Does PRINCIPAL hold ROLE (or a role allowing --action) at --scope at --at? Prints ALLOW (exit 0) or DENY (exit 4)',
    )
    .argument('<principal>', "'me', a user principal name, or an object id")
    .argument('[role]', 'role name (or the start of one) or id; or give --action')
    .option(
      '--action <action>',
      'an action instead of a role, e.g. microsoft.directory/users/password/update',
    )
    .option('--scope <scope>', "'/', /administrativeUnits/{id}, or an Azure resource scope", '/')
    .option('--at <iso>', 'the instant to ask about (default: now)')
    .action(
      async (
        who: string,
        roleInput: string | undefined,
        opts: { action?: string; scope: string; at?: string },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        if ((roleInput === undefined) === (opts.action === undefined)) {
          throw usageError('give a ROLE or --action, exactly one');
        }
        const instant = at(opts.at);
        const { client } = await signedIn(ctx);
        const p = await principal(client, who);
        const target =
          roleInput !== undefined
            ? { roleDefinitionId: (await role(client, roleInput, opts.scope)).id }
            : { action: opts.action ?? '' };
        const { results } = await client.checkAccess({
          principalId: p.id,
          ...target,
          scope: opts.scope,
          ...(instant ? { at: instant.toISOString() } : {}),
        });
        const decision = results[0];
        if (!decision) throw new CliError('The server gave no answer to the question.');
        if (ctx.json) ctx.printJson(decision);
        else ctx.print(`${decision.allowed ? 'ALLOW' : 'DENY'}\n${decision.reason}`);
        // Nothing more to report: the answer is printed, the exit code says DENY.
        if (!decision.allowed) throw new CliError('', exitCodes.denied);
      },
    );

  access
    .command('explain')
    .description(
      'What PRINCIPAL holds at --scope at --at, and by which path (direct, group, inherited; active or eligible)',
    )
    .argument('<principal>', "'me', a user principal name, or an object id")
    .option('--scope <scope>', "'/', /administrativeUnits/{id}, or an Azure resource scope", '/')
    .option('--at <iso>', 'the instant to ask about (default: now)')
    .action(async (who: string, opts: { scope: string; at?: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const instant = at(opts.at);
      const { client } = await signedIn(ctx);
      const p = await principal(client, who);
      const e = await client.explainAccess({
        principalId: p.id,
        scope: opts.scope,
        ...(instant ? { at: instant.toISOString() } : {}),
      });
      if (ctx.json) {
        ctx.printJson(e);
        return;
      }
      const heading = `${e.principal.displayName} (${e.principal.type}) at ${e.scope}, ${formatInstant(new Date(e.at))}`;
      if (e.grants.length === 0) {
        ctx.print(`${heading}: holds nothing here.`);
        return;
      }
      const when = (iso: string | null, none: string) => (iso ? formatInstant(new Date(iso)) : none);
      ctx.print(`${heading}:`);
      ctx.print(
        formatTable(
          ['state', 'role', 'scope', 'path', 'start', 'end', 'request'],
          e.grants.map((g) => [
            g.state,
            g.roleDisplayName,
            g.inheritedFrom === null ? g.scope : `${g.scope} (inherited)`,
            path(g),
            when(g.startDateTime, '-'),
            when(g.endDateTime, 'permanent'),
            g.createdUsing,
          ]),
        ),
      );
    });
}
