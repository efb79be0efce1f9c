import { azureRoles } from '../contracts/azure-roles.js';
import { usageError } from './cli-error.js';
import type { RoleRef } from './role-names.js';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Azure resource scope (`/subscriptions/…`, `/providers/Microsoft.Management/managementGroups/…`). */
export const isResourceScope = (scope: string): boolean => /^\/(subscriptions|providers)(\/|$)/i.test(scope);

/** An Azure role by id, exact name (any case) or the start of exactly one name: Owner, Contributor, Reader, … */
export function resolveAzureRole(input: string): RoleRef {
  const text = input.trim();
  if (guidPattern.test(text)) {
    const id = text.toLowerCase();
    return { id, displayName: azureRoles.find((r) => r.id === id)?.roleName ?? id };
  }
  const wanted = text.toLowerCase();
  const exact = azureRoles.find((r) => r.roleName.toLowerCase() === wanted);
  const prefixed = azureRoles.filter((r) => r.roleName.toLowerCase().startsWith(wanted));
  const found = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  if (!found || text === '') {
    const names = azureRoles.map((r) => r.roleName).join(', ');
    throw usageError(
      prefixed.length > 1
        ? `'${input}' could mean ${prefixed.map((r) => r.roleName).join(', ')}; give more of the name or the role id`
        : `No Azure role is named '${input}'; give one of ${names}, or a role id`,
    );
  }
  return { id: found.id, displayName: found.roleName };
}
