import type { Transaction } from 'kysely';
import type { AuditModifiedProperty, AuditRecord, AuditTargetType } from '../../core/audit/audit-record.js';
import {
  canManageGroup,
  canManageGroupMembers,
  canManageRoleAssignments,
  requirePermission,
} from '../../core/authorization/permissions.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { PrincipalType } from '../../core/model/principal.js';
import { groupRelations, isPimManaged, isRelated } from '../../db/repositories/membership-repository.js';
import { findPrincipal } from '../../db/repositories/principal-repository.js';
import type { DB, GroupRow, UserRow } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { changedProperties, directoryAudit } from './directory-audit.js';
import {
  revokeLiveSchedules,
  type ServicePrincipal,
  type ServicePrincipalService,
} from './service-principal-service.js';
import type { User } from './user-service.js';

export interface Group {
  readonly id: string;
  readonly displayName: string;
  readonly mailNickname: string;
  readonly description: string | null;
  readonly securityEnabled: boolean;
  readonly mailEnabled: boolean;
  readonly isAssignableToRole: boolean;
  /** `['Unified']` for a Microsoft 365 group, `[]` for a security group (see `groupTypesOf`). */
  readonly groupTypes: readonly string[];
  readonly createdDateTime: Date;
}

/** A directory object named in a request; `type` is set when the URL said which kind it must be. */
export interface DirectoryObjectRef {
  readonly id: string;
  readonly type?: PrincipalType;
}

export interface NewGroup {
  readonly displayName: string;
  readonly mailNickname: string;
  readonly description?: string | null;
  readonly securityEnabled: boolean;
  readonly mailEnabled: boolean;
  readonly isAssignableToRole?: boolean;
  readonly groupTypes?: readonly string[];
  readonly members?: readonly DirectoryObjectRef[];
  readonly owners?: readonly DirectoryObjectRef[];
}

export interface GroupPatch {
  readonly displayName?: string;
  readonly mailNickname?: string;
  readonly description?: string | null;
  readonly securityEnabled?: boolean;
  /** Fixed at creation, like `groupTypes` and `isAssignableToRole`; present only to be refused clearly. */
  readonly mailEnabled?: boolean;
  readonly groupTypes?: readonly string[];
  readonly isAssignableToRole?: boolean;
}

export type GroupRelationship = 'member' | 'owner';

/** A member or owner, as Graph's directoryObject collections return it. */
export type DirectoryObject =
  | { readonly type: 'user'; readonly user: User }
  | { readonly type: 'group'; readonly group: Group }
  | { readonly type: 'servicePrincipal'; readonly servicePrincipal: ServicePrincipal };

/**
 * Graph creates only security groups (`groupTypes: []`, mail disabled) and Microsoft 365 groups
 * (`['Unified']`, mail enabled), so the group type follows from `mailEnabled` and needs no column.
 */
export const groupTypesOf = (mailEnabled: boolean): string[] => (mailEnabled ? ['Unified'] : []);

const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  displayName: r.display_name,
  mailNickname: r.mail_nickname,
  description: r.description,
  securityEnabled: r.security_enabled,
  mailEnabled: r.mail_enabled,
  isAssignableToRole: r.is_assignable_to_role,
  groupTypes: groupTypesOf(r.mail_enabled),
  createdDateTime: r.created_at,
});

// user-service keeps its mapper private; this one must list every User field, so the compiler keeps it in step.
const toUser = (r: UserRow): User => ({
  id: r.id,
  userPrincipalName: r.user_principal_name,
  displayName: r.display_name,
  mail: r.mail,
  givenName: r.given_name,
  surname: r.surname,
  jobTitle: r.job_title,
  accountEnabled: r.account_enabled,
  isEmergencyAccess: r.is_emergency_access,
  createdDateTime: r.created_at,
});

const auditType: Record<PrincipalType, AuditTargetType> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'ServicePrincipal',
};
const adminRoles = (g: { isAssignableToRole: boolean }) =>
  g.isAssignableToRole
    ? 'Privileged Role Administrator or Global Administrator (the group is role-assignable)'
    : 'Groups Administrator, User Administrator, Privileged Role Administrator or Global Administrator';

