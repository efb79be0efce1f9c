import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.js';
import { pimActivity } from '../../core/audit/activities.js';
import type { AuditRecord } from '../../core/audit/audit-record.js';
import { systemInitiator } from '../../core/audit/audit-record.js';
import { GENESIS_HASH } from '../../core/audit/hash-chain.js';
import {
  appendAuditRecords,
  getAuditEntry,
  listAuditEntries,
  streamAuditEntries,
} from '../../db/repositories/audit-log-repository.js';
import { createAuditWriter } from './audit-writer.js';
import { sha256Hex } from './sha256.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';
const ADA = {
  id: '0b6b0e6a-8d0c-4f41-9c53-2a4d7d1b7a01',
  displayName: 'Ada',
  userPrincipalName: 'ada@contoso.example',
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute, 0, 123));

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: randomUUID(),
    activityDateTime: at(0),
    category: 'RoleManagement',
    ...pimActivity('assignment', 'selfActivate', 'completed', 'timebound'),
    resultReason: 'Fixing ticket 42 — ünïcödé "quoted"',
    loggedByService: 'PIM',
    correlationId: randomUUID(),
    initiatedBy: { user: ADA },
    targetResources: [
      {
        id: ROLE_ID,
        displayName: 'Global Administrator',
        type: 'Role',
        modifiedProperties: [{ displayName: 'TemplateId', oldValue: null, newValue: `"${ROLE_ID}"` }],
      },
      {
        id: ADA.id,
        displayName: 'Ada',
        type: 'User',
        userPrincipalName: ADA.userPrincipalName,
        modifiedProperties: [],
      },
    ],
    additionalDetails: [
      { key: 'StartTime', value: '2026-11-23T09:00:00.000Z' },
      { key: 'ExpirationTime', value: '2026-11-23T17:00:00.000Z' },
    ],
    ...overrides,
  };
}

const audit = createAuditWriter();

