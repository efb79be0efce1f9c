import type { Selectable, Transaction } from 'kysely';
import type { AuditModifiedProperty } from '../../core/audit/audit-record.js';
import { canManageRoleDefinitions, requirePermission } from '../../core/authorization/permissions.js';
import {
  type BuiltInRoleDefinition,
  directoryRoles,
  findDirectoryRole,
} from '../../core/catalog/directory-roles.js';
import { ElevateError, notFound } from '../../core/errors.js';
import type { CustomRoleDefinitionsTable, DB } from '../../db/schema.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import { changedProperties, directoryAudit } from './directory-audit.js';

/** A directory role definition, built-in (from the catalogue) or custom (a row). */
export interface RoleDefinition {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly isBuiltIn: boolean;
  readonly isEnabled: boolean;
  /** Entra's flag for built-ins; for custom roles, `isPrivilegedAction` over the role's actions. */
  readonly isPrivileged: boolean;
  readonly allowedResourceActions: readonly string[];
  /** Equal to `id`, for built-in and custom roles alike (as in Entra). */
  readonly templateId: string;
  readonly version: string | null;
}

export interface NewRoleDefinition {
  readonly displayName: string;
  readonly description?: string | null;
  readonly isEnabled?: boolean;
  readonly allowedResourceActions: readonly string[];
  /** Becomes the id, so a role can keep one id across tenants (Entra's use of a custom templateId). */
  readonly templateId?: string;
  readonly version?: string | null;
}

export type RoleDefinitionPatch = Partial<Omit<NewRoleDefinition, 'templateId'>> & {
  /** Refused unless equal to the id: the id cannot change. */
  readonly templateId?: string;
};

const roles = 'Privileged Role Administrator or Global Administrator';
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Areas whose write actions are sensitive. A custom role is privileged when any of its actions, other than
 * a read, falls under one: they let the holder grant roles, reset or re-register a person's credentials, or
 * sign in as an application. Entra computes `isPrivileged` from its own list of privileged permissions;
 * this rule agrees with the PRIVILEGED label on every built-in role it flags (tested).
 */
const privilegedAreas = [
  'microsoft.directory/roleAssignments/',
  'microsoft.directory/applications/credentials/',
  'microsoft.directory/servicePrincipals/credentials/',
  'microsoft.directory/users/password/',
  'microsoft.directory/users/authenticationMethods/',
].map((a) => a.toLowerCase());

/** True when `action` is a non-read action in a sensitive area (see `privilegedAreas`). */
export const isPrivilegedAction = (action: string): boolean => {
  const lower = action.toLowerCase();
  return !/read$/.test(lower) && privilegedAreas.some((area) => lower.startsWith(area));
};

// microsoft.directory/<resource>/<property…>/<verb>: segments are letters and digits (dots inside
// properties such as synchronization.cloudTenantToCloudTenant).
const actionPattern = /^microsoft\.directory\/[A-Za-z][A-Za-z0-9]*(\/[A-Za-z][A-Za-z0-9.]*)+$/;

/** Why a custom role may not hold `action`, or undefined. Entra allows only microsoft.directory actions. */
export function customActionProblem(action: string): string | undefined {
  if (!action.toLowerCase().startsWith('microsoft.directory/')) {
    const ns = action.split('/')[0] ?? action;
    return `rolePermissions.allowedResourceActions: '${action}' is in the '${ns}' namespace; custom directory roles may only use microsoft.directory actions.`;
  }
  if (!actionPattern.test(action)) {
    return `rolePermissions.allowedResourceActions: '${action}' must look like microsoft.directory/<resource>/<property…>/<verb>, e.g. microsoft.directory/users/basic/update.`;
  }
  return undefined;
}

const fromBuiltIn = (r: BuiltInRoleDefinition): RoleDefinition => ({
  id: r.id,
  displayName: r.displayName,
  description: r.description,
  isBuiltIn: true,
  isEnabled: true,
  isPrivileged: r.isPrivileged,
  allowedResourceActions: r.allowedResourceActions,
  templateId: r.id,
  version: '1',
});