/** Groups, their members and owners; role-assignable groups are changed only by role administrators. */
export function createGroupService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & {
    audit: AuditWriter;
    servicePrincipals: Pick<ServicePrincipalService, 'listByIds'>;
  },
) {
  const { db, clock, ids, audit } = deps;

  async function get(id: string): Promise<Group> {
    const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Group', id);
    return toGroup(row);
  }

  /** Whether the principal owns the group now: statically, or through an active PIM for Groups ownership. */
  async function isOwner(groupId: string, principalId: string): Promise<boolean> {
    return isRelated(db, { groupId, principalId, relationship: 'owner', at: clock.now() });
  }

  /** Adds one member or owner inside `trx`, refusing what Entra refuses; returns its audit record. */
  async function link(
    ctx: CallContext,
    trx: Transaction<DB>,
    args: { group: Group; relationship: GroupRelationship; ref: DirectoryObjectRef; now: Date },
  ): Promise<AuditRecord> {
    const { group, relationship, ref, now } = args;
    const object = await describeObject(trx, ref);
    const problem = linkProblem(group, relationship, object);
    if (problem) throw new ElevateError('request.invalid', problem);
    const existing = await trx
      .selectFrom('group_relationships')
      .select('principal_id')
      .where('group_id', '=', group.id)
      .where('relationship', '=', relationship)
      .where('principal_id', '=', object.id)
      .executeTakeFirst();
    if (existing) {
      throw new ElevateError(
        'request.invalid',
        `One or more added object references already exist for the following modified properties: '${relationship}s'.`,
      );
    }
    await trx
      .insertInto('group_relationships')
      .values({
        group_id: group.id,
        relationship,
        principal_id: object.id,
        principal_type: object.type,
        created_at: now,
      })
      .execute();
    return relationshipAudit(ctx, { group, relationship, object, now, change: 'Add' });
  }

  function relationshipAudit(
    ctx: CallContext,
    e: {
      group: Group;
      relationship: GroupRelationship;
      object: DescribedObject;
      now: Date;
      change: 'Add' | 'Remove';
    },
  ): AuditRecord {
    // As Entra logs it: the member is the target, the group's id and name its modified properties.
    const groupProps = (value: string) =>
      e.change === 'Add' ? { oldValue: null, newValue: value } : { oldValue: value, newValue: null };
    return directoryAudit(ctx, {
      id: ids.newId(),
      at: e.now,
      activity: `${e.change} ${e.relationship} ${e.change === 'Add' ? 'to' : 'from'} group`,
      operationType: e.change === 'Add' ? 'Assign' : 'Unassign',
      category: 'GroupManagement',
      target: {
        id: e.object.id,
        displayName: e.object.displayName,
        type: auditType[e.object.type],
        ...(e.object.userPrincipalName ? { userPrincipalName: e.object.userPrincipalName } : {}),
      },
      modifiedProperties: [
        { displayName: 'Group.ObjectID', ...groupProps(JSON.stringify(e.group.id)) },
        { displayName: 'Group.DisplayName', ...groupProps(JSON.stringify(e.group.displayName)) },
      ],
      related: [{ id: e.group.id, displayName: e.group.displayName, type: 'Group' }],
    });
  }

  /**
   * Ownership is not a back door (issue 3): once PIM governs a group's membership and ownership, only Privileged
   * Role Administrators and Global Administrators change them outside a schedule request — owners, Groups and
   * User Administrators must ask PIM, so nobody makes themselves or others a standing member.
   */
  async function assertNotPimManaged(ctx: CallContext, group: Group, relationship: GroupRelationship) {
    if (canManageRoleAssignments(ctx.actor) || !(await isPimManaged(db, group.id))) return;
    const requests = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
    throw new ElevateError(
      'auth.forbidden',
      `The ${relationship}s of group '${group.displayName}' are managed by PIM (Privileged Identity Management for Groups); use a schedule request (POST ${requests} with accessId '${relationship}', or eligibilityScheduleRequests), or ask a Privileged Role Administrator or Global Administrator.`,
    );
  }

  async function assertMayChange(ctx: CallContext, group: Group, relationship: GroupRelationship) {
    const what = `change the ${relationship}s of group '${group.displayName}'`;
    if (relationship === 'owner') {
      requirePermission(canManageGroup(ctx.actor, group), what, adminRoles(group));
    } else {
      const owner = !group.isAssignableToRole && (await isOwner(group.id, ctx.actor.id));
      requirePermission(
        canManageGroupMembers(ctx.actor, group, owner),
        what,
        group.isAssignableToRole ? adminRoles(group) : `${adminRoles(group)}, or an owner of the group`,
      );
    }
    await assertNotPimManaged(ctx, group, relationship);
  }

  return {
    get,
    isOwner,
    async list(): Promise<Group[]> {
      return (await db.selectFrom('groups').selectAll().orderBy('id').execute()).map(toGroup);
    },

    /** Creates a group with its first members and owners in one transaction, each change audited. */
    async create(ctx: CallContext, input: NewGroup): Promise<Group> {
      const isAssignableToRole = input.isAssignableToRole ?? false;
      requirePermission(
        canManageGroup(ctx.actor, { isAssignableToRole }),
        isAssignableToRole ? 'create role-assignable groups' : 'create groups',
        adminRoles({ isAssignableToRole }),
      );
      const problem = creationProblem({ ...input, isAssignableToRole });
      if (problem) throw new ElevateError('request.invalid', problem);
      const now = clock.now();
      const group: Group = {
        id: ids.newId(),
        displayName: input.displayName,
        mailNickname: input.mailNickname,
        description: input.description ?? null,
        securityEnabled: input.securityEnabled,
        mailEnabled: input.mailEnabled,
        isAssignableToRole,
        groupTypes: groupTypesOf(input.mailEnabled),
        createdDateTime: now,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('groups')
          .values({
            id: group.id,
            display_name: group.displayName,
            mail_nickname: group.mailNickname,
            description: group.description,
            security_enabled: group.securityEnabled,
            mail_enabled: group.mailEnabled,
            is_assignable_to_role: isAssignableToRole,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const records = [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Add group',
            operationType: 'Add',
            target: { id: group.id, displayName: group.displayName, type: 'Group' },
            modifiedProperties: [
              {
                displayName: 'IsAssignableToRole',
                oldValue: null,
                newValue: JSON.stringify(isAssignableToRole),
              },
            ],
          }),
        ];
        for (const ref of input.owners ?? [])
          records.push(await link(ctx, trx, { group, relationship: 'owner', ref, now }));
        for (const ref of input.members ?? [])
          records.push(await link(ctx, trx, { group, relationship: 'member', ref, now }));
        await audit.append(trx, records);
      });
      return get(group.id);
    },

    async update(ctx: CallContext, id: string, patch: GroupPatch): Promise<void> {
      const before = await get(id);
      requirePermission(
        canManageGroup(ctx.actor, before),
        `update group '${before.displayName}'`,
        adminRoles(before),
      );
      const problem = updateProblem(before, patch);
      if (problem) throw new ElevateError('request.invalid', problem);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('groups')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(patch.mailNickname !== undefined && { mail_nickname: patch.mailNickname }),
            ...(patch.description !== undefined && { description: patch.description }),
            ...(patch.securityEnabled !== undefined && { security_enabled: patch.securityEnabled }),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        const changed: AuditModifiedProperty[] = changedProperties(before, patch, [
          'displayName',
          'mailNickname',
          'description',
          'securityEnabled',
        ] as const);
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Update group',
            operationType: 'Update',
            target: { id, displayName: before.displayName, type: 'Group' },
            modifiedProperties: changed,
          }),
        ]);
      });
    },

    /** Deletes the group, its memberships (both ways) and ends the schedules it holds as a principal. */
    async remove(ctx: CallContext, id: string): Promise<void> {
      const before = await get(id);
      requirePermission(
        canManageGroup(ctx.actor, before),
        `delete group '${before.displayName}'`,
        adminRoles(before),
      );
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('group_relationships')
          .where((eb) => eb.or([eb('group_id', '=', id), eb('principal_id', '=', id)]))
          .execute();
        await revokeLiveSchedules(trx, id, now);
        await revokeGroupTargetSchedules(trx, id, now);
        await trx.deleteFrom('groups').where('id', '=', id).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Delete group',
            operationType: 'Delete',
            target: { id, displayName: before.displayName, type: 'Group' },
          }),
        ]);
      });
    },

    /**
     * Direct members or owners of a group now, each as the full object it is: static ones and those made by an
     * active PIM for Groups assignment or activation (Entra lists those too; an eligibility is not listed).
     */
    async listRelated(groupId: string, relationship: GroupRelationship): Promise<DirectoryObject[]> {
      await get(groupId);
      const rows = await groupRelations(db, { relationship, at: clock.now(), groupIds: [groupId] });
      const idsOf = (type: PrincipalType) =>
        rows.filter((r) => r.principalType === type).map((r) => r.principalId);
      const [users, groups, sps] = [idsOf('user'), idsOf('group'), idsOf('servicePrincipal')];
      return [
        ...(users.length
          ? await db.selectFrom('users').selectAll().where('id', 'in', users).execute()
          : []
        ).map((r) => ({ type: 'user', user: toUser(r) }) as const),
        ...(groups.length
          ? await db.selectFrom('groups').selectAll().where('id', 'in', groups).execute()
          : []
        ).map((r) => ({ type: 'group', group: toGroup(r) }) as const),
        ...(await deps.servicePrincipals.listByIds(sps)).map(
          (sp) => ({ type: 'servicePrincipal', servicePrincipal: sp }) as const,
        ),
      ];
    },

    /** Groups the principal is a direct member of now, statically or through PIM (Graph's memberOf, groups only). */
    async memberOf(principalId: string): Promise<Group[]> {
      const groupIds = (
        await groupRelations(db, { relationship: 'member', at: clock.now(), principalIds: [principalId] })
      ).map((r) => r.groupId);
      if (groupIds.length === 0) return [];
      const rows = await db
        .selectFrom('groups')
        .selectAll()
        .where('id', 'in', groupIds)
        .orderBy('id')
        .execute();
      return rows.map(toGroup);
    },

    /** Adds a member or owner: role administrators, or (members of other groups) the group's owners. */
    async addRelated(
      ctx: CallContext,
      groupId: string,
      relationship: GroupRelationship,
      ref: DirectoryObjectRef,
    ): Promise<void> {
      const group = await get(groupId);
      await assertMayChange(ctx, group, relationship);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const record = await link(ctx, trx, { group, relationship, ref, now });
        await audit.append(trx, [record]);
      });
    },

    async removeRelated(
      ctx: CallContext,
      groupId: string,
      relationship: GroupRelationship,
      principalId: string,
    ): Promise<void> {
      const group = await get(groupId);
      await assertMayChange(ctx, group, relationship);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('group_relationships')
          .select(['principal_id', 'principal_type'])
          .where('group_id', '=', groupId)
          .where('relationship', '=', relationship)
          .where('principal_id', '=', principalId)
          .executeTakeFirst();
        if (!row) {
          const viaPim = await isRelated(trx, { groupId, principalId, relationship, at: now });
          if (viaPim) {
            throw new ElevateError(
              'request.invalid',
              `'${principalId}' is a ${relationship} of group '${group.displayName}' through PIM, not a static ${relationship}; end it with an adminRemove schedule request (accessId '${relationship}') or let it expire.`,
            );
          }
          throw notFound(`A ${relationship} of group '${group.displayName}' with id`, principalId);
        }
        const object = await describeObject(trx, { id: principalId, type: row.principal_type });
        await trx
          .deleteFrom('group_relationships')
          .where('group_id', '=', groupId)
          .where('relationship', '=', relationship)
          .where('principal_id', '=', principalId)
          .execute();
        await audit.append(trx, [
          relationshipAudit(ctx, { group, relationship, object, now, change: 'Remove' }),
        ]);
      });
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;

