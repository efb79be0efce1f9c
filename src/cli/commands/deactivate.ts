import type { Command } from 'commander';
import { isResourceScope } from '../azure-role-names.js';
import type { CliIo } from '../cli-io.js';
import { requestJson } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';
import { targetScope } from './activate.js';
import { deactivateGroup } from './activate-group.js';
import { deactivateResourceRole } from './activate-resource.js';

/** `elevate deactivate ROLE` (or `--group NAME [--owner]`): ends my activation early (selfDeactivate). */
export function registerDeactivate(program: Command, io: CliIo): void {
  program
    .command('deactivate')
    .description('End my activation of a role, or of my membership of a group, early (selfDeactivate)')
    .argument('[role]', 'role name (exact, or the start of one), or role id')
    .option('--scope <scope>', "'/' (default), /administrativeUnits/{id}, or an Azure resource scope")
    .option('--group <name>', 'end my activated membership of this group (display name or id)')
    .option('--owner', 'with --group: end my activated ownership instead')
    .action(
      async (
        role: string | undefined,
        opts: { scope?: string; group?: string; owner?: boolean },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        const scope = targetScope(role, opts);
        if (opts.group !== undefined) {
          await deactivateGroup(ctx, { group: opts.group, accessId: opts.owner ? 'owner' : 'member' });
          return;
        }
        if (isResourceScope(scope)) {
          await deactivateResourceRole(ctx, { role: role ?? '', scope });
          return;
        }
        const { client } = await signedIn(ctx);
        const target = await roleNames(client).resolve(role ?? '');
        const me = await client.me();
        const request = await client.createScheduleRequest('assignment', {
          action: 'selfDeactivate',
          principalId: me.id,
          roleDefinitionId: target.id,
          directoryScopeId: scope,
        });
        if (ctx.json) {
          ctx.printJson(requestJson(request, target.displayName));
          return;
        }
        ctx.print(
          request.status === 'Revoked'
            ? `Deactivated ${target.displayName} at ${request.directoryScopeId}.`
            : `Request ${request.id} to deactivate ${target.displayName} at ${request.directoryScopeId}: ${request.status}.`,
        );
      },
    );
}
