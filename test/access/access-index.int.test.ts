import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { createAccessService } from '../../src/app/access/access-service.js';
import { wireAccessIndex } from '../../src/app/access/wire-access-index.js';
import { type Database, openDatabase } from '../../src/db/connect.js';
import { describeEachDatabase } from '../support/db.js';
import { databaseUrlFor, runAsAdmin } from '../support/global-setup.js';
import {
  apply,
  change,
  expectAgreement,
  expectTenantRolesAgree,
  reader,
  seedWorld,
  t0,
} from './access-world.js';

const clock = { now: () => new Date(t0) };

describeEachDatabase(
  'the access index',
  (ctx) => {
    it('gives the evaluator’s answer after every random sequence of changes, and after a restart', async () => {
      const { db, accessIndex } = await wireAccessIndex(ctx.db);
      await seedWorld(db);
      const access = createAccessService({ db, clock, index: accessIndex });
      await expectAgreement(access);
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
          for (const c of changes) await apply(db, c);
          await expectAgreement(access);
        }),
        { numRuns: 25 },
      );
      // A restart: a new index loaded from the database answers the same.
      const restarted = await wireAccessIndex(ctx.db);
      await expectAgreement(
        createAccessService({ db: restarted.db, clock, index: restarted.accessIndex }),
        access,
      );
    });

    it('lists the tenant-wide directory roles the database lists, after every random sequence of changes', async () => {
      const { db, accessIndex } = await wireAccessIndex(ctx.db);
      await seedWorld(db);
      let compared = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }), async (changes) => {
          for (const c of changes) await apply(db, c);
          compared += await expectTenantRolesAgree(db, accessIndex);
        }),
        { numRuns: 25 },
      );
      expect(compared).toBeGreaterThan(0);
    });

    it('sees a commit made inside a transaction at the next check (read-your-writes)', async () => {
      const { db, accessIndex } = await wireAccessIndex(ctx.db);
      await seedWorld(db);
      const access = createAccessService({ db, clock, index: accessIndex });
      await expectAgreement(access);
      await db.transaction().execute(async (trx) => {
        await apply(trx, {
          op: 'roleSchedule',
          holder: { id: '0000000a-0000-4000-8000-000000000001', type: 'user' },
          kind: 'assignment',
          directory: true,
          role: 0,
          scope: 0,
          window: { start: -1, end: null, status: 'Provisioned', modified: 0 },
          activated: true,
        });
      });
      const [allowed] = await access.decide(reader, [
        {
          principalId: '0000000a-0000-4000-8000-000000000001',
          target: { action: 'microsoft.directory/users/password/update' },
          scope: '/',
        },
      ]);
      expect(allowed).toBe(true);
      await expectAgreement(access);
    });
  },
  { shared: false },
);

type Wired = Awaited<ReturnType<typeof wireAccessIndex>>;

/**
 * Two instances on one scratch PostgreSQL database, the world seeded through the first; the second learns of
 * the first's commits only by notification. `nextNotification` is set up before a commit and settles when the
 * second hears of it. Runs once the second's LISTEN is in place (a notification sent before would not arrive).
 */
async function withTwoInstances(
  run: (first: Wired, second: Wired, nextNotification: () => Promise<void>, b: Database) => Promise<void>,
): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL as string;
  const name = `elevate_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await runAsAdmin(url, `create database ${name} template ${inject('postgresTemplateDatabase')}`);
  const a = await openDatabase({ databaseUrl: databaseUrlFor(url, name), dataDir: '', pool: 2 });
  const b = await openDatabase({ databaseUrl: databaseUrlFor(url, name), dataDir: '', pool: 2 });
  try {
    const first = await wireAccessIndex(a);
    await seedWorld(first.db);
    let notified: () => void = () => {};
    let listening: () => void = () => {};
    const connected = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const second = await wireAccessIndex({
      db: b.db,
      listen: (channel, handlers) =>
        b.listen?.(channel, {
          onConnect: (isFirst) => {
            handlers.onConnect(isFirst);
            listening();
          },
          onNotify: () => {
            handlers.onNotify();
            notified();
          },
        }),
    });
    await connected;
    const nextNotification = () =>
      new Promise<void>((resolve) => {
        notified = resolve;
      });
    await run(first, second, nextNotification, b);
  } finally {
    await a.close();
    await b.close();
    await runAsAdmin(url, `drop database if exists ${name} with (force)`);
  }
}

describe.skipIf(!process.env.TEST_POSTGRES_URL)('two instances on PostgreSQL', () => {
  it('stay exact through LISTEN/NOTIFY when the other one commits random changes', async () => {
    await withTwoInstances(async (first, second, nextNotification, b) => {
      const accessA = createAccessService({ db: first.db, clock, index: first.accessIndex });
      const accessB = createAccessService({ db: second.db, clock, index: second.accessIndex });
      await expectAgreement(accessB, accessA);
      const changesCount = () =>
        b.db
          .selectFrom('access_changes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
          .then((r) => Number(r?.n));
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
          for (const c of changes) {
            const arrived = nextNotification();
            const before = await changesCount();
            await apply(first.db, c);
            if ((await changesCount()) > before) await arrived;
          }
          await expectAgreement(accessB, accessA);
        }),
        { numRuns: 10 },
      );
    });
  });

  it('tell the other instance when an account is disabled or renamed, so it forgets the accounts it cached', async () => {
    await withTwoInstances(async (first, second, nextNotification) => {
      const user = '0000000a-0000-4000-8000-000000000001';
      for (const set of [
        { account_enabled: false },
        { display_name: 'Renamed' },
        { account_enabled: true },
      ]) {
        const arrived = nextNotification();
        const before = second.accessIndex.generation();
        await first.db.updateTable('users').set(set).where('id', '=', user).execute();
        await arrived;
        expect(second.accessIndex.generation()).toBeGreaterThan(before);
      }
    });
  });
});
