import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { openDatabase } from './connect.js';
import { acquireLockFile } from './lock-file.js';
import { migrateToLatest, staticMigrations } from './migrate.js';
import { migrations } from './migrations/index.js';

/** Tables these tests make for themselves, independent of the product schema. */
interface ProbeDB {
  probe: { id: Generated<number>; label: string };
  counter: { id: number; n: number };
  typed: { id: number; at: Date; doc: string; amount: number; day: string; lasting: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('openDatabase', (ctx) => {
  const probe = () => ctx.db.db as unknown as Kysely<ProbeDB>;

  it('starts from the migrated template', async () => {
    const { n } = await ctx.db.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBe(0);
  });

  it('keeps a query issued during a transaction out of that transaction', async () => {
    const db = probe();
    await sql`create table probe (id serial primary key, label text not null)`.execute(db);

    let outside: Promise<{ seenUncommitted: number }> | undefined;
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('probe').values({ label: 'inside' }).execute();
      // Not awaited here: on PGlite it must wait for this transaction; on PostgreSQL it runs beside it.
      outside = (async () => {
        await db.insertInto('probe').values({ label: 'outside' }).execute();
        const { n } = await db
          .selectFrom('probe')
          .where('label', '=', 'inside')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return { seenUncommitted: n };
      })();
      await sleep(50);
      throw new Error('roll back');
    });

    await expect(transaction).rejects.toThrow('roll back');
    expect(await outside).toEqual({ seenUncommitted: 0 });
    const labels = await db.selectFrom('probe').select('label').execute();
    expect(labels).toEqual([{ label: 'outside' }]);
  });

  it('serialises 50 concurrent read-modify-write transactions', async () => {
    const db = probe();
    await sql`create table counter (id int primary key, n int not null)`.execute(db);
    await db.insertInto('counter').values({ id: 1, n: 0 }).execute();

    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction().execute(async (trx) => {
          const { n } = await trx
            .selectFrom('counter')
            .where('id', '=', 1)
            .select('n')
            .forUpdate()
            .executeTakeFirstOrThrow();
          await trx
            .updateTable('counter')
            .set({ n: n + 1 })
            .where('id', '=', 1)
            .execute();
        }),
      ),
    );

    const { n } = await db.selectFrom('counter').select('n').executeTakeFirstOrThrow();
    expect(n).toBe(50);
  });

  it('returns count(*), int8 and numeric as numbers', async () => {
    const { rows } = await sql<{ count: unknown; big: unknown; amount: unknown; ids: unknown }>`
      select count(*) as count, 9007199254740991::int8 as big, 12.50::numeric as amount,
             array[1, 2]::int8[] as ids
      from (values (1), (2), (3)) as v(x)`.execute(ctx.db.db);
    expect(rows).toEqual([{ count: 3, big: 9007199254740991, amount: 12.5, ids: [1, 2] }]);
  });

  it('refuses an int8 a JavaScript number cannot hold exactly', async () => {
    await expect(sql`select 9007199254740993::int8 as big`.execute(ctx.db.db)).rejects.toThrow(
      'does not fit in a JavaScript number',
    );
  });

  it('round-trips timestamptz as Date, jsonb as a value, uuid, date and interval as text', async () => {
    const db = probe();
    await sql`create table typed (id int primary key, at timestamptz not null, doc jsonb not null,
      amount numeric not null, day date not null, lasting interval not null)`.execute(db);
    const at = new Date('2026-11-23T10:15:30.123Z');
    const doc = { roles: ['Global Administrator'], nested: { n: 1, ok: true, none: null } };
    await db
      .insertInto('typed')
      .values({ id: 1, at, doc: JSON.stringify(doc), amount: 0.25, day: '2026-11-23', lasting: 'PT8H' })
      .execute();

    const row = await db.selectFrom('typed').selectAll().executeTakeFirstOrThrow();
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at.toISOString()).toBe(at.toISOString());
    expect(row.doc).toEqual(doc);
    expect(row.amount).toBe(0.25);
    expect(row.day).toBe('2026-11-23');
    expect(row.lasting).toBe('08:00:00');

    const { rows } = await sql<{
      id: unknown;
    }>`select '0190a8a2-7f9e-7c3a-9b1e-5f0a3c2d4e6f'::uuid as id`.execute(db);
    expect(rows[0]?.id).toBe('0190a8a2-7f9e-7c3a-9b1e-5f0a3c2d4e6f');
  });

  it('runs parameterless multi-statement SQL', async () => {
    const db = probe();
    await sql`create table probe (id int primary key, label text not null);
      insert into probe values (1, 'a'); insert into probe values (2, 'b')`.execute(db);
    expect(await db.selectFrom('probe').select('label').orderBy('id').execute()).toEqual([
      { label: 'a' },
      { label: 'b' },
    ]);
  });

  it('reports affected rows', async () => {
    const db = probe();
    await sql`create table probe (id int primary key, label text not null)`.execute(db);
    await db
      .insertInto('probe')
      .values([
        { id: 1, label: 'a' },
        { id: 2, label: 'b' },
      ])
      .execute();
    const [result] = await db.updateTable('probe').set({ label: 'c' }).execute();
    expect(result?.numUpdatedRows).toBe(2n);
  });

  it('names the migration that failed and keeps none of it', async () => {
    const broken = staticMigrations({
      ...migrations,
      '9999-01-01T00-00-broken': {
        up: async (db) => {
          await sql`create table half_done (id int)`.execute(db);
          await sql`select * from no_such_table`.execute(db);
        },
      },
    });
    await expect(migrateToLatest(ctx.db.db, broken)).rejects.toThrow(
      /^Migration 9999-01-01T00-00-broken failed: .*no_such_table/,
    );
    const { rows } = await sql<{
      name: string | null;
    }>`select to_regclass('half_done')::text as name`.execute(ctx.db.db);
    expect(rows).toEqual([{ name: null }]);
  });

  it('is up to date after migrateToLatest runs again', async () => {
    await migrateToLatest(ctx.db.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(ctx.db.db);
    expect(rows[0]?.n).toBe(Object.keys(migrations).length);
  });

  if (ctx.kind === 'pglite') {
    it('runs raw PGlite work under the same lock as transactions', async () => {
      const order: string[] = [];
      const transaction = ctx.db.db.transaction().execute(async (trx) => {
        order.push('tx-begin');
        void ctx.db.withPglite!(async (pglite) => {
          order.push('raw');
          await pglite.query('select 1');
        });
        await sleep(20);
        await sql`select 1`.execute(trx);
        order.push('tx-end');
      });
      await transaction;
      await ctx.db.withPglite!(async () => {});
      expect(order).toEqual(['tx-begin', 'tx-end', 'raw']);
    });
  }
});

