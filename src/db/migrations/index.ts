import type { Migration } from 'kysely';
import * as core from './2026-11-23T00-00-core.js';
import * as pimForGroups from './2026-12-01T00-00-pim-for-groups.js';
import * as signIn from './2026-12-02T00-00-sign-in.js';
import * as resourceRoles from './2026-12-04T00-00-resource-roles.js';
import * as oidcSignIn from './2026-12-08T00-00-oidc-sign-in.js';
import * as outbox from './2026-12-10T00-00-outbox.js';
import * as scimProvisioning from './2026-12-11T00-00-scim-provisioning.js';
import * as passkeysSessions from './2026-12-12T00-00-passkeys-sessions.js';
import * as accessChanges from './2026-12-20T00-00-access-changes.js';
import * as listIndexes from './2026-12-21T00-00-list-indexes.js';
import * as accountChanges from './2026-12-22T00-00-account-changes.js';
import * as dueWorkIndexes from './2026-12-23T00-00-due-work-indexes.js';

/** Every migration, in order. Frozen: add new files, never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-core': core,
  '2026-12-01T00-00-pim-for-groups': pimForGroups,
  '2026-12-02T00-00-sign-in': signIn,
  '2026-12-04T00-00-resource-roles': resourceRoles,
  '2026-12-08T00-00-oidc-sign-in': oidcSignIn,
  '2026-12-10T00-00-outbox': outbox,
  '2026-12-11T00-00-scim-provisioning': scimProvisioning,
  '2026-12-12T00-00-passkeys-sessions': passkeysSessions,
  '2026-12-20T00-00-access-changes': accessChanges,
  '2026-12-21T00-00-list-indexes': listIndexes,
  '2026-12-22T00-00-account-changes': accountChanges,
  '2026-12-23T00-00-due-work-indexes': dueWorkIndexes,
};
