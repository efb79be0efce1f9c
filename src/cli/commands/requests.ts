import type { Command } from 'commander';
import { isApiError } from '../../contracts/api-error.js';
import { type CurrentUserFilter, odataString } from '../../contracts/elevate-client.js';
import type { GraphScheduleRequest, ScheduleKind } from '../../contracts/graph-types.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { clip, formatTable } from '../format/table.js';
import { formatInstant, formatRelative } from '../format/time.js';
import { requestJson } from '../request-view.js';
import { roleNames } from '../role-names.js';
import { type CommandContext, commandContext, type Session, signedIn } from '../session.js';

interface ListOptions {
  mine?: boolean;
  approver?: boolean;
  all?: boolean;
  status?: string;
}

const statuses = [
  'Canceled',
  'Denied',
  'Failed',
  'Granted',
  'PendingAdminDecision',
  'PendingApproval',
  'PendingProvisioning',
  'PendingScheduleCreation',
  'Provisioned',
  'Revoked',
  'ScheduleCreated',
];

/** `elevate requests`: list schedule requests, and approve, deny or cancel one. */
export function registerRequests(program: Command, io: CliIo): void {
  const requests = program.command('requests').description('List, approve, deny and cancel role requests');

  requests
    .command('list', { isDefault: true })
    .description('List requests: mine (default), those I approve, or all (readers and admins)')
    .option('--mine', 'requests for my own roles (default)')
    .option('--approver', 'activation requests I may approve')
    .option('--all', 'every request I may see')
    .option('--status <status>', 'only this status, e.g. PendingApproval')
    .action(async (opts: ListOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const picked = [opts.mine, opts.approver, opts.all].filter(Boolean).length;
      if (picked > 1) throw usageError('give one of --mine, --approver and --all');
      const status = opts.status === undefined ? undefined : canonicalStatus(opts.status);
      const on: CurrentUserFilter | undefined = opts.approver
        ? 'approver'
        : opts.all
          ? undefined
          : 'principal';
      const session = await signedIn(ctx);
      await listRequests(ctx, session, { on, status });
    });

  const decide = (name: 'approve' | 'deny') =>
    requests
      .command(name)
      .description(
        name === 'approve' ? 'Approve a pending activation request' : 'Deny a pending activation request',
      )
      .argument('<id>', 'the request id (also its approval id)')
      .option('--justification <text>', 'why (required when the role settings say so)')
      .action(async (id: string, opts: { justification?: string }, command: Command) => {
        const ctx = commandContext(io, command);
        const session = await signedIn(ctx);
        await decideRequest(ctx, session, id, name === 'approve' ? 'Approve' : 'Deny', opts.justification);
      });
  decide('approve');
  decide('deny');

  requests
    .command('cancel')
    .description('Cancel one of my pending requests')
    .argument('<id>', 'the request id')
    .action(async (id: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      let kind: ScheduleKind = 'assignment';
      try {
        await client.cancelScheduleRequest('assignment', id);
      } catch (error) {
        if (!isApiError(error) || error.status !== 404) throw error;
        kind = 'eligibility';
        await client.cancelScheduleRequest('eligibility', id);
      }
      if (ctx.json) ctx.printJson({ id, kind, status: 'Canceled' });
      else ctx.print(`Canceled request ${id}.`);
    });
}

function canonicalStatus(text: string): string {
  const found = statuses.find((s) => s.toLowerCase() === text.trim().toLowerCase());
  if (!found) throw usageError(`--status must be one of ${statuses.join(', ')}; got '${text}'`);
  return found;
}

async function listRequests(
  ctx: CommandContext,
  { client }: Session,
  args: { on: CurrentUserFilter | undefined; status: string | undefined },
): Promise<void> {
  const filter = args.status ? `status eq '${odataString(args.status)}'` : undefined;
  const query = { on: args.on, filter, expand: 'principal' };
  // Approvals exist only for activations; eligibility requests are listed for --mine and --all.
  const kinds: ScheduleKind[] = args.on === 'approver' ? ['assignment'] : ['assignment', 'eligibility'];
  const lists = await Promise.all(kinds.map((k) => client.listScheduleRequests(k, query)));
  const names = roleNames(client);
  const rows = await Promise.all(
    lists.flatMap((list, i) =>
      list.map(async (r) => ({ kind: kinds[i]!, request: r, role: await names.name(r.roleDefinitionId) })),
    ),
  );
  rows.sort((a, b) => b.request.createdDateTime.localeCompare(a.request.createdDateTime));
  if (ctx.json) {
    ctx.printJson(
      rows.map((r) => ({
        kind: r.kind,
        ...requestJson(r.request, r.role),
        principal: principalLabel(r.request),
      })),
    );
    return;
  }
  if (rows.length === 0) {
    ctx.print(args.status ? `No ${args.status} requests.` : 'No requests.');
    return;
  }
  const now = ctx.now();
  ctx.print(
    formatTable(
      ['id', 'created', 'action', 'principal', 'role', 'scope', 'status', 'justification'],
      rows.map(({ request: r, role }) => [
        r.id,
        `${formatInstant(new Date(r.createdDateTime))} (${formatRelative(new Date(r.createdDateTime), now)})`,
        r.action,
        principalLabel(r),
        role,
        r.directoryScopeId,
        r.status,
        clip(r.justification, 40),
      ]),
    ),
  );
}

const principalLabel = (r: GraphScheduleRequest): string =>
  r.principal?.userPrincipalName ?? r.principal?.displayName ?? r.principalId;

async function decideRequest(
  ctx: CommandContext,
  { client }: Session,
  id: string,
  reviewResult: 'Approve' | 'Deny',
  justification: string | undefined,
): Promise<void> {
  const approval = await client.getApproval(id);
  const mine = approval.steps.find((s) => s.status === 'InProgress' && s.assignedToMe);
  if (!mine) {
    const open = approval.steps.find((s) => s.status === 'InProgress');
    if (open)
      throw new CliError(
        `You may not decide request ${id}: you are not one of its approvers, or it is your own.`,
      );
    const done = approval.steps[0];
    throw new CliError(
      done?.status === 'Expired'
        ? `Request ${id} expired before anyone decided it.`
        : `Request ${id} was already decided (${done?.reviewResult ?? 'no step in progress'}).`,
    );
  }
  await client.decideApprovalStep(approval.id, mine.id, {
    reviewResult,
    ...(justification !== undefined ? { justification } : {}),
  });
  const request = await client
    .getScheduleRequest('assignment', approval.id, { expand: 'principal' })
    .catch(() => undefined);
  const role = request ? await roleNames(client).name(request.roleDefinitionId) : undefined;
  if (ctx.json) {
    ctx.printJson({
      approvalId: approval.id,
      stepId: mine.id,
      reviewResult: reviewResult === 'Approve' ? 'Approved' : 'Denied',
      request: request && role ? requestJson(request, role) : null,
    });
    return;
  }
  const verb = reviewResult === 'Approve' ? 'Approved' : 'Denied';
  const what =
    request && role ? ` (${role} at ${request.directoryScopeId} for ${principalLabel(request)})` : '';
  ctx.print(`${verb} request ${approval.id}${what}.`);
  if (request) ctx.print(`Status ${request.status}.`);
}
