import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { requestJson } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';

/** `elevate deactivate ROLE`: ends my activation early (selfDeactivate). */
export function registerDeactivate(program: Command, io: CliIo): void {
  program
    .command('deactivate')
    .description('End my activation of a role early (selfDeactivate)')
    .argument('<role>', 'role name (exact, or the start of one), or role id')
    .option('--scope <scope>', "directory scope: '/' or /administrativeUnits/{id}", '/')
    .action(async (role: string, opts: { scope: string }, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role);
      const me = await client.me();
      const request = await client.createScheduleRequest('assignment', {
        action: 'selfDeactivate',
        principalId: me.id,
        roleDefinitionId: target.id,
        directoryScopeId: opts.scope,
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
    });
}