const builtIns: readonly RoleDefinition[] = directoryRoles.map(fromBuiltIn);

const fromRow = (r: Selectable<CustomRoleDefinitionsTable>): RoleDefinition => ({
  id: r.id,
  displayName: r.display_name,
  description: r.description,
  isBuiltIn: false,
  isEnabled: r.is_enabled,
  isPrivileged: r.allowed_resource_actions.some(isPrivilegedAction),
  allowedResourceActions: r.allowed_resource_actions,
  templateId: r.id,
  version: r.version,
});

/** Role definitions: the built-in catalogue plus custom roles; role administrators change custom ones. */
export function createRoleDefinitionService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;

  const customRows = (ex: Executor) => ex.selectFrom('custom_role_definitions').selectAll();

  /** The role with this id (any case), or undefined; for validating a request's roleDefinitionId. */
  async function findRole(id: string): Promise<RoleDefinition | undefined> {
    const builtIn = findDirectoryRole(id);
    if (builtIn) return fromBuiltIn(builtIn);
    if (!guidPattern.test(id)) return undefined;
    const row = await customRows(db).where('id', '=', id.toLowerCase()).executeTakeFirst();
    return row && fromRow(row);
  }

  async function getRole(id: string): Promise<RoleDefinition> {
    const role = await findRole(id);
    if (!role) throw notFound('Role definition', id);
    return role;
  }

  async function getCustom(ctx: CallContext, id: string, what: string): Promise<RoleDefinition> {
    requirePermission(canManageRoleDefinitions(ctx.actor), `${what} role definitions`, roles);
    const role = await getRole(id);
    if (role.isBuiltIn) {
      throw new ElevateError(
        'request.invalid',
        `Built-in role definitions cannot be modified: '${role.displayName}' is built in. Create a custom role instead.`,
      );
    }
    return role;
  }

  /** Refuses a name another role has, built-in or custom, ignoring case (Entra keeps names unique). */
  async function assertNameFree(trx: Transaction<DB>, name: string, exceptId?: string) {
    const lower = name.toLowerCase();
    const builtIn = builtIns.find((r) => r.displayName.toLowerCase() === lower);
    const custom = await trx
      .selectFrom('custom_role_definitions')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['display_name']), '=', lower))
      .executeTakeFirst();
    const clash = builtIn ?? (custom && custom.id !== exceptId ? custom : undefined);
    if (clash) {
      throw new ElevateError(
        'request.invalid',
        `displayName: a role definition named '${name}' already exists${builtIn ? ' (built in)' : ''}; role names must be unique, ignoring case.`,
      );
    }
  }

  function checkActions(actions: readonly string[]) {
    if (actions.length === 0) {
      throw new ElevateError(
        'request.invalid',
        'rolePermissions: a custom role needs at least one allowedResourceActions entry.',
      );
    }
    const problems = actions.map(customActionProblem).filter((p) => p !== undefined);
    if (problems.length > 0) throw new ElevateError('request.invalid', problems.join(' '));
  }

  const target = (r: { id: string; displayName: string }) =>
    ({ id: r.id, displayName: r.displayName, type: 'Role' }) as const;

  return {
    findRole,
    getRole,

    /** Built-in roles (catalogue order) followed by custom roles. */
    async listRoles(): Promise<RoleDefinition[]> {
      const custom = (await customRows(db).orderBy('id').execute()).map(fromRow);
      return [...builtIns, ...custom];
    },

    async create(ctx: CallContext, input: NewRoleDefinition): Promise<RoleDefinition> {
      requirePermission(canManageRoleDefinitions(ctx.actor), 'create role definitions', roles);
      const actions = [...new Set(input.allowedResourceActions)];
      checkActions(actions);
      const id = (input.templateId ?? ids.newId()).toLowerCase();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await assertNameFree(trx, input.displayName);
        if (findDirectoryRole(id) || (await customRows(trx).where('id', '=', id).executeTakeFirst())) {
          throw new ElevateError(
            'request.invalid',
            `templateId: a role definition with id '${id}' already exists.`,
          );
        }
        await trx
          .insertInto('custom_role_definitions')
          .values({
            id,
            display_name: input.displayName,
            description: input.description ?? null,
            is_enabled: input.isEnabled ?? true,
            allowed_resource_actions: JSON.stringify(actions),
            version: input.version ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Add role definition',
            operationType: 'Add',
            target: target({ id, displayName: input.displayName }),
            modifiedProperties: [
              { displayName: 'RolePermissions', oldValue: null, newValue: JSON.stringify(actions) },
              { displayName: 'IsEnabled', oldValue: null, newValue: JSON.stringify(input.isEnabled ?? true) },
            ],
          }),
        ]);
      });
      return getRole(id);
    },

    async update(ctx: CallContext, id: string, patch: RoleDefinitionPatch): Promise<void> {
      const before = await getCustom(ctx, id, 'update');
      if (patch.templateId !== undefined && patch.templateId.toLowerCase() !== before.id) {
        throw new ElevateError('request.invalid', 'templateId cannot be changed after creation.');
      }
      const actions = patch.allowedResourceActions && [...new Set(patch.allowedResourceActions)];
      if (actions) checkActions(actions);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (patch.displayName !== undefined) await assertNameFree(trx, patch.displayName, before.id);
        await trx
          .updateTable('custom_role_definitions')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName }),
            ...(patch.description !== undefined && { description: patch.description }),
            ...(patch.isEnabled !== undefined && { is_enabled: patch.isEnabled }),
            ...(patch.version !== undefined && { version: patch.version }),
            ...(actions && { allowed_resource_actions: JSON.stringify(actions) }),
            updated_at: now,
          })
          .where('id', '=', before.id)
          .execute();
        const changed: AuditModifiedProperty[] = changedProperties(before, patch, [
          'displayName',
          'description',
          'isEnabled',
          'version',
        ] as const);
        if (actions && actions.join() !== before.allowedResourceActions.join()) {
          changed.push({
            displayName: 'RolePermissions',
            oldValue: JSON.stringify(before.allowedResourceActions),
            newValue: JSON.stringify(actions),
          });
        }
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Update role definition',
            operationType: 'Update',
            target: target(before),
            modifiedProperties: changed,
          }),
        ]);
      });
    },

    /** Refused while live schedules or pending requests use the role: they would point at nothing. */
    async remove(ctx: CallContext, id: string): Promise<void> {
      const before = await getCustom(ctx, id, 'delete');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const schedules = await trx
          .selectFrom('schedules')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('role_definition_id', '=', before.id)
          .where('status', 'in', ['Scheduled', 'Provisioned'])
          .executeTakeFirstOrThrow();
        const requests = await trx
          .selectFrom('schedule_requests')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('role_definition_id', '=', before.id)
          .where('status', 'like', 'Pending%')
          .executeTakeFirstOrThrow();
        const [s, r] = [Number(schedules.n), Number(requests.n)];
        if (s + r > 0) {
          throw new ElevateError(
            'request.invalid',
            `Role definition '${before.displayName}' is still used by ${s} live assignment(s) or eligibility(ies) and ${r} pending request(s); remove them first.`,
          );
        }
        await trx.deleteFrom('custom_role_definitions').where('id', '=', before.id).execute();
        await audit.append(trx, [
          directoryAudit(ctx, {
            id: ids.newId(),
            at: now,
            activity: 'Delete role definition',
            operationType: 'Delete',
            target: target(before),
          }),
        ]);
      });
    },
  };
}

export type RoleDefinitionService = ReturnType<typeof createRoleDefinitionService>;
