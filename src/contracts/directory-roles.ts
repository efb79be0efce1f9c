/** The built-in directory role catalogue (real Entra template ids), for clients that name roles. */
export {
  type BuiltInRoleDefinition,
  directoryRoles,
  findDirectoryRole,
} from '../core/catalog/directory-roles.js';
