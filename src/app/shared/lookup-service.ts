import { findDirectoryRole } from '../../core/catalog/directory-roles.js';
import type { PrincipalType } from '../../core/model/principal.js';
import type { Schedule } from '../../core/model/schedule.js';
import { findPrincipal } from '../../db/repositories/principal-repository.js';
import { findRoleDefinition } from '../../db/repositories/role-lookup.js';
import { getSchedule } from '../../db/repositories/schedule-repository.js';
import type { AppDeps } from '../context.js';

export interface PrincipalSummary {
  readonly id: string;
  readonly type: PrincipalType;
  readonly displayName: string;
  readonly userPrincipalName: string | null;
}

export interface RoleSummary {
  readonly id: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly isBuiltIn: boolean;
  readonly isEnabled: boolean;
  readonly isPrivileged: boolean;
  readonly allowedResourceActions: readonly string[];
}

/** Read-only lookups the adapters use to expand navigations ($expand=principal, roleDefinition, activatedUsing). */
export function createLookupService(deps: Pick<AppDeps, 'db'>) {
  const { db } = deps;
  return {
    async principal(id: string): Promise<PrincipalSummary | undefined> {
      const p = await findPrincipal(db, id);
      if (!p) return undefined;
      const upn =
        p.type === 'user'
          ? ((
              await db
                .selectFrom('users')
                .select('user_principal_name')
                .where('id', '=', id)
                .executeTakeFirst()
            )?.user_principal_name ?? null)
          : null;
      return { id: p.id, type: p.type, displayName: p.displayName, userPrincipalName: upn };
    },
    async role(id: string): Promise<RoleSummary | undefined> {
      const builtIn = findDirectoryRole(id);
      if (builtIn) {
        return { ...builtIn, isBuiltIn: true, isEnabled: true, description: builtIn.description };
      }
      const ref = await findRoleDefinition(db, id);
      if (!ref) return undefined;
      const row = await db
        .selectFrom('custom_role_definitions')
        .select(['description', 'allowed_resource_actions'])
        .where('id', '=', ref.id)
        .executeTakeFirstOrThrow();
      return {
        id: ref.id,
        displayName: ref.displayName,
        description: row.description,
        isBuiltIn: false,
        isEnabled: ref.isEnabled,
        isPrivileged: false,
        allowedResourceActions: row.allowed_resource_actions as string[],
      };
    },
    schedule: (id: string): Promise<Schedule | undefined> => getSchedule(db, id),
  };
}

export type LookupService = ReturnType<typeof createLookupService>;
