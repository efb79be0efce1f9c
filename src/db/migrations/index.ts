import type { Migration } from 'kysely';
import * as core from './2026-11-23T00-00-core.js';
import * as pimForGroups from './2026-12-01T00-00-pim-for-groups.js';
import * as signIn from './2026-12-02T00-00-sign-in.js';
import * as resourceRoles from './2026-12-04T00-00-resource-roles.js';
import * as oidcSignIn from './2026-12-08T00-00-oidc-sign-in.js';

/** Every migration, in order. Frozen: add new files, never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-core': core,
  '2026-12-01T00-00-pim-for-groups': pimForGroups,
  '2026-12-02T00-00-sign-in': signIn,
  '2026-12-04T00-00-resource-roles': resourceRoles,
  '2026-12-08T00-00-oidc-sign-in': oidcSignIn,
};
