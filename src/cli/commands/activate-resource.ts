import { randomUUID } from 'node:crypto';
import type { ArmScheduleRequest, ArmScheduleRequestProperties } from '../../contracts/arm-types.js';
import { resolveAzureRole } from '../azure-role-names.js';
import type { CliIo } from '../cli-io.js';
import { describeDuration, formatWhen } from '../format/time.js';
import { requestWindow } from '../request-view.js';
import { type CommandContext, signedIn } from '../session.js';
import { withStepUp } from '../step-up.js';

export interface ResourceActivation {
  readonly role: string;
  /** An Azure resource scope: the scope of the eligibility (an activation is made where the eligibility is). */
  readonly scope: string;
  readonly duration?: string;
  readonly start?: Date;
  readonly justification?: string;
  readonly ticketNumber?: string;
  readonly ticketSystem?: string;
  readonly validateOnly?: boolean;
  readonly totp?: string;
}

const roleArmId = (guid: string) => `/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** The ARM request's window, read as the Graph one is. */
const windowOf = (r: ArmScheduleRequest) =>
  requestWindow({
    scheduleInfo: r.properties.scheduleInfo && {
      startDateTime: r.properties.scheduleInfo.startDateTime,
      expiration: {
        type: r.properties.scheduleInfo.expiration.type ?? 'notSpecified',
        endDateTime: r.properties.scheduleInfo.expiration.endDateTime,
        duration: r.properties.scheduleInfo.expiration.duration,
      },
    },
  });

/**
 * `elevate activate ROLE --scope /subscriptions/…`: a SelfActivate of an Azure role through the ARM-shaped API
 * (`PUT {scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/{new GUID}?api-version=2020-10-01`).
 */
export async function activateResourceRole(
  io: CliIo,
  ctx: CommandContext,
  a: ResourceActivation,
): Promise<void> {
  const role = resolveAzureRole(a.role);
  const { client } = await signedIn(ctx);
  const me = await client.me();
  const properties: ArmScheduleRequestProperties = {
    principalId: me.id,
    roleDefinitionId: roleArmId(role.id),
    requestType: 'SelfActivate',
    ...(a.justification !== undefined ? { justification: a.justification } : {}),
    ...(a.start || a.duration
      ? {
          scheduleInfo: {
            ...(a.start ? { startDateTime: a.start.toISOString() } : {}),
            ...(a.duration ? { expiration: { type: 'AfterDuration', duration: a.duration } } : {}),
          },
        }
      : {}),
    ...(a.ticketNumber !== undefined || a.ticketSystem !== undefined
      ? { ticketInfo: { ticketNumber: a.ticketNumber, ticketSystem: a.ticketSystem } }
      : {}),
  };
  const name = randomUUID();
  const request = await withStepUp(io, {
    client,
    target: { roleDefinitionId: role.id, directoryScopeId: a.scope },
    ...(a.totp !== undefined ? { totp: a.totp } : {}),
    send: (stepUpProof) =>
      client.putRoleAssignmentScheduleRequest(a.scope, name, properties, {
        ...(stepUpProof ? { stepUpProof } : {}),
        ...(a.validateOnly ? { validate: true } : {}),
      }),
  });
  if (ctx.json) {
    ctx.printJson({ ...request, roleDisplayName: role.displayName });
    return;
  }
  const now = ctx.now();
  const { start, end } = windowOf(request);
  const what = `${role.displayName} at ${request.properties.scope}`;
  const until = end ? `until ${formatWhen(end, now)}` : 'with no end';
  const status = request.properties.status;
  if (a.validateOnly) {
    ctx.print(`${what} can be activated ${until}: every rule passed (nothing was activated).`);
    return;
  }
  if (status === 'Provisioned') ctx.print(`Activated ${what} ${until}.`);
  else if (status === 'Granted')
    ctx.print(`Scheduled ${what} from ${start ? formatWhen(start, now) : 'later'} ${until}.`);
  else if (status === 'PendingApproval') {
    const asked = request.properties.scheduleInfo?.expiration.duration;
    ctx.print(
      `Requested ${what}${asked ? ` for ${describeDuration(asked)}` : ''}; it waits for an approver.`,
    );
  } else ctx.print(`Requested ${what}.`);
  ctx.print(`Status ${status}; request ${request.id}`);
}

/** `elevate deactivate ROLE --scope /subscriptions/…`: a SelfDeactivate of my activated Azure role there. */
export async function deactivateResourceRole(
  ctx: CommandContext,
  a: { role: string; scope: string },
): Promise<void> {
  const role = resolveAzureRole(a.role);
  const { client } = await signedIn(ctx);
  const me = await client.me();
  const request = await client.putRoleAssignmentScheduleRequest(a.scope, randomUUID(), {
    principalId: me.id,
    roleDefinitionId: roleArmId(role.id),
    requestType: 'SelfDeactivate',
  });
  if (ctx.json) {
    ctx.printJson({ ...request, roleDisplayName: role.displayName });
    return;
  }
  const what = `${role.displayName} at ${request.properties.scope}`;
  ctx.print(
    request.properties.status === 'Revoked'
      ? `Deactivated ${what}.`
      : `Request ${request.id} to deactivate ${what}: ${request.properties.status}.`,
  );
}
