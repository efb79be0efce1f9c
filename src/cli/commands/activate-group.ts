import type { GroupAccessId, GroupScheduleRequestBody } from '../../contracts/graph-types.js';
import type { CliIo } from '../cli-io.js';
import { describeDuration, formatWhen } from '../format/time.js';
import { resolveGroup } from '../groups.js';
import { requestWindow } from '../request-view.js';
import { type CommandContext, signedIn } from '../session.js';
import { withStepUp } from '../step-up.js';

export interface GroupActivation {
  readonly group: string;
  readonly accessId: GroupAccessId;
  readonly duration?: string;
  readonly start?: Date;
  readonly justification?: string;
  readonly ticketNumber?: string;
  readonly ticketSystem?: string;
  readonly validateOnly?: boolean;
  readonly totp?: string;
}

const noun = (accessId: GroupAccessId) => (accessId === 'owner' ? 'ownership' : 'membership');

/**
 * `elevate activate --group NAME [--owner]`: a PIM for Groups selfActivate of my membership (or ownership),
 * stepping up when the group's settings require MFA.
 */
export async function activateGroup(io: CliIo, ctx: CommandContext, a: GroupActivation): Promise<void> {
  const { client } = await signedIn(ctx);
  const group = await resolveGroup(client, a.group);
  const me = await client.me();
  const body: GroupScheduleRequestBody = {
    action: 'selfActivate',
    accessId: a.accessId,
    principalId: me.id,
    groupId: group.id,
    ...(a.justification !== undefined ? { justification: a.justification } : {}),
    ...(a.start || a.duration
      ? {
          scheduleInfo: {
            ...(a.start ? { startDateTime: a.start.toISOString() } : {}),
            ...(a.duration ? { expiration: { type: 'afterDuration', duration: a.duration } } : {}),
          },
        }
      : {}),
    ...(a.ticketNumber !== undefined || a.ticketSystem !== undefined
      ? { ticketInfo: { ticketNumber: a.ticketNumber, ticketSystem: a.ticketSystem } }
      : {}),
    ...(a.validateOnly ? { isValidationOnly: true } : {}),
  };
  const request = await withStepUp(io, {
    client,
    target: { groupId: group.id, accessId: a.accessId },
    ...(a.totp !== undefined ? { totp: a.totp } : {}),
    send: (stepUpProof) =>
      client.createGroupScheduleRequest('assignment', body, stepUpProof ? { stepUpProof } : {}),
  });
  if (ctx.json) {
    ctx.printJson({ ...request, groupDisplayName: group.displayName });
    return;
  }
  const now = ctx.now();
  const { start, end } = requestWindow(request);
  const what = `${noun(a.accessId)} of ${group.displayName}`;
  const until = end ? `until ${formatWhen(end, now)}` : 'with no end';
  if (request.isValidationOnly) {
    ctx.print(`Your ${what} can be activated ${until}: every rule passed (nothing was activated).`);
    if (request.status === 'PendingApproval') ctx.print('The activation would need approval.');
    return;
  }
  switch (request.status) {
    case 'Provisioned':
      ctx.print(`Activated ${what} ${until}.`);
      break;
    case 'Granted':
      ctx.print(`Scheduled ${what} from ${start ? formatWhen(start, now) : 'later'} ${until}.`);
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
}

/** `elevate deactivate --group NAME [--owner]`: ends my activated membership (or ownership) early. */
export async function deactivateGroup(
  ctx: CommandContext,
  a: { readonly group: string; readonly accessId: GroupAccessId },
): Promise<void> {
  const { client } = await signedIn(ctx);
  const group = await resolveGroup(client, a.group);
  const me = await client.me();
  const request = await client.createGroupScheduleRequest('assignment', {
    action: 'selfDeactivate',
    accessId: a.accessId,
    principalId: me.id,
    groupId: group.id,
  });
  if (ctx.json) {
    ctx.printJson({ ...request, groupDisplayName: group.displayName });
    return;
  }
  const what = `${noun(a.accessId)} of ${group.displayName}`;
  ctx.print(
    request.status === 'Revoked'
      ? `Deactivated ${what}.`
      : `Request ${request.id} to deactivate ${what}: ${request.status}.`,
  );
}