describeEachDatabase('audit log', (ctx) => {
  it('appends records in several transactions as one chain that reads back exactly and verifies', async () => {
    const { db } = ctx.db;
    const first = await db.transaction().execute((trx) => audit.append(trx, [record(), record()]));
    const second = await db
      .transaction()
      .execute((trx) => audit.append(trx, [record({ correlationId: null })]));
    const third = await db
      .transaction()
      .execute((trx) => audit.append(trx, [record({ initiatedBy: systemInitiator, resultReason: null })]));

    expect([...first, ...second, ...third].map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(first[0]!.previousHash).toBe(GENESIS_HASH);
    expect(second[0]!.previousHash).toBe(first[1]!.hash);

    const stored = await listAuditEntries(db, { limit: 10 });
    expect(stored).toEqual([...first, ...second, ...third]);
    expect(await getAuditEntry(db, third[0]!.id)).toEqual(third[0]);
    expect(await getAuditEntry(db, third[0]!.id.toUpperCase())).toEqual(third[0]);
    expect(await getAuditEntry(db, randomUUID())).toBeUndefined();
    expect(await getAuditEntry(db, 'not-a-uuid')).toBeUndefined();

    expect(await verifyAuditChain({ db })).toEqual({
      ok: true,
      count: 4,
      lastHash: third[0]!.hash,
      lastSequence: 4,
    });
  });

  it('stores upper-case UUIDs in the lower case the database gives back, so the chain still verifies', async () => {
    const { db } = ctx.db;
    const id = randomUUID().toUpperCase();
    const [entry] = await db
      .transaction()
      .execute((trx) => audit.append(trx, [record({ id, correlationId: id })]));
    expect(entry).toMatchObject({ id: id.toLowerCase(), correlationId: id.toLowerCase() });
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses a record whose id is not a UUID, writing nothing', async () => {
    const { db } = ctx.db;
    await expect(
      db.transaction().execute((trx) => audit.append(trx, [record({ id: 'nope' })])),
    ).rejects.toThrow("An audit record id must be a UUID, not 'nope'");
    expect(await listAuditEntries(db, { limit: 10 })).toEqual([]);
  });

  it('keeps the chain gap-free and linear when 20 transactions append at once', async () => {
    const { db } = ctx.db;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          // Some work before the append, so the transactions really overlap on PostgreSQL.
          await sql`select pg_sleep(${(i % 4) / 200})`.execute(trx);
          return audit.append(
            trx,
            Array.from({ length: (i % 3) + 1 }, () => record({ activityDateTime: at(i) })),
          );
        }),
      ),
    );
    const total = results.reduce((sum, entries) => sum + entries.length, 0);
    const all = [];
    for await (const entry of streamAuditEntries(db, 7)) all.push(entry);
    expect(all.map((e) => e.sequence)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // Each transaction's records are contiguous: the lock is held from the append to the commit.
    for (const entries of results) {
      expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => entries[0]!.sequence + i));
    }
    expect(await verifyAuditChain({ db, batchSize: 5 })).toMatchObject({
      ok: true,
      count: total,
      lastSequence: total,
    });
  });

  it('leaves neither a record nor a gap behind a rolled-back transaction', async () => {
    const { db } = ctx.db;
    await db.transaction().execute((trx) => audit.append(trx, [record()]));
    const rolledBack = record();
    await expect(
      db.transaction().execute(async (trx) => {
        await audit.append(trx, [rolledBack]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const [after] = await db.transaction().execute((trx) => audit.append(trx, [record()]));

    expect(await getAuditEntry(db, rolledBack.id)).toBeUndefined();
    expect(after!.sequence).toBe(2);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses to append inside a REPEATABLE READ transaction, whose snapshot could miss the last entry', async () => {
    const { db } = ctx.db;
    await expect(
      db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => appendAuditRecords(trx, [record()], sha256Hex)),
    ).rejects.toThrow('needs a READ COMMITTED transaction, not repeatable read');
  });

  it('refuses UPDATE, DELETE and TRUNCATE (append-only)', async () => {
    const { db } = ctx.db;
    const [entry] = await db.transaction().execute((trx) => audit.append(trx, [record()]));
    await expect(
      db.updateTable('audit_log').set({ result_reason: 'rewritten' }).where('id', '=', entry!.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').where('id', '=', entry!.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect(await getAuditEntry(db, entry!.id)).toEqual(entry);
  });

  it('names the record changed behind the triggers’ back (a superuser edit)', async () => {
    const { db } = ctx.db;
    const entries = await db
      .transaction()
      .execute((trx) => audit.append(trx, [record(), record(), record()]));
    const victim = entries[1]!;
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await trx
        .updateTable('audit_log')
        .set({ additional_details: JSON.stringify([{ key: 'Justification', value: 'nothing to see' }]) })
        .where('id', '=', victim.id)
        .execute();
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
    });

    expect(await verifyAuditChain({ db })).toEqual({
      ok: false,
      count: 1,
      brokenAt: victim.sequence,
      id: victim.id,
      reason: 'hash mismatch',
    });
  });

  it('names the record after one deleted behind the triggers’ back', async () => {
    const { db } = ctx.db;
    const entries = await db
      .transaction()
      .execute((trx) => audit.append(trx, [record(), record(), record()]));
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await trx.deleteFrom('audit_log').where('id', '=', entries[1]!.id).execute();
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
    });

    expect(await verifyAuditChain({ db, batchSize: 1 })).toEqual({
      ok: false,
      count: 1,
      brokenAt: 3,
      id: entries[2]!.id,
      reason: 'sequence gap',
    });
  });

  it('lists by time range, category, service, activity, target and initiator, keyset-paged either way', async () => {
    const { db } = ctx.db;
    const groupId = randomUUID();
    const app = { appId: randomUUID(), displayName: 'Deploy bot', servicePrincipalId: randomUUID() };
    const [early, middle, late, groupChange, bySystem] = await db.transaction().execute((trx) =>
      audit.append(trx, [
        record({ activityDateTime: at(0) }),
        record({ activityDateTime: at(10) }),
        record({ activityDateTime: at(20) }),
        record({
          activityDateTime: at(30),
          category: 'GroupManagement',
          loggedByService: 'Core Directory',
          activityDisplayName: 'Add member to group',
          operationType: 'Assign',
          initiatedBy: { app },
          targetResources: [
            { id: groupId.toUpperCase(), displayName: 'Tier 0', type: 'Group', modifiedProperties: [] },
            { id: ADA.id, displayName: 'Ada', type: 'User', modifiedProperties: [] },
          ],
        }),
        record({
          activityDateTime: at(40),
          ...pimActivity('assignment', 'selfActivate', 'expired', 'timebound'),
          initiatedBy: systemInitiator,
        }),
      ]),
    );
    const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

    expect(ids(await listAuditEntries(db, { from: at(10), to: at(30), limit: 10 }))).toEqual(
      ids([middle!, late!]),
    );
    expect(ids(await listAuditEntries(db, { category: 'GroupManagement', limit: 10 }))).toEqual([
      groupChange!.id,
    ]);
    expect(ids(await listAuditEntries(db, { loggedByService: 'PIM', limit: 10, order: 'desc' }))).toEqual(
      ids([bySystem!, late!, middle!, early!]),
    );
    expect(
      ids(
        await listAuditEntries(db, {
          activityDisplayName: 'Remove member from role (PIM activation expired)',
          limit: 10,
        }),
      ),
    ).toEqual([bySystem!.id]);

    // By target: case-insensitive; Ada is a target of every entry but initiated only those she did.
    expect(ids(await listAuditEntries(db, { targetId: groupId, limit: 10 }))).toEqual([groupChange!.id]);
    expect(await listAuditEntries(db, { targetId: ADA.id.toUpperCase(), limit: 10 })).toHaveLength(5);
    expect(await listAuditEntries(db, { targetId: app.appId, limit: 10 })).toEqual([]);
    expect(ids(await listAuditEntries(db, { initiatedById: ADA.id, limit: 10 }))).toEqual(
      ids([early!, middle!, late!]),
    );
    expect(ids(await listAuditEntries(db, { initiatedById: app.servicePrincipalId, limit: 10 }))).toEqual([
      groupChange!.id,
    ]);
    expect(ids(await listAuditEntries(db, { initiatedById: app.appId.toUpperCase(), limit: 10 }))).toEqual([
      groupChange!.id,
    ]);

    // A Kysely condition, e.g. from a compiled $filter.
    expect(
      ids(await listAuditEntries(db, { where: (eb) => eb('result', '=', 'failure'), limit: 10 })),
    ).toEqual([]);
    expect(
      ids(await listAuditEntries(db, { where: (eb) => eb('operation_type', '=', 'Delete'), limit: 10 })),
    ).toEqual([bySystem!.id]);

    // Keyset paging, ascending and descending.
    const page1 = await listAuditEntries(db, { limit: 2 });
    const page2 = await listAuditEntries(db, { limit: 2, afterSequence: page1.at(-1)!.sequence });
    expect(ids([...page1, ...page2])).toEqual(ids([early!, middle!, late!, groupChange!]));
    const down = await listAuditEntries(db, { limit: 2, order: 'desc', afterSequence: late!.sequence });
    expect(ids(down)).toEqual(ids([middle!, early!]));
  });
});
