import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import type { NotificationHandlers } from '../../db/notification-listener.js';
import type { DB } from '../../db/schema.js';
import { type AccessIndexSync, createAccessIndexSync } from './access-index-sync.js';
import { notifyOnCommit } from './notify-on-commit.js';

export interface WireAccessIndexOptions {
  /**
   * After this process's own index learned of a commit: what else must know before the write returns (in a
   * cluster, the other workers: src/cluster). Awaited by every write and transaction that wrote.
   */
  readonly afterCommit?: () => Promise<void>;
  /** `false`: do not load the index now but at its first use (a process that only seeds, then closes). */
  readonly load?: boolean;
}

/** The channel the database's access-change triggers notify (migration 2026-12-20). */
const accessChangesChannel = 'elevate_access_changes';

/**
 * The access index of this process, loaded now, and the database every use case must use so that the index
 * sees their commits before the next check (read-your-writes); other instances' commits arrive by LISTEN on
 * PostgreSQL, and a reconnect reloads the whole index (notifications sent while down are lost).
 */
export async function wireAccessIndex(
  database: {
    readonly db: Kysely<DB>;
    readonly listen?: (channel: string, handlers: NotificationHandlers) => void;
    readonly withPglite?: <T>(fn: (pglite: PGlite) => Promise<T>) => Promise<T>;
  },
  options: WireAccessIndexOptions = {},
): Promise<{ db: Kysely<DB>; accessIndex: AccessIndexSync }> {
  const accessIndex = createAccessIndexSync(database.db);
  const afterCommit = options.afterCommit;
  const db = notifyOnCommit(
    database.db,
    afterCommit
      ? () => {
          accessIndex.changed();
          return afterCommit();
        }
      : accessIndex.changed,
  );
  database.listen?.(accessChangesChannel, {
    onNotify: accessIndex.changed,
    onConnect: (first) => (first ? accessIndex.changed() : accessIndex.reload()),
  });
  // Embedded: the one session also notifies itself, which covers writes that bypass `db` (raw SQL, tests).
  await database.withPglite?.((pglite) => pglite.listen(accessChangesChannel, accessIndex.changed));
  if (options.load !== false) await accessIndex.fresh();
  return { db, accessIndex };
}
