import type { Command } from 'commander';
import type {
  GraphGroupScheduleInstance,
  GraphScheduleInstance,
  ScheduleKind,
} from '../../contracts/graph-types.js';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format/table.js';
import { formatInstant, formatSpan } from '../format/time.js';
import { roleNames } from '../role-names.js';
import { commandContext, signedIn } from '../session.js';

/** One of the caller's roles, or group memberships and ownerships (PIM for Groups), in effect now. */
interface RoleRow {
  readonly state: 'eligible' | 'active';
  readonly targetKind: 'directoryRole' | 'group';
  /** For a group: `member` or `owner`. */
  readonly roleDefinitionId: string;
  /** For a group: "Member of PAG-SERVICE-DESK" or "Owner of …". */
  readonly roleDisplayName: string;
  /** For a group: its id. */
  readonly directoryScopeId: string;
  readonly groupDisplayName?: string;
  /** `Assigned` (by an admin) or `Activated` (from an eligibility); null for eligibilities. */
  readonly assignmentType: string | null;
  /** `Direct`, or `Group` when held through a role-assignable group. */
  readonly memberType: string;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
}

/** `elevate roles`: what the caller may activate and what they hold now, roles and group memberships. */
export function registerRoles(program: Command, io: CliIo): void {
  program
    .command('roles')
    .description('List my eligible and active roles and group memberships, with the time left on each')
    .action(async (_opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const names = roleNames(client);
      const me = await client.me();
      const [eligible, active, eligibleGroups, activeGroups] = await Promise.all([
        client.listMyInstances('eligibility'),
        client.listMyInstances('assignment'),
        client.listGroupInstances('eligibility', me.id),
        client.listGroupInstances('assignment', me.id),
      ]);
      const toRow = async (kind: ScheduleKind, i: GraphScheduleInstance): Promise<RoleRow> => ({
        state: kind === 'eligibility' ? 'eligible' : 'active',
        targetKind: 'directoryRole',
        roleDefinitionId: i.roleDefinitionId,
        roleDisplayName: await names.name(i.roleDefinitionId),
        directoryScopeId: i.directoryScopeId,
        assignmentType: kind === 'assignment' ? (i.assignmentType ?? 'Assigned') : null,
        memberType: i.memberType,
        startDateTime: i.startDateTime,
        endDateTime: i.endDateTime,
      });
      const toGroupRow = (kind: ScheduleKind, i: GraphGroupScheduleInstance): RoleRow => {
        const name = i.group?.displayName ?? i.groupId;
        return {
          state: kind === 'eligibility' ? 'eligible' : 'active',
          targetKind: 'group',
          roleDefinitionId: i.accessId,
          roleDisplayName: `${i.accessId === 'owner' ? 'Owner' : 'Member'} of ${name}`,
          directoryScopeId: i.groupId,
          groupDisplayName: name,
          assignmentType: kind === 'assignment' ? capitalise(i.assignmentType ?? 'assigned') : null,
          memberType: capitalise(i.memberType),
          startDateTime: i.startDateTime,
          endDateTime: i.endDateTime,
        };
      };
      const rows = [
        ...(await Promise.all(eligible.map((i) => toRow('eligibility', i)))),
        ...(await Promise.all(active.map((i) => toRow('assignment', i)))),
        ...eligibleGroups.map((i) => toGroupRow('eligibility', i)),
        ...activeGroups.map((i) => toGroupRow('assignment', i)),
      ].sort((a, b) => a.roleDisplayName.localeCompare(b.roleDisplayName) || a.state.localeCompare(b.state));

      if (ctx.json) {
        ctx.printJson(rows);
        return;
      }
      if (rows.length === 0) {
        ctx.print('You have no eligible or active roles or group memberships.');
        return;
      }
      const now = ctx.now();
      ctx.print(
        formatTable(
          ['role', 'scope', 'type', 'member', 'start', 'end', 'time left'],
          rows.map((r) => [
            r.roleDisplayName,
            r.targetKind === 'group' ? 'group' : r.directoryScopeId,
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

const capitalise = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
