import type { Command } from 'commander';
import type { GraphScheduleInstance, ScheduleKind } from '../../contracts/graph-types.js';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format/table.js';
import { formatInstant, formatSpan } from '../format/time.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';

/** One of the caller's roles in effect now, eligible or active. */
interface RoleRow {
  readonly state: 'eligible' | 'active';
  readonly roleDefinitionId: string;
  readonly roleDisplayName: string;
  readonly directoryScopeId: string;
  /** `Assigned` (by an admin) or `Activated` (from an eligibility); null for eligibilities. */
  readonly assignmentType: string | null;
  /** `Direct`, or `Group` when held through a role-assignable group. */
  readonly memberType: string;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
}

/** `elevate roles`: what the caller may activate and what they hold now. */
export function registerRoles(program: Command, io: CliIo): void {
  program
    .command('roles')
    .description('List my eligible and active roles, with the time left on each')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const names = roleNames(client);
      const [eligible, active] = await Promise.all([
        client.listMyInstances('eligibility'),
        client.listMyInstances('assignment'),
      ]);
      const toRow = async (kind: ScheduleKind, i: GraphScheduleInstance): Promise<RoleRow> => ({
        state: kind === 'eligibility' ? 'eligible' : 'active',
        roleDefinitionId: i.roleDefinitionId,
        roleDisplayName: await names.name(i.roleDefinitionId),
        directoryScopeId: i.directoryScopeId,
        assignmentType: kind === 'assignment' ? (i.assignmentType ?? 'Assigned') : null,
        memberType: i.memberType,
        startDateTime: i.startDateTime,
        endDateTime: i.endDateTime,
      });
      const rows = [
        ...(await Promise.all(eligible.map((i) => toRow('eligibility', i)))),
        ...(await Promise.all(active.map((i) => toRow('assignment', i)))),
      ].sort((a, b) => a.roleDisplayName.localeCompare(b.roleDisplayName) || a.state.localeCompare(b.state));

      if (ctx.json) {
        ctx.printJson(rows);
        return;
      }
      if (rows.length === 0) {
        ctx.print('You have no eligible or active roles.');
        return;
      }
      const now = ctx.now();
      ctx.print(
        formatTable(
          ['role', 'scope', 'type', 'member', 'start', 'end', 'time left'],
          rows.map((r) => [
            r.roleDisplayName,
            r.directoryScopeId,
            r.state === 'eligible' ? 'eligible' : `active (${r.assignmentType?.toLowerCase()})`,
            r.memberType === 'Group' ? 'group' : r.memberType.toLowerCase(),
            r.startDateTime ? formatInstant(new Date(r.startDateTime)) : '-',
            r.endDateTime ? formatInstant(new Date(r.endDateTime)) : 'permanent',
            r.endDateTime ? timeLeft(new Date(r.endDateTime), now) : 'permanent',
          ]),
        ),
      );
    });
}

const timeLeft = (end: Date, now: Date): string =>
  end.getTime() > now.getTime() ? formatSpan(end.getTime() - now.getTime()) : 'ended';
