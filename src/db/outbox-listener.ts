import pg from 'pg';
import type { Database } from './connect.js';
import { outboxNotifyChannel } from './repositories/outbox-repository.js';

/**
 * Calls `onCommit` whenever a transaction that published events commits — in this process or, on PostgreSQL,
 * in any instance (`pg_notify` inside the transaction is delivered at commit). PGlite listens on its one
 * session; PostgreSQL on a dedicated connection that reconnects after a loss (polling covers the gap).
 * Resolves with the function that stops listening.
 */
export async function listenForOutboxCommits(
  database: Database,
  databaseUrl: string | undefined,
  onCommit: () => void,
): Promise<() => Promise<void>> {
  if (database.withPglite) {
    const unlisten = await database.withPglite((pglite) => pglite.listen(outboxNotifyChannel, onCommit));
    return () => database.withPglite!(() => unlisten());
  }
  if (!databaseUrl) return async () => {};
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'elevate-outbox-listener' });
    c.on('notification', () => onCommit());
    c.on('error', () => {
      void c.end().catch(() => {});
      if (client === c) client = undefined;
      if (!stopped) {
        retry = setTimeout(() => void connect().catch(() => {}), 5_000);
        retry.unref();
      }
    });
    await c.connect();
    await c.query(`listen ${outboxNotifyChannel}`);
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
