import type { Command } from 'commander';
import type { ScheduleRequestBody } from '../../contracts/graph-types.js';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { describeDuration, formatWhen, parseInstant, parseIsoDuration } from '../format/time.js';
import { requestJson, requestWindow } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';
import { withStepUp } from '../step-up.js';

interface ActivateOptions {
  scope: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  ticketSystem?: string;
  start?: string;
  validateOnly?: boolean;
  totp?: string;
}

/** `elevate activate ROLE`: a selfActivate request for one of my eligible roles. */
export function registerActivate(program: Command, io: CliIo): void {
  program
    .command('activate')
    .description('Activate one of my eligible roles (selfActivate)')
    .argument('<role>', "role name (exact, or the start of one: 'helpdesk'), or role id")
    .option('--scope <scope>', "directory scope: '/' or /administrativeUnits/{id}", '/')
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
    .action(async (role: string, opts: ActivateOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const duration =
        opts.duration === undefined ? undefined : parseIsoDuration(opts.duration, '--duration');
      const start = opts.start === undefined ? undefined : parseInstant(opts.start, '--start');
      if (opts.justification !== undefined && opts.justification.trim() === '') {
        throw usageError('--justification must not be empty');
      }
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role);
      const me = await client.me();
      const body: ScheduleRequestBody = {
        action: 'selfActivate',
        principalId: me.id,
        roleDefinitionId: target.id,
        directoryScopeId: opts.scope,
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
        target: { roleDefinitionId: target.id, directoryScopeId: opts.scope },
        ...(opts.totp !== undefined ? { totp: opts.totp } : {}),
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
