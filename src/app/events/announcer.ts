import type { Transaction } from 'kysely';
import type { Actor } from '../../core/model/principal.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../context.js';
import type { EventPublisher } from '../outbox/event-publisher.js';
import { createPimEventBuilder, type PimEventSpec } from './pim-events.js';

/**
 * What use cases call to tell the world about a change: builds the PimEvents (names, mail) and publishes them,
 * both in the change's transaction — so the deliveries commit with it, or roll back with it.
 */
export interface Announcer {
  announce(trx: Transaction<DB>, actor: Actor, at: Date, specs: readonly PimEventSpec[]): Promise<void>;
}

export function createAnnouncer(
  deps: Pick<AppDeps, 'ids' | 'tenantId'> & { events: EventPublisher },
): Announcer {
  const build = createPimEventBuilder(deps);
  return {
    async announce(trx, actor, at, specs) {
      if (specs.length === 0) return;
      await deps.events.publish(trx, await build(trx, actor, at, specs));
    },
  };
}

/** Announces nothing: the default of services built without an outbox. */
export const silentAnnouncer: Announcer = { announce: async () => {} };
