import { directoryRoles, findDirectoryRole } from '../contracts/directory-roles.js';
import type { ElevateClient } from '../contracts/elevate-client.js';
import { usageError } from './cli-error.js';

export interface RoleRef {
  readonly id: string;
  readonly displayName: string;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Role names ↔ ids, from the built-in catalogue first; custom roles are fetched from the server only when
 * the catalogue does not know a name or id.
 */
export function roleNames(client: Pick<ElevateClient, 'listRoleDefinitions'>) {
  let custom: Promise<RoleRef[]> | undefined;
  const customRoles = () => {
    custom ??= client
      .listRoleDefinitions()
      .then((all) =>
        all.filter((r) => !r.isBuiltIn).map((r) => ({ id: r.id.toLowerCase(), displayName: r.displayName })),
      )
      .catch(() => []);
    return custom;
  };

  function match(input: string, roles: readonly RoleRef[]): RoleRef | undefined {
    const wanted = input.trim().toLowerCase();
    const exact = roles.find((r) => r.displayName.toLowerCase() === wanted);
    if (exact) return exact;
    const prefixed = roles.filter((r) => r.displayName.toLowerCase().startsWith(wanted));
    if (prefixed.length > 1) {
      const shown = prefixed.slice(0, 8).map((r) => r.displayName);
      const more = prefixed.length > shown.length ? `, and ${prefixed.length - shown.length} more` : '';
      throw usageError(
        `'${input}' could mean ${shown.join(', ')}${more}; give more of the name or the role id`,
      );
    }
    return prefixed[0];
  }

  return {
    /** A role id, an exact display name (any case) or the start of exactly one role's name. */
    async resolve(input: string): Promise<RoleRef> {
      if (input.trim() === '') throw usageError('ROLE must not be empty');
      if (guidPattern.test(input.trim())) {
        const id = input.trim().toLowerCase();
        return { id, displayName: await this.name(id) };
      }
      const found = match(input, directoryRoles) ?? match(input, await customRoles());
      if (!found) {
        throw usageError(
          `No directory role is named '${input}' or starts with it; give the display name (e.g. 'Helpdesk Administrator') or the role id`,
        );
      }
      return { id: found.id, displayName: found.displayName };
    },

    /** The display name of a role id, or the id itself when nobody knows it. */
    async name(id: string): Promise<string> {
      const builtIn = findDirectoryRole(id);
      if (builtIn) return builtIn.displayName;
      return (await customRoles()).find((r) => r.id === id.toLowerCase())?.displayName ?? id;
    },
  };
}
