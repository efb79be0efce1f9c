import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { resolvePrincipal } from '../principals.js';
import { requestJson } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';
import { assignmentKind } from './assign.js';

/** `elevate unassign PRINCIPAL ROLE`: an administrator's adminRemove of an eligible or active assignment. */
export function registerUnassign(program: Command, io: CliIo): void {
  program
    .command('unassign')
    .description('Remove an eligible or active role assignment (adminRemove)')
    .argument('<principal>', 'user principal name, or a user, group or service principal id')
    .argument('<role>', 'role name (exact, or the start of one), or role id')
    .option('--eligible', 'remove the eligible assignment')
    .option('--active', 'remove the active assignment')
    .option('--scope <scope>', "directory scope: '/' or /administrativeUnits/{id}", '/')
    .option('--justification <text>', 'why (recorded in the audit log)')
    .action(
      async (
        principal: string,
        role: string,
        opts: { eligible?: boolean; active?: boolean; scope: string; justification?: string },
        command: Command,
      ) => {
        const ctx = commandContext(io, command);
        const kind = assignmentKind(opts);
        const { client } = await signedIn(ctx);
        const target = await roleNames(client).resolve(role);
        const who = await resolvePrincipal(client, principal);
        const request = await client.createScheduleRequest(kind, {
          action: 'adminRemove',
          principalId: who.id,
          roleDefinitionId: target.id,
          directoryScopeId: opts.scope,
          ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
        });
        if (ctx.json) {
          ctx.printJson({ kind, ...requestJson(request, target.displayName), principal: who.label });
          return;
        }
        const state = kind === 'eligibility' ? 'eligible' : 'active';
        ctx.print(
          `Removed the ${state} assignment of ${target.displayName} at ${request.directoryScopeId} from ${who.label}.`,
        );
        ctx.print(`Status ${request.status}; request id ${request.id}`);
      },
    );
}
