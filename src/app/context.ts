import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../core/model/principal.js';
import type { DB } from '../db/schema.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/ids.js';

/** What every use case may depend on; services take a narrow Pick of it. */
export interface AppDeps {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tenantId: string;
}

/** Who is calling, and the id that ties the call's audit records together. */
export interface CallContext {
  readonly actor: Actor;
  readonly requestId: string;
}

export type Executor = Kysely<DB> | Transaction<DB>;

/** The system actor for scheduler work, shown in audit as "Elevate PIM". */
export const systemActor: Actor = {
  id: '00000000-0000-0000-0000-000000000001',
  type: 'servicePrincipal',
  displayName: 'Elevate PIM',
  roleIds: new Set(),
  mfa: false,
  isSystem: true,
};
