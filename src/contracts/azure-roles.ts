/** The Azure built-in roles Elevate governs as resource roles (real ids), for clients that name roles. */
export { type AzureRoleDefinition, azureRoles, findAzureRole } from '../core/catalog/azure-roles.js';
