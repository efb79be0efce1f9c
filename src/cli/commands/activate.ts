import type { Command } from 'commander';
import type { ScheduleRequestBody } from '../../contracts/graph-types.js';
import { isResourceScope } from '../azure-role-names.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { describeDuration, formatWhen, parseInstant, parseIsoDuration } from '../format/time.js';
import { requestJson, requestWindow } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';
import { withStepUp } from '../step-up.js';
import { activateGroup } from './activate-group.js';
import { activateResourceRole } from './activate-resource.js';

interface ActivateOptions {
  scope?: string;
  group?: string;
  owner?: boolean;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  ticketSystem?: string;
  start?: string;
  validateOnly?: boolean;
  totp?: string;
  oidc?: boolean;
}

/**
 * `elevate activate ROLE`: a selfActivate request for one of my eligible roles; `elevate activate --group NAME
 * [--owner]`: of my eligible membership (or ownership) of a group (PIM for Groups).
 */
export function registerActivate(program: Command, io: CliIo): void {
  program
    .command('activate')
    .description('Activate one of my eligible roles, or my membership of a group (selfActivate)')
    .argument('[role]', "role name (exact, or the start of one: 'helpdesk'), or role id")
    .option(
      '--scope <scope>',
      "'/' (default), /administrativeUnits/{id}, or the Azure resource scope of an eligible Azure role (ARM-shaped API)",
    )
    .option('--group <name>', 'activate my membership of this group (display name or id) instead of a role')
    .option('--owner', 'with --group: activate my ownership of the group instead of my membership')
    .option('--duration <iso>', 'how long, ISO 8601 (PT2H); default: the maximum the role settings allow')
    .option('--justification <text>', 'why you need the role')
    .option('--ticket-number <n>', 'ticket number, when the role settings require a ticket')
    .option('--ticket-system <s>', 'ticket system the number belongs to')
    .option('--start <iso>', 'start later, at this ISO 8601 time')
    .option('--validate-only', 'check the rules without activating')
    .option(
      '--totp <code>',
      'a code of your authenticator app, for roles that require MFA (asked for on a terminal when needed)',
    )
    .option('--oidc', 'for roles that require MFA: step up at your identity provider in the browser instead')
    .action(async (role: string | undefined, opts: ActivateOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const duration =
        opts.duration === undefined ? undefined : parseIsoDuration(opts.duration, '--duration');
      const start = opts.start === undefined ? undefined : parseInstant(opts.start, '--start');
      if (opts.justification !== undefined && opts.justification.trim() === '') {
        throw usageError('--justification must not be empty');
      }
      const scope = targetScope(role, opts);
      const common = {
        ...(duration !== undefined ? { duration } : {}),
        ...(start !== undefined ? { start } : {}),
        ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
        ...(opts.ticketNumber !== undefined ? { ticketNumber: opts.ticketNumber } : {}),
        ...(opts.ticketSystem !== undefined ? { ticketSystem: opts.ticketSystem } : {}),
        ...(opts.validateOnly ? { validateOnly: true } : {}),
        ...(opts.totp !== undefined ? { totp: opts.totp } : {}),
      };
      if (opts.group !== undefined) {
        await activateGroup(io, ctx, {
          group: opts.group,
          accessId: opts.owner ? 'owner' : 'member',
          ...common,
        });
        return;
      }
      if (isResourceScope(scope)) {
        await activateResourceRole(io, ctx, { role: role ?? '', scope, ...common });
        return;
      }
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role ?? '');
      const me = await client.me();
      const body: ScheduleRequestBody = {
        action: 'selfActivate',
        principalId: me.id,
        roleDefinitionId: target.id,
        directoryScopeId: scope,
        ...(opts.justification !== undefined ? { justification: opts.justification } : {}),
        ...(start || duration
          ? {
              scheduleInfo: {
                ...(start ? { startDateTime: start.toISOString() } : {}),
                ...(duration ? { expiration: { type: 'afterDuration', duration } } : {}),
              },
            }
          : {}),
        ...(opts.ticketNumber !== undefined || opts.ticketSystem !== undefined
          ? { ticketInfo: { ticketNumber: opts.ticketNumber, ticketSystem: opts.ticketSystem } }
          : {}),
        ...(opts.validateOnly ? { isValidationOnly: true } : {}),
      };
      const request = await withStepUp(io, {
        client,
        target: { roleDefinitionId: target.id, directoryScopeId: scope },
        ...(opts.totp !== undefined ? { totp: opts.totp } : {}),
        ...(opts.oidc ? { oidc: true } : {}),
        send: (stepUpProof) =>
          client.createScheduleRequest('assignment', body, stepUpProof ? { stepUpProof } : {}),
      });
      if (ctx.json) {
        ctx.printJson(requestJson(request, target.displayName));
        return;
      }
      const now = ctx.now();
      const { start: from, end } = requestWindow(request);
      const what = `${target.displayName} at ${request.directoryScopeId}`;
      const until = end ? `until ${formatWhen(end, now)}` : 'with no end';
      if (request.isValidationOnly) {
        ctx.print(`${what} can be activated ${until}: every rule passed (nothing was activated).`);
        if (request.status === 'PendingApproval') ctx.print('The activation would need approval.');
        return;
      }
      switch (request.status) {
        case 'Provisioned':
          ctx.print(`Activated ${what} ${until}.`);
          break;
        case 'Granted':
          ctx.print(`Scheduled ${what} from ${from ? formatWhen(from, now) : 'later'} ${until}.`);
          break;
        case 'PendingApproval': {
          const asked = request.scheduleInfo?.expiration.duration;
          ctx.print(
            `Requested ${what}${asked ? ` for ${describeDuration(asked)}` : ''}; it waits for an approver.`,
          );
          break;
        }
        default:
          ctx.print(`Requested ${what}.`);
      }
      const approval =
        request.status === 'PendingApproval' ? `; approval id ${request.approvalId ?? request.id}` : '';
      ctx.print(`Status ${request.status}; request id ${request.id}${approval}`);
    });
}

/**
 * The scope of a role activation ('/' unless told), after checking that the command names one target: a ROLE
 * or `--group` (with `--owner` only for a group).
 */
export function targetScope(
  role: string | undefined,
  opts: { scope?: string; group?: string; owner?: boolean },
): string {
  if (opts.group !== undefined) {
    if (role !== undefined) throw usageError('give a ROLE or --group, not both');
    if (opts.scope !== undefined) throw usageError('--scope applies to roles; a group has no scope');
    return '';
  }
  if (opts.owner) throw usageError('--owner goes with --group');
  if (role === undefined) throw usageError("give a ROLE (e.g. 'Helpdesk Administrator') or --group NAME");
  return opts.scope ?? '/';
}