interface DescribedObject {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
  readonly userPrincipalName?: string;
}

const typeNames: Record<PrincipalType, string> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'Service principal',
};

/**
 * Ends the PIM for Groups schedules of a group being deleted (its members', owners' and eligible ones), as
 * revokeLiveSchedules ends the schedules a deleted principal holds.
 */
async function revokeGroupTargetSchedules(trx: Transaction<DB>, groupId: string, now: Date): Promise<void> {
  // Started and not yet ended: they end now.
  await trx
    .updateTable('schedules')
    .set({ status: 'Revoked', end_at: now, modified_at: now })
    .where('target_kind', '=', 'group')
    .where('scope_id', '=', groupId)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .where('start_at', '<', now)
    .where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', now)]))
    .execute();
  // Not yet started, or already past their end: only the status changes.
  await trx
    .updateTable('schedules')
    .set({ status: 'Revoked', modified_at: now })
    .where('target_kind', '=', 'group')
    .where('scope_id', '=', groupId)
    .where('status', 'in', ['Scheduled', 'Provisioned'])
    .execute();
}

/** The object a reference names; unknown ids, and ids of another kind than the URL said, are not found. */
async function describeObject(trx: Transaction<DB>, ref: DirectoryObjectRef): Promise<DescribedObject> {
  const found = await findPrincipal(trx, ref.id);
  if (!found || (ref.type && found.type !== ref.type)) {
    throw notFound(ref.type ? typeNames[ref.type] : 'Directory object', ref.id);
  }
  if (found.type !== 'user') return { id: found.id, type: found.type, displayName: found.displayName };
  const user = await trx
    .selectFrom('users')
    .select('user_principal_name')
    .where('id', '=', found.id)
    .executeTakeFirstOrThrow();
  return {
    id: found.id,
    type: 'user',
    displayName: found.displayName,
    userPrincipalName: user.user_principal_name,
  };
}

