import type { Command } from 'commander';
import type { ScheduleKind, ScheduleRequestBody } from '../../contracts/graph-types.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatWhen, parseInstant, parseIsoDuration } from '../format/time.js';
import { resolvePrincipal } from '../principals.js';
import { requestJson, requestWindow } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';

interface AssignOptions {
  eligible?: boolean;
  active?: boolean;
  scope: string;
  end?: string;
  duration?: string;
  justification?: string;
}

/** `--eligible` or `--active`, exactly one. */
export function assignmentKind(opts: { eligible?: boolean; active?: boolean }): ScheduleKind {
  if (opts.eligible && opts.active) throw usageError('give --eligible or --active, not both');
  if (!opts.eligible && !opts.active) throw usageError('give --eligible or --active');
  return opts.eligible ? 'eligibility' : 'assignment';
}

/** `elevate assign PRINCIPAL ROLE`: an administrator's adminAssign of an eligible or active assignment. */
export function registerAssign(program: Command, io: CliIo): void {
  program
    .command('assign')
    .description('Assign a role to a user, group or service principal (adminAssign)')
    .argument('<principal>', 'user principal name, or a user, group or service principal id')
    .argument('<role>', 'role name (exact, or the start of one), or role id')
    .option('--eligible', 'an eligible assignment (activated later)')
    .option('--active', 'an active assignment (held at once)')
    .option('--scope <scope>', "directory scope: '/' or /administrativeUnits/{id}", '/')
    .option('--end <iso>', 'end at this ISO 8601 time')
    .option('--duration <iso>', 'end after this ISO 8601 duration (P90D); with neither, permanent')
    .option('--justification <text>', 'why (required when the role settings say so)')
    .action(async (principal: string, role: string, opts: AssignOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const kind = assignmentKind(opts);
      if (opts.end !== undefined && opts.duration !== undefined)
        throw usageError('give --end or --duration, not both');
      const end = opts.end === undefined ? undefined : parseInstant(opts.end, '--end');
      const duration =
        opts.duration === undefined ? undefined : parseIsoDuration(opts.duration, '--duration');
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role);
      const who = await resolvePrincipal(client, principal);
      const body: ScheduleRequestBody = {
        action: 'adminAssign',
        principalId: who.id,
        roleDefinitionId: target.id,
        directoryScopeId: opts.scope,
        ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
        scheduleInfo: {
          startDateTime: ctx.now().toISOString(),
          expiration: end
            ? { type: 'afterDateTime', endDateTime: end.toISOString() }
            : duration
              ? { type: 'afterDuration', duration }
              : { type: 'noExpiration' },
        },
      };
      const request = await client.createScheduleRequest(kind, body);
      if (ctx.json) {
        ctx.printJson({ kind, ...requestJson(request, target.displayName), principal: who.label });
        return;
      }
      const { end: until } = requestWindow(request);
      const state = kind === 'eligibility' ? 'eligible' : 'active';
      const window = until ? `until ${formatWhen(until, ctx.now())}` : 'permanently';
      ctx.print(
        `Assigned ${target.displayName} at ${request.directoryScopeId} to ${who.label} (${state}) ${window}.`,
      );
      ctx.print(`Status ${request.status}; request id ${request.id}`);
    });
}
