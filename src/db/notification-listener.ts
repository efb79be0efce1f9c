import pg from 'pg';

export interface NotificationHandlers {
  /** A notification arrived on the channel. */
  readonly onNotify: () => void;
  /**
   * The LISTEN connection is (again) in place: `first` on the first connect. Notifications sent while it was
   * down are lost, so a reader should catch up from its own record of changes now.
   */
  readonly onConnect: (first: boolean) => void;
}

const maxBackoffMs = 5_000;

/**
 * LISTEN on a PostgreSQL channel over one dedicated connection (outside the pool, which hands connections out
 * and back), reconnecting with back-off when the server or the network drops it, until `close()`.
 */
export function listenForNotifications(
  connectionString: string,
  channel: string,
  handlers: NotificationHandlers,
): { close(): Promise<void> } {
  let closed = false;
  let client: pg.Client | undefined;
  let connects = 0;
  let retry: NodeJS.Timeout | undefined;

  const schedule = (attempt: number) => {
    if (closed) return;
    retry = setTimeout(() => void connect(attempt + 1), Math.min(maxBackoffMs, 100 * 2 ** attempt));
    retry.unref();
  };

  async function connect(attempt: number): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: 'elevate-listen' });
    client = c;
    let dropped = false;
    const drop = (nextAttempt: number) => {
      if (dropped) return;
      dropped = true;
      c.removeAllListeners();
      c.on('error', () => {});
      void c.end().catch(() => {});
      schedule(nextAttempt);
    };
    c.on('error', () => drop(0));
    c.on('end', () => drop(0));
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotify();
    });
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await c.end();
        return;
      }
      handlers.onConnect(connects++ === 0);
    } catch {
      drop(attempt);
    }
  }

  void connect(0);
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