/** Why `object` cannot become a member or owner of `group`, or undefined when it can. */
function linkProblem(
  group: Group,
  relationship: GroupRelationship,
  object: DescribedObject,
): string | undefined {
  if (object.id === group.id) return `Group '${group.displayName}' cannot be its own ${relationship}.`;
  if (relationship === 'owner' && object.type === 'group') {
    return `Group '${object.displayName}' cannot own a group: owners must be users or service principals.`;
  }
  // Entra: "Group nesting isn't supported. A group can't be added as a member of a role-assignable group."
  if (relationship === 'member' && object.type === 'group' && group.isAssignableToRole) {
    return `Role-assignable group '${group.displayName}' cannot contain other groups (Entra does not support nesting groups in role-assignable groups); add '${object.displayName}''s members directly.`;
  }
  return undefined;
}

/** Entra's rules for a new group's flags; undefined when they hold. */
function creationProblem(g: {
  securityEnabled: boolean;
  mailEnabled: boolean;
  isAssignableToRole: boolean;
  groupTypes?: readonly string[];
}): string | undefined {
  const unified = (g.groupTypes ?? []).includes('Unified');
  if (g.isAssignableToRole && (!g.securityEnabled || g.mailEnabled)) {
    return `A role-assignable group (isAssignableToRole true) must have securityEnabled true and mailEnabled false, as Entra requires; got securityEnabled ${g.securityEnabled} and mailEnabled ${g.mailEnabled}.`;
  }
  if (unified && !g.mailEnabled) {
    return "A Microsoft 365 group (groupTypes ['Unified']) must have mailEnabled true.";
  }
  if (!unified && g.mailEnabled) {
    return "mailEnabled true needs groupTypes ['Unified']: mail-enabled security groups and distribution groups cannot be created through Graph.";
  }
  if (!unified && !g.securityEnabled) {
    return "A group without groupTypes ['Unified'] is a security group and needs securityEnabled true.";
  }
  return undefined;
}

/** What a PATCH may not change; undefined when the patch is allowed. */
function updateProblem(before: Group, patch: GroupPatch): string | undefined {
  if (patch.isAssignableToRole !== undefined) return 'isAssignableToRole cannot be changed after creation.';
  const sameTypes = patch.groupTypes === undefined || patch.groupTypes.join() === before.groupTypes.join();
  if ((patch.mailEnabled !== undefined && patch.mailEnabled !== before.mailEnabled) || !sameTypes) {
    return 'mailEnabled and groupTypes cannot be changed after creation.';
  }
  if (
    patch.securityEnabled === false &&
    (before.isAssignableToRole || !before.groupTypes.includes('Unified'))
  ) {
    return before.isAssignableToRole
      ? 'A role-assignable group must stay securityEnabled true, as Entra requires.'
      : 'A security group (groupTypes []) must stay securityEnabled true.';
  }
  return undefined;
}