describe('the data directory lock', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'elevate-lock-test-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second open of the same data directory until the first is closed', async () => {
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        `The data directory ${dataDir} is in use by process ${process.pid} (started `,
      );
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        'Stop it or set ELEVATE_DATA_DIR to another directory.',
      );
    } finally {
      await first.close();
    }
    await expect(readFile(join(dataDir, 'elevate.lock'))).rejects.toThrow('ENOENT');

    const again = await openDatabase({ dataDir });
    await again.close();
  }, 60_000);

  it('refuses while another live process holds the lock', async () => {
    const owner = { pid: process.ppid, startedAt: '2026-11-23T08:00:00.000Z' };
    await writeFile(join(dataDir, 'elevate.lock'), JSON.stringify(owner));
    await expect(acquireLockFile(dataDir)).rejects.toThrow(
      `The data directory ${dataDir} is in use by process ${process.ppid} (started 2026-11-23T08:00:00.000Z).`,
    );
  });

  it('takes over a lock whose process is gone', async () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    await writeFile(
      join(dataDir, 'elevate.lock'),
      JSON.stringify({ pid: exited.pid, startedAt: '2026-11-23T08:00:00.000Z' }),
    );
    const lock = await acquireLockFile(dataDir);
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    await expect(readFile(lock.path)).rejects.toThrow('ENOENT');
  });

  it('takes over a lock left by an earlier run with the same pid (pid 1 in a container)', async () => {
    await writeFile(
      join(dataDir, 'elevate.lock'),
      JSON.stringify({ pid: process.pid, startedAt: '2026-11-23T08:00:00.000Z' }),
    );
    const lock = await acquireLockFile(dataDir);
    await expect(acquireLockFile(dataDir)).rejects.toThrow(`in use by process ${process.pid}`);
    await lock.release();
  });
});
